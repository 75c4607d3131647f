using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Time;
using MembershipStatus = Orleans.Runtime.SiloStatus;
using Oee.Grains.Workers;
using Orleans.Runtime;

namespace Oee.Grains.Cluster;

/// <summary>What is known of a running task's attempt when its task has no activation running it.</summary>
internal enum AttemptState
{
    /// <summary>Its silo is dead or gone, or says it does not run the attempt: the attempt was lost.</summary>
    Lost,

    /// <summary>Its silo runs it now (an older activation of the task drains there, or outlived its activation).</summary>
    Running,

    /// <summary>Its silo is stopping or did not answer: ask again later.</summary>
    Unknown,
}

/// <summary>
/// Finds out whether a task's current attempt still runs on the silo that started it, so that a
/// queue's lease check never starts attempt n+1 while attempt n runs on a live silo.
/// </summary>
internal sealed class AttemptWhereabouts(
    IClusterMembershipService membership,
    IGrainFactory grains,
    LocalAttempts localAttempts,
    ILocalSiloDetails localSilo,
    IOptions<OeeOptions> options,
    [FromKeyedServices(OeeClock.ServiceKey)] TimeProvider time)
{
    public async Task<AttemptState> Find(TaskRecord task)
    {
        if (task.Silo is null)
        {
            return AttemptState.Lost;
        }

        if (task.Silo == localSilo.SiloAddress.ToParsableString())
        {
            return localAttempts.IsRunning(task.Id, task.Attempt) ? AttemptState.Running : AttemptState.Lost;
        }

        SiloAddress address;
        try
        {
            address = SiloAddress.FromParsableString(task.Silo);
        }
        catch (FormatException)
        {
            return AttemptState.Lost;
        }

        switch (membership.CurrentSnapshot.GetSiloStatus(address))
        {
            case MembershipStatus.Active:
                break;
            case MembershipStatus.ShuttingDown or MembershipStatus.Stopping or MembershipStatus.Joining or MembershipStatus.Created:
                // A stopping silo either finishes or hands back its bodies, or dies: wait for either.
                return AttemptState.Unknown;
            default:
                return AttemptState.Lost;
        }

        try
        {
            // Bounded like a status question: a silo that stopped answering must not hold up a lease check.
            var answer = grains.GetGrain<ISiloWorkerGrain>(task.Silo).RunsAttempt(task.Id, task.Attempt);
            return await answer.WaitAsync(options.Value.SiloStatusTimeout, time)
                ? AttemptState.Running
                : AttemptState.Lost;
        }
        catch (Exception)
        {
            // Unreachable now: membership will declare it dead if it is, and the next lease check decides.
            return AttemptState.Unknown;
        }
    }

    /// <summary>
    /// Tells the silo that runs the task's current attempt to stop its body (the task was cancelled
    /// while its body runs on beyond the activation that started it). Best effort, bounded like a
    /// status question: a body that is not told finishes, and its outcome ends the task as cancelled.
    /// </summary>
    public async Task TellToStop(TaskRecord task)
    {
        if (task.Silo is null)
        {
            return;
        }

        if (task.Silo == localSilo.SiloAddress.ToParsableString())
        {
            localAttempts.Cancel(task.Id, task.Attempt);
            return;
        }

        try
        {
            await grains.GetGrain<ISiloWorkerGrain>(task.Silo).CancelAttempt(task.Id, task.Attempt).WaitAsync(options.Value.SiloStatusTimeout, time);
        }
        catch (Exception)
        {
            // Gone or not answering: its body ends with it, and a lease check recovers the task as cancelled.
        }
    }
}
