namespace Oee.Api.Models;

/// <summary>A task's tenant.</summary>
public partial record TaskResponse
{
    /// <summary>The tenant the task belongs to (set from the tenant-bound API key that submitted it, or by a .NET client); null for none.</summary>
    public string? Tenant { get; init; }
}

/// <summary>A listed task's tenant.</summary>
public sealed partial record TaskSummaryResponse
{
    /// <summary>The tenant the task belongs to; null for none.</summary>
    public string? Tenant { get; init; }
}
