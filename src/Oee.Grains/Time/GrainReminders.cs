namespace Oee.Grains.Time;

/// <summary>The reminder operations the engine's grains share (queues, schedules): durable wake-ups that come and go with their work.</summary>
internal static class GrainReminders
{
    /// <summary>Registers the reminder to fire every <paramref name="period"/>, or (when not <paramref name="register"/>) removes it; removing an absent one changes nothing.</summary>
    public static Task SetWakeReminder(this Grain grain, string name, TimeSpan period, bool register) =>
        register ? grain.RegisterOrUpdateReminder(name, period, period) : grain.RemoveReminder(name);

    /// <summary>Removes the grain's reminder of this name, when it has one.</summary>
    public static async Task RemoveReminder(this Grain grain, string name)
    {
        if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
