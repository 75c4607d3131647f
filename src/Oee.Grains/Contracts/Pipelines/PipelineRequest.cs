namespace Oee.Grains.Contracts;

/// <summary>A pipeline to submit: a task (handler <c>pipeline</c>) whose input is <see cref="Spec"/>.</summary>
[GenerateSerializer, Alias("oee.pipeline-request")]
public sealed record PipelineRequest
{
    /// <summary>Optional client-chosen id, as for a task.</summary>
    [Id(0)] public string? Id { get; init; }

    /// <summary>A human-readable name (1–200 characters).</summary>
    [Id(1)] public string Name { get; init; } = "";

    /// <summary>The queue of the pipeline task; "default" when omitted.</summary>
    [Id(2)] public string? Queue { get; init; }

    /// <summary>0–10, higher first; 5 when omitted. The stage tasks get the same priority.</summary>
    [Id(3)] public int? Priority { get; init; }

    /// <summary>Optional labels of the pipeline task.</summary>
    [Id(4)] public string[]? Tags { get; init; }

    /// <summary>What the pipeline runs.</summary>
    [Id(5)] public PipelineSpec Spec { get; init; } = new();

    /// <summary>Who submitted it (see <see cref="SubmitTaskRequest.SubmittedBy"/>); the REST API sets its API key's id.</summary>
    [Id(85)] public string? SubmittedBy { get; init; }

    /// <summary>The tenant (see <see cref="SubmitTaskRequest.Tenant"/>); its stage tasks inherit it. The REST API sets a tenant-bound key's.</summary>
    [Id(86)] public string? Tenant { get; init; }
}
