using System.Collections.Concurrent;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Faults on the way into a grain, for a test's own cluster (an incoming grain call filter added to its silos): a call
/// of one method (by name) to one grain (by key) is held until released or until its caller cancels it (a storage read
/// that hangs), fails with an exception (a storage blip), is answered without reaching the grain (a message lost on
/// the way), or reaches the grain and has its answer held (an answer slow on its way back, while what the grain did
/// goes on). Every other call passes through untouched. Counts the calls it saw and those answered, per method and key,
/// so that a test waits for a call to arrive (or to be answered) rather than for a time.
/// </summary>
public sealed class GrainCallFaults : IIncomingGrainCallFilter
{
    /// <summary>The key that sets a fault on every grain the method is called on (e.g. a stateless worker, whose key a test does not know).</summary>
    public const string AnyGrain = "*";

    private readonly ConcurrentDictionary<(string Method, string Key), Fault> faults = new();
    private readonly ConcurrentDictionary<(string Method, string Key), int> seen = new();
    private readonly ConcurrentDictionary<(string Method, string Key), int> answered = new();

    /// <summary>Calls of <paramref name="method"/> to grain <paramref name="key"/> wait until <see cref="Clear"/> or their caller cancels.</summary>
    public void Hold(string method, string key) => faults[(method, key)] = new Fault(Kind.Hold, null, null, int.MaxValue);

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="method"/> to grain <paramref name="key"/> reach it, and their
    /// answers wait until <see cref="Clear"/> or their caller cancels (counted as answered only then).
    /// </summary>
    public void HoldAnswer(string method, string key, int times = 1) => faults[(method, key)] = new Fault(Kind.HoldAnswer, null, null, times);

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> to grain <paramref name="key"/> throw <paramref name="exception"/>.</summary>
    public void Fail(string method, string key, Exception exception, int times = int.MaxValue) =>
        faults[(method, key)] = new Fault(Kind.Fail, exception, null, times);

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> to grain <paramref name="key"/> are answered <paramref name="answer"/> without reaching it.</summary>
    public void Drop(string method, string key, object? answer, int times = 1) =>
        faults[(method, key)] = new Fault(Kind.Drop, null, answer, times);

    /// <summary>Ends the fault: calls pass again, and those held go on to the grain.</summary>
    public void Clear(string method, string key)
    {
        if (faults.TryRemove((method, key), out var fault))
        {
            fault.Released.TrySetResult();
        }
    }

    /// <summary>How many calls of the method to the grain (to any, with <see cref="AnyGrain"/>) arrived so far.</summary>
    public int Seen(string method, string key) => seen.GetValueOrDefault((method, key));

    /// <summary>How many calls of the method to the grain (to any, with <see cref="AnyGrain"/>) were answered so far (by the grain or by a fault).</summary>
    public int Answered(string method, string key) => answered.GetValueOrDefault((method, key));

    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        (string Method, string Key) call = (context.InterfaceMethod.Name, context.TargetId.Key.ToString()!);
        Count(seen, call);
        try
        {
            if ((faults.TryGetValue(call, out var fault) || faults.TryGetValue((call.Method, AnyGrain), out fault)) && fault.Take())
            {
                switch (fault.Kind)
                {
                    case Kind.Hold:
                        await fault.Released.Task.WaitAsync(CallersToken(context));
                        break;
                    case Kind.Fail:
                        throw fault.Exception!;
                    case Kind.Drop:
                        context.Result = fault.Answer;
                        return;
                    case Kind.HoldAnswer:
                        await context.Invoke();
                        await fault.Released.Task.WaitAsync(CallersToken(context));
                        return;
                }
            }

            await context.Invoke();
        }
        finally
        {
            Count(answered, call);
        }
    }

    // Counted under the grain's key and under AnyGrain.
    private static void Count(ConcurrentDictionary<(string Method, string Key), int> counts, (string Method, string Key) call)
    {
        counts.AddOrUpdate(call, 1, static (_, n) => n + 1);
        counts.AddOrUpdate((call.Method, AnyGrain), 1, static (_, n) => n + 1);
    }

    // The call's own token, when the method takes one: Orleans cancels it when the caller cancels.
    private static CancellationToken CallersToken(IIncomingGrainCallContext context)
    {
        for (var i = 0; i < context.Request.GetArgumentCount(); i++)
        {
            if (context.Request.GetArgument(i) is CancellationToken token)
            {
                return token;
            }
        }

        return CancellationToken.None;
    }

    private enum Kind
    {
        Hold,
        Fail,
        Drop,
        HoldAnswer,
    }

    private sealed class Fault(Kind kind, Exception? exception, object? answer, int times)
    {
        private int left = times;

        public Kind Kind => kind;

        public Exception? Exception => exception;

        public object? Answer => answer;

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // A fault acts on as many calls as it was set for; the rest pass.
        public bool Take() => Interlocked.Decrement(ref left) >= 0;
    }
}
