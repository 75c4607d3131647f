using Oee.Grains.Contracts;

namespace Oee.Grains.Client;

/// <summary>Submits answered with the task's id only: the silo does not send the task back.</summary>
internal sealed partial class Orchestrator
{
    /// <inheritdoc />
    public async Task<SubmitReceipt> SubmitForReceiptAsync(SubmitTaskRequest request, CancellationToken cancellationToken = default)
    {
        var id = await CheckSubmit(request, cancellationToken);
        var result = await SendSubmit(id, request, receipt: true, cancellationToken);
        return result.Status switch
        {
            SubmitStatus.Created => new SubmitReceipt(id, Created: true),
            SubmitStatus.Existing => new SubmitReceipt(id, Created: false),
            _ => throw Refusal(id, request, result),
        };
    }
}
