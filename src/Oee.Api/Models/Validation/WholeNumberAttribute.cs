using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Oee.Api.Models.Validation;

/// <summary>
/// A query value that must be a whole number from <see cref="Minimum"/> to <see cref="Maximum"/>.
/// Bound as text so that "abc" is a 400 naming the parameter rather than a binding failure.
/// </summary>
/// <param name="minimum">The smallest allowed value.</param>
/// <param name="maximum">The largest allowed value.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WholeNumberAttribute(int minimum, int maximum) : ValidationAttribute
{
    /// <summary>The smallest allowed value.</summary>
    public int Minimum { get; } = minimum;

    /// <summary>The largest allowed value.</summary>
    public int Maximum { get; } = maximum;

    /// <summary>The number in <paramref name="text"/> when it is one in range.</summary>
    public bool TryParse(string? text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= Minimum && value <= Maximum;

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string { Length: > 0 } text || TryParse(text, out _)
            ? ValidationResult.Success
            : new ValidationResult($"{FieldNames.Capitalized(validationContext.DisplayName)} must be a whole number from {Minimum} to {Maximum} (was '{text}').");
}
