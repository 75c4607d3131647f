using System.Collections.Concurrent;

namespace Oee.Benchmarks.Diagnostics;

/// <summary>
/// Counts the grain calls a silo receives, by interface method (the <c>calls</c> scenario's
/// diagnostic filter; never installed in a timed scenario).
/// </summary>
internal sealed class CallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var method = context.InterfaceMethod;
        var key = method is null ? context.Request.GetType().Name : $"{method.DeclaringType?.Name}.{method.Name}";
        counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
        return context.Invoke();
    }

    /// <summary>The counts so far, and from now on zero.</summary>
    public IReadOnlyDictionary<string, long> Take()
    {
        var taken = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in counts.Keys)
        {
            if (counts.TryRemove(key, out var n))
            {
                taken[key] = n;
            }
        }

        return taken;
    }
}
