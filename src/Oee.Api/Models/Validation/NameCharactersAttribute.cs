using System.ComponentModel.DataAnnotations;

namespace Oee.Api.Models.Validation;

/// <summary>
/// A name of 1–<c>maxLength</c> characters of <c>[A-Za-z0-9._-]</c>. A regular expression, so that the
/// OpenAPI document shows the pattern; empty counts as absent.
/// </summary>
public abstract class NameCharactersAttribute(int maxLength) : RegularExpressionAttribute($"^[A-Za-z0-9._-]{{1,{maxLength}}}$")
{
    /// <inheritdoc />
    public override string FormatErrorMessage(string name) =>
        $"{FieldNames.Capitalized(name)} must be 1–{maxLength} characters of [A-Za-z0-9._-].";
}
