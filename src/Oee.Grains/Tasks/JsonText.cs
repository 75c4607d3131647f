using System.Text.Json.Nodes;

namespace Oee.Grains.Tasks;

/// <summary>Compares JSON texts by value, not by spelling (white space, property order).</summary>
internal static class JsonText
{
    public static bool AreEquivalent(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(left), JsonNode.Parse(right));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
