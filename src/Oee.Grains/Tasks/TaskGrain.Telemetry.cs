using Oee.Grains.Contracts;
using Oee.Grains.Telemetry;

namespace Oee.Grains.Tasks;

/// <summary>A task's submit in its span (<see cref="OeeTracing"/>); the metrics are recorded at the transition points.</summary>
internal sealed partial class TaskGrain
{
    private Task<SubmitResult> TracedSubmit(SubmitTaskRequest request, long? reservedSequence, bool receipt)
    {
        // Nobody listening (no span): the submit itself, without a state machine of its own.
        var span = OeeTracing.StartSubmit(Id, request);
        return span is null ? Submit(request, reservedSequence, receipt) : Traced(span, Submit(request, reservedSequence, receipt));
    }

    private static async Task<SubmitResult> Traced(System.Diagnostics.Activity span, Task<SubmitResult> submit)
    {
        using (span)
        {
            var result = await submit;
            OeeTracing.Submitted(span, result);
            return result;
        }
    }
}
