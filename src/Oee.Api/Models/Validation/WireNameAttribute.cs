using System.ComponentModel.DataAnnotations;

namespace Oee.Api.Models.Validation;

/// <summary>
/// A query value that must be one of <typeparamref name="TEnum"/>'s wire names (case-insensitive).
/// Bound as text so that a bad value is a 400 naming the parameter, not a binding failure that names nothing.
/// </summary>
/// <typeparam name="TEnum">The enum whose wire names are allowed.</typeparam>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WireNameAttribute<TEnum> : ValidationAttribute
    where TEnum : struct, Enum
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string { Length: > 0 } text || WireNames<TEnum>.TryParse(text, out _)
            ? ValidationResult.Success
            : new ValidationResult($"{FieldNames.Capitalized(validationContext.DisplayName)} '{text}' is not one of {string.Join(", ", WireNames<TEnum>.All)}.");
}
