namespace Oee.Grains.Storage.Memory;

/// <summary>A string hash that is the same in every process (unlike string.GetHashCode): FNV-1a over UTF-16 code units.</summary>
internal static class StableHash
{
    public static uint Of(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    /// <summary>The bucket of <paramref name="value"/> among <paramref name="buckets"/>.</summary>
    public static int Bucket(string value, int buckets) => (int)(Of(value) % (uint)buckets);
}
