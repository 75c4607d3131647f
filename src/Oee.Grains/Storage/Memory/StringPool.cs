namespace Oee.Grains.Storage.Memory;

/// <summary>
/// Shares equal strings (names, handlers, queues, silos) among the summaries an index shard keeps:
/// a million summaries then hold a handful of copies. Bounded: past its capacity, new values are
/// kept as they come.
/// </summary>
internal sealed class StringPool(int capacity)
{
    private readonly HashSet<string> values = new(StringComparer.Ordinal);

    public string? Share(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (values.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (values.Count < capacity)
        {
            values.Add(value);
        }

        return value;
    }
}
