using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tasks;

/// <summary>
/// The silo's budget for keeping the activations of waiting tasks (<see cref="OeeOptions.WaitingTaskHoldBytes"/>).
/// A task waiting for its dependencies would otherwise let its activation go at once, and each dependent of a
/// dependency that finishes a moment later would be activated again and read its record: in a fan-out of a
/// thousand, a second activation and read for most of them. The budget bounds what keeping them costs.
/// </summary>
internal sealed class WaitingTaskHolds
{
    /// <summary>
    /// What a kept activation is charged besides its input: the grain, its record and Orleans' share. Measured
    /// (session 20): 20,000 waiting tasks with small inputs raised an API process's RSS by 3.7 KiB more each
    /// when kept than when let go.
    /// </summary>
    internal const long BaseCharge = 4 * 1024;

    private readonly long budget;
    private long held;

    public WaitingTaskHolds(IOptions<OeeOptions> options)
        : this(options.Value.WaitingTaskHoldBytes, options.Value.WaitingTaskHoldTime)
    {
    }

    internal WaitingTaskHolds(long budget, TimeSpan holdTime)
    {
        this.budget = budget;
        HoldTime = holdTime;
    }

    /// <summary>How long a waiting task's activation is kept before it goes.</summary>
    public TimeSpan HoldTime { get; }

    /// <summary>The bytes charged to the activations kept now.</summary>
    public long Held => Volatile.Read(ref held);

    /// <summary>The estimate charged for keeping <paramref name="task"/>'s activation: a base plus its input's characters (two bytes each).</summary>
    public static long ChargeOf(TaskRecord task) => BaseCharge + (2L * (task.Input?.Length ?? 0));

    /// <summary>Charges <paramref name="charge"/> bytes when they fit in the budget; false (nothing charged) when not.</summary>
    public bool TryHold(long charge)
    {
        var now = Volatile.Read(ref held);
        while (true)
        {
            if (now + charge > budget)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref held, now + charge, now);
            if (seen == now)
            {
                return true;
            }

            now = seen;
        }
    }

    /// <summary>Gives back what <see cref="TryHold"/> charged.</summary>
    public void Release(long charge) => Interlocked.Add(ref held, -charge);
}
