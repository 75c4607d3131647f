namespace Oee.Api.Dashboard;

/// <summary>The queues' recent history, for the dashboard's charts.</summary>
/// <param name="IntervalSeconds">Seconds between samples.</param>
/// <param name="WindowSeconds">How far back the samples reach.</param>
/// <param name="Samples">Oldest first.</param>
public sealed record DashboardHistoryResponse(double IntervalSeconds, double WindowSeconds, IReadOnlyList<DashboardSample> Samples);
