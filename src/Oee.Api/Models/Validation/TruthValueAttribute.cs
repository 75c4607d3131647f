using System.ComponentModel.DataAnnotations;

namespace Oee.Api.Models.Validation;

/// <summary>A query value that must be <c>true</c> or <c>false</c> (any case). Bound as text so that a bad one is a 400 naming it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class TruthValueAttribute : ValidationAttribute
{
    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string { Length: > 0 } text || bool.TryParse(text, out _)
            ? ValidationResult.Success
            : new ValidationResult($"{FieldNames.Capitalized(validationContext.DisplayName)} must be true or false (was '{text}').");
}
