namespace Oee.Api.Models.Validation;

/// <summary>Field names in messages.</summary>
internal static class FieldNames
{
    /// <summary>"limit" → "Limit": a message starts with the field's name, capitalised.</summary>
    public static string Capitalized(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
