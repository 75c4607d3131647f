using System.Data.Common;
using Oee.Grains.Client;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace Oee.Grains.Errors;

/// <summary>
/// Which exceptions become which OEE fault, in one place: at a grain's boundary (what may leave a
/// grain call) and at the caller (what <see cref="IOrchestrator"/> throws). Pure: no I/O, no state.
/// </summary>
internal static class FaultTranslation
{
    /// <summary>
    /// What a grain call of OEE throws instead of <paramref name="exception"/>, or null to let it
    /// through unchanged. A storage provider's error anywhere in the chain (also inside Orleans'
    /// storage wrapper) becomes <see cref="OeeStorageUnavailableException"/>; an exception that
    /// Orleans cannot serialize becomes <see cref="OeeEngineFaultException"/>. Left alone: OEE's own
    /// exceptions, cancellation, and <see cref="InconsistentStateException"/>, on which Orleans relies
    /// to deactivate a stale activation (it looks for that exact type in the call's result).
    /// </summary>
    public static Exception? AtGrainBoundary(Exception exception, Func<Type, bool> isSerializable)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OeeException or OperationCanceledException or InconsistentStateException)
        {
            return null;
        }

        return FindProviderError(exception) is not null || !isSerializable(exception.GetType()) ? Replacement(exception) : null;
    }

    /// <summary>The OEE fault an exception stands for: storage unavailable for a provider's error anywhere in its chain, else an engine fault.</summary>
    public static OeeException Replacement(Exception exception) =>
        FindProviderError(exception) is { } provider ? StorageUnavailable(provider) : EngineFault(exception);

    /// <summary>
    /// What a caller of the cluster gets instead of <paramref name="exception"/>, or null to let it
    /// through: OEE's faults unwrapped from Orleans' wrappers, a storage provider's error (seen
    /// in-process, when the caller is a silo) as <see cref="OeeStorageUnavailableException"/>, and
    /// an unreachable or unanswering cluster as <see cref="OeeClusterUnavailableException"/>.
    /// </summary>
    public static Exception? AtCaller(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is OeeException)
        {
            return null;
        }

        foreach (var inner in Chain(exception))
        {
            if (inner is OeeException oee)
            {
                return oee;
            }
        }

        if (FindProviderError(exception) is { } provider)
        {
            return StorageUnavailable(provider);
        }

        return IsClusterUnavailable(exception) ? new OeeClusterUnavailableException(exception) : null;
    }

    /// <summary>
    /// The Orleans client's errors that mean "the cluster could not be reached or did not answer":
    /// a rejected message (no gateway, the target silo died or left), a gateway shedding load, a
    /// lost connection, the response timeout; and a stale activation's refused write
    /// (<see cref="InconsistentStateException"/>: for a moment two activations of one task, e.g. after a silo
    /// failure; Orleans deactivates the stale one and the same request reaches a fresh one).
    /// </summary>
    public static bool IsClusterUnavailable(Exception exception) =>
        exception is OrleansMessageRejectionException or GatewayTooBusyException or ConnectionFailedException or TimeoutException or InconsistentStateException;

    /// <summary>The first ADO.NET provider error (<see cref="DbException"/>: Npgsql's and any other's) in the chain.</summary>
    public static DbException? FindProviderError(Exception exception)
    {
        foreach (var inner in Chain(exception))
        {
            if (inner is DbException provider)
            {
                return provider;
            }
        }

        return null;
    }

    /// <summary>The provider's error as text: its message, type and SQL state; never the exception object.</summary>
    public static OeeStorageUnavailableException StorageUnavailable(DbException provider)
    {
        var error = provider.GetType().FullName ?? provider.GetType().Name;
        if (provider.SqlState is { Length: > 0 } state)
        {
            error += " " + state;
        }

        return new OeeStorageUnavailableException(provider.Message, error, "");
    }

    public static OeeEngineFaultException EngineFault(Exception exception) =>
        new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);

    /// <summary>The exception, its inner exceptions and an aggregate's, depth first, bounded against cycles.</summary>
    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>();
        pending.Push(exception);
        for (var seen = 0; pending.Count > 0 && seen < 64; seen++)
        {
            var current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
            {
                for (var i = aggregate.InnerExceptions.Count - 1; i >= 0; i--)
                {
                    pending.Push(aggregate.InnerExceptions[i]);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}
