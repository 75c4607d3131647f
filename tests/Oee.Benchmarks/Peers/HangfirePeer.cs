using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Oee.Benchmarks.Peers;

/// <summary>
/// Hangfire 1.8 in the benchmark process: one <see cref="BackgroundJobServer"/> and one
/// <see cref="BackgroundJobClient"/> on the given storage. Jobs are created with the client's
/// <c>Create(Job, EnqueuedState)</c> from a cached <see cref="System.Reflection.MethodInfo"/> (the
/// cheapest public path; <c>Enqueue(() => ...)</c> would also compile an expression per job). Hangfire's
/// default job filters stay on (automatic retry, culture capture), as a user gets them. Completion is
/// the monitoring API's succeeded count.
/// </summary>
internal sealed class HangfirePeer : IPeer
{
    private static readonly System.Reflection.MethodInfo Body = typeof(HangfireNoOpJob).GetMethod(nameof(HangfireNoOpJob.Run))!;

    private readonly JobStorage storage;
    private readonly BackgroundJobServer server;
    private readonly BackgroundJobClient client;
    private readonly IMonitoringApi monitoring;
    private readonly IAsyncDisposable? owned;

    private HangfirePeer(string mode, string description, JobStorage storage, int workers, IReadOnlyDictionary<string, string> parameters, TimeSpan completionPoll, IAsyncDisposable? owned)
    {
        Mode = mode;
        this.storage = storage;
        this.owned = owned;
        CompletionPoll = completionPoll;
        server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = workers,
                ServerName = $"oee-bench-{Environment.ProcessId}",
            },
            storage);
        client = new BackgroundJobClient(storage);
        monitoring = storage.GetMonitoringApi();
        Parameters = new Dictionary<string, string>(parameters) { ["workers"] = workers.ToString(CultureInfo.InvariantCulture) };
        Description = $"{description}, {workers} workers, {MaxSubmitters} submitting threads";
    }

    public string Mode { get; }

    public string Description { get; }

    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Hangfire's client API is synchronous: one submitting thread per core.</summary>
    public int MaxSubmitters => Environment.ProcessorCount;

    public TimeSpan CompletionPoll { get; }

    /// <summary>Starts a server on <paramref name="storage"/>; <paramref name="owned"/> is disposed after it stops.</summary>
    public static HangfirePeer Start(string mode, string description, JobStorage storage, int workers, IReadOnlyDictionary<string, string> parameters, TimeSpan completionPoll, IAsyncDisposable? owned = null) =>
        new(mode, description, storage, workers, parameters, completionPoll, owned);

    public ValueTask SubmitAsync(int generation, int index, CancellationToken cancellationToken)
    {
        var id = client.Create(new Job(Body, generation, index), new EnqueuedState());
        return id is null ? throw new InvalidOperationException($"{Mode}: the client created no job.") : ValueTask.CompletedTask;
    }

    public Task<long> SucceededAsync(CancellationToken cancellationToken) => Task.FromResult(monitoring.SucceededListCount());

    public async ValueTask DisposeAsync()
    {
        // Stopping waits for the workers (blocking): off the caller's thread.
        await Task.Run(() =>
        {
            server.SendStop();
            server.Dispose();
        });
        if (storage is IDisposable disposable)
        {
            disposable.Dispose();
        }

        if (owned is not null)
        {
            await owned.DisposeAsync();
        }
    }
}
