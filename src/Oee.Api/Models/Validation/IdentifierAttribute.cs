using System.ComponentModel.DataAnnotations;
using Oee.Grains.Contracts;

namespace Oee.Api.Models.Validation;

/// <summary>
/// A task id, queue, handler name or tag: 1–<see cref="MaxLength"/> characters of
/// <c>[A-Za-z0-9._:-]</c> (<see cref="TaskLimits.IsIdentifier"/>). A regular expression, so that the
/// OpenAPI document shows the pattern; empty counts as absent.
/// </summary>
/// <param name="maxLength">The longest allowed value; <see cref="TaskLimits.MaxIdentifierLength"/> by default.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class IdentifierAttribute(int maxLength = TaskLimits.MaxIdentifierLength)
    : RegularExpressionAttribute($"^[A-Za-z0-9._:-]{{1,{maxLength}}}$")
{
    /// <summary>The longest allowed value.</summary>
    public int MaxLength { get; } = maxLength;

    /// <inheritdoc />
    public override string FormatErrorMessage(string name) =>
        $"{FieldNames.Capitalized(name)} must be 1–{MaxLength} characters of [A-Za-z0-9._:-].";
}
