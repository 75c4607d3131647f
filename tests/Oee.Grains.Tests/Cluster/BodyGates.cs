using System.Collections.Concurrent;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Named gates that hold <see cref="RecordingHandler"/> bodies until the test opens them, shared
/// by every silo of the in-process cluster. A body held by a gate is still running at whatever
/// point the test needs it to be, however slow the machine; a gate never opened holds its bodies
/// until their tasks are cancelled (or their silo stops them).
/// </summary>
public static class BodyGates
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new(StringComparer.Ordinal);

    /// <summary>A gate name no other test uses.</summary>
    public static string New(string prefix) => Waiting.Unique(prefix);

    /// <summary>Lets every body held by the gate go on, and every body that reaches it later pass at once.</summary>
    public static void Open(string gate) => Of(gate).TrySetResult();

    /// <summary>Waits until the gate is opened or the token is cancelled.</summary>
    public static Task WaitAsync(string gate, CancellationToken cancellationToken) => Of(gate).Task.WaitAsync(cancellationToken);

    private static TaskCompletionSource Of(string gate) =>
        Gates.GetOrAdd(gate, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
