using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Oee.Grains.Storage;

/// <summary>
/// The position after which a listing continues: the last item's (createdAt, id), as an opaque
/// URL-safe string.
/// </summary>
internal readonly record struct TaskCursor(DateTimeOffset CreatedAt, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.UtcTicks}|{Id}")));

    public static bool TryDecode(string? text, out TaskCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 400)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        var separator = decoded.IndexOf('|', StringComparison.Ordinal);
        if (separator <= 0
            || !long.TryParse(decoded.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || separator == decoded.Length - 1)
        {
            return false;
        }

        // Only a task id can follow (a made-up one with, say, a NUL in it must not reach a database query).
        var id = decoded[(separator + 1)..];
        if (!Contracts.TaskLimits.IsIdentifier(id))
        {
            return false;
        }

        cursor = new TaskCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
