namespace Oee.Api.Apis;

/// <summary>
/// The <c>return</c> preference of a request's <c>Prefer</c> header (RFC 7240): <c>return=minimal</c>
/// asks for an answer without a representation of the resource, <c>return=representation</c> for the
/// usual one. Anything else (no header, other preferences, junk) leaves the answer as it is.
/// </summary>
internal static class ReturnPreference
{
    /// <summary>The <c>Preference-Applied</c> header an answer carries when it honoured <c>return=minimal</c>.</summary>
    public const string MinimalApplied = "return=minimal";

    /// <summary>
    /// True when the first <c>return</c> preference in <paramref name="prefer"/> (all of the request's
    /// <c>Prefer</c> headers, joined by commas) is <c>minimal</c>. Names and values are compared without
    /// regard to case, a value may be quoted, and a preference's parameters (after <c>;</c>) are ignored.
    /// As RFC 7240 says, only the first instance of a preference counts.
    /// </summary>
    public static bool IsMinimal(string? prefer)
    {
        if (string.IsNullOrEmpty(prefer))
        {
            return false;
        }

        foreach (var range in prefer.AsSpan().Split(','))
        {
            var preference = prefer.AsSpan()[range];
            var semicolon = preference.IndexOf(';');
            if (semicolon >= 0)
            {
                preference = preference[..semicolon];
            }

            var equals = preference.IndexOf('=');
            var name = (equals >= 0 ? preference[..equals] : preference).Trim();
            if (!name.Equals("return", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = equals >= 0 ? preference[(equals + 1)..].Trim() : [];
            if (value is ['"', .. var inner, '"'])
            {
                value = inner;
            }

            return value.Equals("minimal", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }
}
