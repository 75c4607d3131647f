using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Tasks;

/// <summary>
/// When a task activation reads its record: at the start of the first call it handles, except for the
/// submit of an id the client facade has just generated (<see cref="ITaskEngineGrain.SubmitNew"/>, and a batch's
/// <see cref="ITaskEngineGrain.SubmitReserved(SubmitTaskRequest, long, bool, bool)"/> with <c>newId</c>), which can
/// find no record and so reads none. That submit's first write is conditional on no record existing (a null
/// ETag): a wrong "new" makes the submit fail, never overwrite a task. Read per call rather than in
/// <c>OnActivateAsync</c> because an activation cannot see the call that caused it (before, the facade told it
/// through Orleans' request context, which Orleans then copied into every message of the submit, its answer and
/// the task's calls of that turn: ~1.2 KiB and ~2 % of the in-process drain's CPU per task). Every other entry
/// method begins with <see cref="Loaded"/>, as the batch's does for an id that is not new; not a grain call filter, since
/// any incoming filter makes Orleans run every call through its invoker (memory mode runs with none on purpose).
/// </summary>
internal sealed partial class TaskGrain
{
    // The record has been read, or this activation began with the submit of a new id (nothing to read).
    private bool loaded;

    // The read under way, shared by calls that interleave with it (Get, WaitForFinish).
    private Task? loading;

    ValueTask<SubmitResult> ITaskEngineGrain.SubmitNew(SubmitTaskRequest request, bool receipt, CancellationToken cancellationToken) =>
        SubmitOfNewId(request, reservedSequence: null, receipt);

    ValueTask<SubmitResult> ITaskEngineGrain.SubmitReserved(SubmitTaskRequest request, long sequence, bool newId, bool receipt) =>
        newId ? SubmitOfNewId(request, sequence, receipt) : new(LoadedSubmit(request, sequence, receipt));

    /// <summary>The submit of an id its caller has just generated: nothing to read.</summary>
    private ValueTask<SubmitResult> SubmitOfNewId(SubmitTaskRequest request, long? reservedSequence, bool receipt)
    {
        // An activation that already holds the record (read by an earlier call) submits as any submit does.
        loaded = true;
        return new(TracedSubmit(SubmitPolicy.WithTenantDefaults(request), reservedSequence, receipt));
    }

    /// <summary>Completes once the record has been read (at once after the first call); a failed read fails its callers only, and the next call reads again.</summary>
    private ValueTask Loaded() => loaded ? ValueTask.CompletedTask : new(LoadShared());

    private async Task LoadShared()
    {
        var read = loading ??= Load();
        try
        {
            await read;
        }
        finally
        {
            if (ReferenceEquals(loading, read))
            {
                loading = null;
            }
        }
    }

    private async Task Load()
    {
        var (read, readEtag) = await store.Read(this.GetGrainId());

        // A submit of a new id that ran meanwhile owns the record now; this read saw none.
        if (!loaded)
        {
            (record, etag, loaded) = (read, readEtag, true);
        }
    }

    /// <summary>A submit of a request that may name an existing task: its record read first.</summary>
    private async Task<SubmitResult> LoadedSubmit(SubmitTaskRequest request, long? reservedSequence, bool receipt)
    {
        await Loaded();
        return await TracedSubmit(SubmitPolicy.WithTenantDefaults(request), reservedSequence, receipt);
    }
}
