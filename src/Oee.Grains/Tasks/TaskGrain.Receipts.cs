using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>A submit answered without the task (<see cref="ITaskEngineGrain.SubmitForReceipt"/>).</summary>
internal sealed partial class TaskGrain
{
    // The answers carry no task: the same two objects serve every submit (Orleans copies an answer for a local caller).
    private static readonly SubmitResult CreatedReceipt = new() { Status = SubmitStatus.Created };
    private static readonly SubmitResult ExistingReceipt = new() { Status = SubmitStatus.Existing };

    async Task<SubmitResult> ITaskEngineGrain.SubmitForReceipt(SubmitTaskRequest request, CancellationToken cancellationToken)
    {
        var result = await TracedSubmit(SubmitPolicy.WithTenantDefaults(request), reservedSequence: null);
        return result.Status switch
        {
            SubmitStatus.Created => CreatedReceipt,
            SubmitStatus.Existing => ExistingReceipt,
            _ => result,
        };
    }
}
