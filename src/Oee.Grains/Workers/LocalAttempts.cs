using System.Collections.Concurrent;

namespace Oee.Grains.Workers;

/// <summary>
/// The attempts running on this silo, by (task, attempt), with the means to stop them. A task and
/// its worker always share a silo (the worker is a stateless worker, activated beside its
/// caller), so a cancel reaches the body in-process at once, even while the silo is shutting down
/// and grain messages may no longer be delivered. An attempt stays here until its outcome has
/// reached its task, also when it outlives its task's activation (<see cref="RunningAttempt.Detach"/>).
/// </summary>
internal sealed class LocalAttempts
{
    private readonly ConcurrentDictionary<(string TaskId, int Attempt), RunningAttempt> attempts = new();

    /// <summary>Makes the attempt findable (and stoppable through <paramref name="cancellation"/>) until the returned handle is disposed.</summary>
    public RunningAttempt Register(string taskId, int attempt, CancellationTokenSource cancellation)
    {
        var running = new RunningAttempt(this, taskId, attempt, cancellation);
        attempts[(taskId, attempt)] = running;
        return running;
    }

    /// <summary>The attempt's token, or <see cref="CancellationToken.None"/> when it is not registered here.</summary>
    public CancellationToken Find(string taskId, int attempt) =>
        attempts.TryGetValue((taskId, attempt), out var running) ? running.Token : CancellationToken.None;

    /// <summary>Whether this attempt of the task runs on this silo now (its outcome has not reached its task yet).</summary>
    public bool IsRunning(string taskId, int attempt) => attempts.ContainsKey((taskId, attempt));

    /// <summary>The attempt, when it is registered here.</summary>
    public RunningAttempt? Get(string taskId, int attempt) => attempts.GetValueOrDefault((taskId, attempt));

    /// <summary>Tells the attempt's body to stop (a user cancelled the task). False when it does not run here.</summary>
    public bool Cancel(string taskId, int attempt) =>
        attempts.TryGetValue((taskId, attempt), out var running) && running.Stop(handBack: false);

    /// <summary>The attempts whose task activation went away while they ran on.</summary>
    public IReadOnlyList<RunningAttempt> Detached => [.. attempts.Values.Where(a => a.IsDetached)];

    private void Remove(RunningAttempt running) => attempts.TryRemove(new KeyValuePair<(string, int), RunningAttempt>((running.TaskId, running.Attempt), running));

    /// <summary>One attempt running on this silo; disposing it forgets it.</summary>
    internal sealed class RunningAttempt(LocalAttempts owner, string taskId, int attempt, CancellationTokenSource cancellation) : IDisposable
    {
        // Made only when someone waits for the end (a stopping silo's drain of detached attempts).
        private TaskCompletionSource? ended;
        private volatile bool isEnded;
        private readonly TaskCompletionSource<TaskOutcome> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int detached;
        private int handBack;

        public string TaskId => taskId;

        public int Attempt => attempt;

        public CancellationToken Token { get; } = cancellation.Token;

        /// <summary>True once the task's activation went away and left the attempt to report its own outcome.</summary>
        public bool IsDetached => Volatile.Read(ref detached) == 1;

        /// <summary>True when the body was stopped because this silo is stopping (the task goes back to its queue).</summary>
        public bool HandBack => Volatile.Read(ref handBack) == 1;

        /// <summary>The body's outcome, once it returned (set by the worker that runs it).</summary>
        public Task<TaskOutcome> Outcome => outcome.Task;

        /// <summary>The body's progress reports not yet recorded by the task.</summary>
        public Events.AttemptProgress Progress { get; } = new();

        /// <summary>Records the body's outcome; later ones are ignored.</summary>
        public void SetOutcome(TaskOutcome result) => outcome.TrySetResult(result);

        /// <summary>Completes when the attempt is forgotten (its outcome reached its task, or could not).</summary>
        public Task Ended
        {
            get
            {
                if (isEnded)
                {
                    return Task.CompletedTask;
                }

                var waiter = LazyInitializer.EnsureInitialized(ref ended, static () => new(TaskCreationOptions.RunContinuationsAsynchronously));

                // Disposed meanwhile: it may have looked for a waiter before this one was there.
                if (isEnded)
                {
                    waiter.TrySetResult();
                }

                return waiter.Task;
            }
        }

        public void Detach() => Volatile.Write(ref detached, 1);

        /// <summary>Cancels the body's token; with <paramref name="handBack"/>, because this silo is stopping.</summary>
        public bool Stop(bool handBack)
        {
            if (handBack)
            {
                Volatile.Write(ref this.handBack, 1);
            }

            try
            {
                cancellation.Cancel();
                return true;
            }
            catch (ObjectDisposedException)
            {
                // It ended meanwhile.
                return false;
            }
        }

        public void Dispose()
        {
            owner.Remove(this);
            isEnded = true;
            Volatile.Read(ref ended)?.TrySetResult();
        }
    }
}
