namespace Oee.Api.Models;

/// <summary>
/// For the OpenAPI document: each item of this string array is an identifier of at most
/// <paramref name="maxLength"/> characters (see <see cref="Validation.IdentifierAttribute"/>). It
/// describes, it does not check.
/// </summary>
/// <param name="maxLength">The items' longest length.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemPatternAttribute(int maxLength) : Attribute
{
    /// <summary>The items' pattern.</summary>
    public string Pattern => new Validation.IdentifierAttribute(MaxLength).Pattern;

    /// <summary>The items' longest length.</summary>
    public int MaxLength { get; } = maxLength;
}
