using System.Collections;
using System.Runtime.InteropServices;

namespace Oee.Grains.Storage.Memory;

/// <summary>
/// Shard records in listing order (<see cref="ShardRecordOrder"/>: newest first), as the index shard keeps
/// them overall, per status, per parent and per tenant. Held as a list of small sorted chunks, oldest
/// first, so that the usual insert — a record newer than all the others (a new task; a task that finishes
/// after those submitted before it) — appends to the last chunk after one comparison, and an insert or
/// removal elsewhere searches two short sorted arrays and shifts within one chunk. A
/// <see cref="SortedSet{T}"/> allocated a node per insert (48 bytes) and walked and rebalanced a tree
/// whose every comparison read a record somewhere else on the heap.
/// Not thread-safe (the shard's grain is its only user); not to be changed while it is enumerated.
/// </summary>
internal sealed class NewestFirstSet : IEnumerable<ShardRecord>
{
    // Big enough that a million records take a few thousand chunks, small enough that a shift is cheap.
    internal const int ChunkSize = 128;

    // Chunks oldest first, each sorted oldest first and never empty.
    private readonly List<List<ShardRecord>> chunks = [];

    public int Count { get; private set; }

    /// <summary>Adds the record; false when it is held already.</summary>
    public bool Add(ShardRecord record)
    {
        if (chunks.Count == 0)
        {
            chunks.Add(NewChunk(record));
            Count++;
            return true;
        }

        var c = ChunkOf(record);
        var chunk = chunks[c];
        var at = chunk.BinarySearch(record, OldestFirst.Instance);
        if (at >= 0)
        {
            return false;
        }

        at = ~at;
        if (chunk.Count == ChunkSize)
        {
            if (c == chunks.Count - 1 && at == ChunkSize)
            {
                // Newer than everything: a new last chunk, the old one stays full.
                chunks.Add(NewChunk(record));
                Count++;
                return true;
            }

            const int Half = ChunkSize / 2;
            var upper = new List<ShardRecord>(ChunkSize);
            upper.AddRange(CollectionsMarshal.AsSpan(chunk)[Half..]);
            chunk.RemoveRange(Half, Half);
            chunks.Insert(c + 1, upper);
            if (at > Half)
            {
                (chunk, at) = (upper, at - Half);
            }
        }

        chunk.Insert(at, record);
        Count++;
        return true;
    }

    /// <summary>Removes the record; false when it is not held.</summary>
    public bool Remove(ShardRecord record)
    {
        if (Count == 0)
        {
            return false;
        }

        var c = ChunkOf(record);
        var chunk = chunks[c];
        var at = chunk.BinarySearch(record, OldestFirst.Instance);
        if (at < 0)
        {
            return false;
        }

        chunk.RemoveAt(at);
        Count--;
        if (chunk.Count == 0)
        {
            chunks.RemoveAt(c);
        }
        else if (chunk.Count <= ChunkSize / 4 && c + 1 < chunks.Count && chunk.Count + chunks[c + 1].Count <= ChunkSize / 2)
        {
            // Removals scattered over old chunks would leave many near-empty ones: merge with the next.
            chunk.AddRange(chunks[c + 1]);
            chunks.RemoveAt(c + 1);
        }

        return true;
    }

    /// <summary>The records newest first (the listing's order).</summary>
    public IEnumerator<ShardRecord> GetEnumerator() => NewestFrom(chunks.Count - 1, chunks.Count == 0 ? -1 : chunks[^1].Count - 1).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The records after <paramref name="probe"/> in listing order (older, or as old with a lower id), newest first.</summary>
    public IEnumerable<ShardRecord> After(ShardRecord probe)
    {
        if (Count == 0)
        {
            return [];
        }

        var c = ChunkOf(probe);
        var at = chunks[c].BinarySearch(probe, OldestFirst.Instance);
        return NewestFrom(c, at >= 0 ? at - 1 : ~at - 1);
    }

    /// <summary>The records oldest first.</summary>
    public IEnumerable<ShardRecord> OldestFirstOrder()
    {
        foreach (var chunk in chunks)
        {
            foreach (var record in chunk)
            {
                yield return record;
            }
        }
    }

    private IEnumerable<ShardRecord> NewestFrom(int chunk, int at)
    {
        for (var c = chunk; c >= 0; c--)
        {
            var items = chunks[c];
            for (var i = c == chunk ? at : items.Count - 1; i >= 0; i--)
            {
                yield return items[i];
            }
        }
    }

    // The chunk the record is in or belongs in: the first whose newest record is not older than it (else the last).
    private int ChunkOf(ShardRecord record)
    {
        var last = chunks.Count - 1;
        if (OldestFirst.Instance.Compare(chunks[last][0], record) <= 0)
        {
            return last;
        }

        var (low, high) = (0, last);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (OldestFirst.Instance.Compare(chunks[middle][^1], record) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static List<ShardRecord> NewChunk(ShardRecord first) => new(ChunkSize) { first };

    /// <summary>The reverse of <see cref="ShardRecordOrder"/>.</summary>
    private sealed class OldestFirst : IComparer<ShardRecord>
    {
        public static readonly OldestFirst Instance = new();

        public int Compare(ShardRecord? x, ShardRecord? y) => ShardRecordOrder.Instance.Compare(y, x);
    }
}
