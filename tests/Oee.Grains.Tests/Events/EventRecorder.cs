using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Events;

namespace Oee.Grains.Tests.Events;

/// <summary>An Orleans client's event feed for one test, and helpers to read a task's events until it is final.</summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly TaskEventFeed feed;

    private EventRecorder(IGrainFactory grains) =>
        feed = new TaskEventFeed(grains, Options.Create(new OeeEventOptions()), NullLogger<TaskEventFeed>.Instance);

    public ITaskEventSource Source => feed;

    /// <summary>A feed on the test cluster's client (the process of an Orleans client).</summary>
    public static EventRecorder On(IGrainFactory grains) => new(grains);

    /// <summary>Reads the subscription's events until one is final, within a generous deadline.</summary>
    public static async Task<List<TaskEvent>> UntilFinal(TaskEventSubscription subscription, int seconds = 60)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var events = new List<TaskEvent>();
        try
        {
            await foreach (var taskEvent in subscription.ReadAllAsync(deadline.Token))
            {
                events.Add(taskEvent);
                if (taskEvent.IsFinal)
                {
                    return events;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"No final event within {seconds}s; got: {Describe(events)}");
    }

    /// <summary>Reads <paramref name="count"/> events within a generous deadline.</summary>
    public static async Task<List<TaskEvent>> Take(TaskEventSubscription subscription, int count, int seconds = 60)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var events = new List<TaskEvent>();
        try
        {
            await foreach (var taskEvent in subscription.ReadAllAsync(deadline.Token))
            {
                events.Add(taskEvent);
                if (events.Count == count)
                {
                    return events;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"Got {events.Count} of {count} events within {seconds}s: {Describe(events)}");
    }

    public static string Describe(IEnumerable<TaskEvent> events) =>
        string.Join(", ", events.Select(e => $"v{e.Version} {e.OldStatus?.ToWireName() ?? "-"}->{e.Status.ToWireName()} ({e.Reason})"));

    /// <summary>One task's events: numbered without gaps, each starting from the status the one before ended in.</summary>
    public static void AssertChained(IReadOnlyList<TaskEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Version == events[i - 1].Version + 1, $"Version gap or disorder at {i}: {Describe(events)}");
            Assert.True(events[i].OldStatus == events[i - 1].Status, $"Status chain broken at {i}: {Describe(events)}");
            Assert.True(events[i].Id > events[i - 1].Id, $"Ids not increasing at {i}: {Describe(events)}");
        }
    }

    public ValueTask DisposeAsync() => feed.DisposeAsync();
}
