namespace Oee.Grains.Contracts;

/// <summary>The ranges of a queue's settings (<see cref="QueueSettingsUpdate"/>); 0 turns a quota off.</summary>
public static class QueueLimits
{
    /// <summary>The largest <see cref="QueueSettingsUpdate.MaxPending"/>.</summary>
    public const int MaxPending = 100_000_000;

    /// <summary>The highest <see cref="QueueSettingsUpdate.StartRate"/>, in tasks per second.</summary>
    public const double MaxStartRate = 1_000_000;

    /// <summary>The lowest non-zero <see cref="QueueSettingsUpdate.StartRate"/>: one start per 1000 seconds.</summary>
    public const double MinStartRate = 0.001;

    /// <summary>The largest <see cref="QueueSettingsUpdate.StartBurst"/>.</summary>
    public const int MaxStartBurst = 1_000_000;

    /// <summary>The largest <see cref="QueueSettingsUpdate.MaxPerKey"/>.</summary>
    public const int MaxPerKey = 1_000_000;

    /// <summary>The shortest non-zero <see cref="QueueSettingsUpdate.AgingInterval"/>.</summary>
    public static readonly TimeSpan MinAgingInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest <see cref="QueueSettingsUpdate.AgingInterval"/>.</summary>
    public static readonly TimeSpan MaxAgingInterval = TimeSpan.FromDays(365);

    /// <summary>The longest concurrency key (the same characters as a tag).</summary>
    public const int MaxConcurrencyKeyLength = TaskLimits.MaxTagLength;
}
