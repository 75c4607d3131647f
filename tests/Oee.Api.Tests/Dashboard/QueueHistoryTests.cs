using Oee.Api.Dashboard;
using Oee.Grains.Contracts;

namespace Oee.Api.Tests.Dashboard;

public sealed class QueueHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static QueueStatus Queue(string name, int pending, int running, long started, long finished) =>
        new() { Name = name, Pending = pending, Running = running, Started = started, Finished = finished };

    [Fact]
    public void Rates_are_counter_deltas_over_the_time_between_samples()
    {
        var history = new QueueHistory(TimeSpan.FromMinutes(10));
        var first = history.Record(T0, [Queue("a", 10, 2, 100, 90), Queue("b", 5, 0, 0, 0)]);
        Assert.Equal(0, first.FinishedPerSecond);
        Assert.Equal(15, first.Pending);

        var second = history.Record(T0.AddSeconds(5), [Queue("a", 4, 3, 130, 110), Queue("b", 6, 1, 1, 0)]);
        Assert.Equal(4.0, second.Queues["a"].FinishedPerSecond, 9);   // (110 - 90) / 5
        Assert.Equal(6.0, second.Queues["a"].StartedPerSecond, 9);    // (130 - 100) / 5
        Assert.Equal(0.2, second.Queues["b"].StartedPerSecond, 9);
        Assert.Equal(6.2, second.StartedPerSecond, 9);
        Assert.Equal(10, second.Pending);
        Assert.Equal(4, second.Running);
    }

    [Fact]
    public void A_counter_that_went_down_counts_from_zero_and_a_new_queue_has_no_rate_yet()
    {
        var history = new QueueHistory(TimeSpan.FromMinutes(10));
        history.Record(T0, [Queue("a", 0, 0, 500, 500)]);
        var after = history.Record(T0.AddSeconds(10), [Queue("a", 0, 0, 20, 10), Queue("new", 3, 0, 50, 40)]);
        Assert.Equal(1.0, after.Queues["a"].FinishedPerSecond, 9);   // re-activated: 10 since then
        Assert.Equal(0, after.Queues["new"].FinishedPerSecond);
        Assert.Equal(0, after.Queues["new"].StartedPerSecond);
    }

    [Fact]
    public void Samples_older_than_the_window_are_forgotten_oldest_first()
    {
        var history = new QueueHistory(TimeSpan.FromMinutes(1));
        for (var i = 0; i <= 30; i++)
        {
            history.Record(T0.AddSeconds(i * 5), [Queue("a", i, 0, i, i)]);
        }

        var samples = history.Snapshot();
        Assert.Equal(T0.AddSeconds(90), samples[0].At);     // 150 s - 60 s
        Assert.Equal(T0.AddSeconds(150), samples[^1].At);
        Assert.Equal(13, samples.Length);
        Assert.All(samples.Skip(1), s => Assert.Equal(0.2, s.FinishedPerSecond, 9));
    }
}
