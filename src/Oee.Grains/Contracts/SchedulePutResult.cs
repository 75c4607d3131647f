namespace Oee.Grains.Contracts;

/// <summary>How a put of a schedule ended.</summary>
[GenerateSerializer, Alias("oee.schedule-put-status")]
public enum SchedulePutStatus
{
    /// <summary>A new schedule was stored.</summary>
    Created = 0,

    /// <summary>The schedule existed and was changed.</summary>
    Updated = 1,

    /// <summary>The schedule existed with this very definition; nothing changed.</summary>
    Unchanged = 2,

    /// <summary>The definition was invalid; see the errors. Nothing changed.</summary>
    Invalid = 3,
}

/// <summary>The answer to a put of a schedule.</summary>
[GenerateSerializer, Alias("oee.schedule-put-result")]
public sealed record SchedulePutResult
{
    /// <summary>How it ended.</summary>
    [Id(0)] public SchedulePutStatus Status { get; init; }

    /// <summary>The schedule as stored (null when invalid).</summary>
    [Id(1)] public ScheduleStatus? Schedule { get; init; }

    /// <summary>The invalid fields, when invalid.</summary>
    [Id(2)] public FieldError[] Errors { get; init; } = [];

    /// <summary>A stored schedule.</summary>
    public static SchedulePutResult Stored(SchedulePutStatus status, ScheduleStatus schedule) => new() { Status = status, Schedule = schedule };

    /// <summary>Invalid fields.</summary>
    public static SchedulePutResult Invalid(IReadOnlyList<FieldError> errors) => new() { Status = SchedulePutStatus.Invalid, Errors = [.. errors] };
}
