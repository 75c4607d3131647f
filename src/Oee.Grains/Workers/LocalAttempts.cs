using System.Collections.Concurrent;

namespace Oee.Grains.Workers;

/// <summary>
/// The cancellation tokens of the attempts running on this silo, by (task, attempt). A task and
/// its worker always share a silo (the worker is a stateless worker, activated beside its
/// caller), so a cancel reaches the body in-process at once, even while the silo is shutting down
/// and grain messages may no longer be delivered.
/// </summary>
internal sealed class LocalAttempts
{
    private readonly ConcurrentDictionary<(string TaskId, int Attempt), CancellationToken> tokens = new();

    /// <summary>Makes the attempt's token findable until the returned handle is disposed.</summary>
    public IDisposable Register(string taskId, int attempt, CancellationToken token)
    {
        tokens[(taskId, attempt)] = token;
        return new Registration(this, (taskId, attempt));
    }

    /// <summary>The attempt's token, or <see cref="CancellationToken.None"/> when it is not registered here.</summary>
    public CancellationToken Find(string taskId, int attempt) =>
        tokens.TryGetValue((taskId, attempt), out var token) ? token : CancellationToken.None;

    /// <summary>Whether this attempt of the task runs on this silo now (its body has not returned).</summary>
    public bool IsRunning(string taskId, int attempt) => tokens.ContainsKey((taskId, attempt));

    private sealed class Registration(LocalAttempts owner, (string, int) key) : IDisposable
    {
        public void Dispose() => owner.tokens.TryRemove(key, out _);
    }
}
