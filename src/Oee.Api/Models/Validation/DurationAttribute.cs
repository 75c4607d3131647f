using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Xml;

namespace Oee.Api.Models.Validation;

/// <summary>A query value that must be a non-negative duration: ISO 8601 (<c>PT1H</c>, <c>P7D</c>) or <c>[d.]hh:mm:ss</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class DurationAttribute : ValidationAttribute
{
    /// <summary>The duration in <paramref name="text"/>; false when it is not one.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        if (text.StartsWith('P'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                // P99999999D is well-formed ISO 8601 but longer than a TimeSpan holds.
                duration = default;
                return false;
            }
        }

        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out duration);
    }

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string { Length: > 0 } text)
        {
            return ValidationResult.Success;
        }

        if (!TryParse(text, out var duration))
        {
            return new ValidationResult($"'{text}' is not a duration; use ISO 8601 (PT1H, P7D) or [d.]hh:mm:ss.");
        }

        return duration < TimeSpan.Zero ? new ValidationResult("The duration must not be negative.") : ValidationResult.Success;
    }
}
