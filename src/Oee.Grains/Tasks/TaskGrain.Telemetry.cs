using Oee.Grains.Contracts;
using Oee.Grains.Telemetry;

namespace Oee.Grains.Tasks;

/// <summary>A task's submit in its span (<see cref="OeeTracing"/>); the metrics are recorded at the transition points.</summary>
internal sealed partial class TaskGrain
{
    private async Task<SubmitResult> TracedSubmit(SubmitTaskRequest request, long? reservedSequence)
    {
        using var span = OeeTracing.StartSubmit(Id, request);
        var result = await Submit(request, reservedSequence);
        OeeTracing.Submitted(span, result);
        return result;
    }
}
