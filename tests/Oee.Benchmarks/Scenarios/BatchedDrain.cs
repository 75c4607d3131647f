using Oee.Benchmarks.Cli;

namespace Oee.Benchmarks.Scenarios;

/// <summary>
/// A drain of one OEE target fed by batch submits answered as receipts (<c>POST /api/tasks/batch</c> with
/// <c>Prefer: return=minimal</c>, <c>SubmitBatchForReceiptsAsync</c>): <see cref="Batch"/>
/// tasks per call, <see cref="Calls"/> calls in flight. <c>compare</c> runs it beside the single-submit modes, in the same
/// rounds, as what a caller that submits in bulk reaches through REST or a client; its figures' mode is <see cref="Mode"/>.
/// </summary>
internal sealed record BatchedDrain(TargetKind Kind, int Batch, int Calls)
{
    /// <summary>Added to the target's mode name: <c>rest-batch</c>, <c>client-batch</c>.</summary>
    public const string Suffix = "-batch";

    /// <summary>The mode of its figures.</summary>
    public string Mode => TargetNames.Of(Kind) + Suffix;

    /// <summary><c>compare</c>'s: batches of 100, 8 in flight, through an Orleans client and over REST (HTTP/1.1).</summary>
    public static IReadOnlyList<BatchedDrain> CompareDefaults { get; } =
    [
        new(TargetKind.Client, Batch: 100, Calls: 8),
        new(TargetKind.Rest, Batch: 100, Calls: 8),
    ];
}
