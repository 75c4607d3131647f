namespace Oee.Grains.Storage;

/// <summary>
/// A task id as memory mode's structures hold it (a queue's backlog, the index shards): an id in the
/// engine's own form (a UUID in lowercase "D" text, as <c>Guid.ToString()</c> writes it) as its 16
/// bytes, any other id as its text. A held task then costs no string (a 36-character id is a 96-byte
/// string).
/// Equal ids give equal keys; <see cref="ToString"/> gives the id back exactly, and
/// <see cref="CompareOrdinal"/> orders keys as <see cref="string.CompareOrdinal(string, string)"/>
/// orders their ids.
/// </summary>
internal readonly record struct TaskKey
{
    private const int GuidLength = 36;

    // What Guid.ToString() writes: lowercase hex digits and hyphens.
    private static readonly System.Buffers.SearchValues<char> FormattedChars = System.Buffers.SearchValues.Create("0123456789abcdef-");

    private readonly Guid guid;
    private readonly string? text;

    private TaskKey(Guid guid, string? text)
    {
        this.guid = guid;
        this.text = text;
    }

    /// <summary>The key of <paramref name="taskId"/>.</summary>
    public static TaskKey Of(string taskId)
    {
        // Only when the text is exactly what the guid formats back to: the "D" form (8-4-4-4-12 digits with
        // hyphens, no braces or spaces) written with lowercase hex digits only (checked without formatting it).
        return taskId.Length == GuidLength
            && !taskId.AsSpan().ContainsAnyExcept(FormattedChars)
            && Guid.TryParseExact(taskId, "D", out var guid)
                ? new TaskKey(guid, null)
                : new TaskKey(Guid.Empty, taskId);
    }

    /// <summary>The order of the ids as text, ordinal (what the queue order and the listing order use); the sign is what counts.</summary>
    public static int CompareOrdinal(TaskKey x, TaskKey y)
    {
        if (x.text is not null && y.text is not null)
        {
            return string.CompareOrdinal(x.text, y.text);
        }

        Span<char> xGuid = stackalloc char[GuidLength];
        Span<char> yGuid = stackalloc char[GuidLength];
        return x.Text(xGuid).SequenceCompareTo(y.Text(yGuid));
    }

    /// <summary>The task id.</summary>
    public override string ToString() => text ?? guid.ToString();

    private ReadOnlySpan<char> Text(Span<char> buffer)
    {
        if (text is not null)
        {
            return text;
        }

        guid.TryFormat(buffer, out var written, "D");
        return buffer[..written];
    }
}
