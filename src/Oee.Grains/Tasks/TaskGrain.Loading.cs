using Oee.Grains.Contracts;
using Orleans.Runtime;

namespace Oee.Grains.Tasks;

/// <summary>
/// When a task activation reads its record: before the first call it handles, except for the submit of an
/// id the client facade has just generated (<see cref="ITaskEngineGrain.SubmitNew"/>), which can find no
/// record and so reads none. The read is guarded by that submit's first write, which is conditional on no
/// record existing (a null ETag): a wrong "new" makes the submit fail, never overwrite a task.
/// Read per call rather than in <c>OnActivateAsync</c> because an activation cannot see the call that
/// caused it; before, the facade told it through Orleans' request context, which Orleans then copied into
/// every message of the submit, its answer and the calls the task made in that turn (~1.2 KiB and ~2 % of
/// the in-process drain's CPU per task).
/// </summary>
internal sealed partial class TaskGrain : IIncomingGrainCallFilter
{
    // The record has been read, or this activation began with SubmitNew (nothing to read).
    private bool loaded;

    // The read under way, shared by calls that interleave with it (Get, WaitForFinish).
    private Task? loading;

    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) =>
        loaded || context.MethodName == nameof(ITaskEngineGrain.SubmitNew) ? context.Invoke() : LoadThenInvoke(context);

    ValueTask<SubmitResult> ITaskEngineGrain.SubmitNew(SubmitTaskRequest request, bool receipt, CancellationToken cancellationToken)
    {
        // An activation that already holds the record (read by an earlier call) submits as any submit does.
        loaded = true;
        return new(TracedSubmit(SubmitPolicy.WithTenantDefaults(request), reservedSequence: null, receipt));
    }

    private async Task LoadThenInvoke(IIncomingGrainCallContext context)
    {
        var read = loading ??= Load();
        try
        {
            await read;
        }
        finally
        {
            // Read, or failed: a failed read fails the calls waiting for it, and the next call reads again.
            if (ReferenceEquals(loading, read))
            {
                loading = null;
            }
        }

        await context.Invoke();
    }

    private async Task Load()
    {
        var (read, readEtag) = await store.Read(this.GetGrainId());

        // A SubmitNew that ran meanwhile owns the record now; this read saw none.
        if (!loaded)
        {
            (record, etag, loaded) = (read, readEtag, true);
        }
    }
}
