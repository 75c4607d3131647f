using Oee.Grains.Contracts;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Tasks;

public sealed class SubmitPolicyTests
{
    private static readonly TaskRecord Task = TaskStateMachineTests.Queued() with
    {
        Name = "n",
        Handler = "echo",
        Queue = "default",
        Priority = 5,
        Tags = ["a"],
        Input = "{\"x\": 1, \"y\": [1, 2]}",
    };

    private static readonly SubmitTaskRequest Same = new() { Name = "n", Handler = "echo", Tags = ["a"], Input = "{\"y\":[1,2],\"x\":1}" };

    [Fact]
    public void The_same_request_with_defaults_and_reordered_json_matches() => Assert.True(SubmitPolicy.IsSameRequest(Task, Same));

    [Fact]
    public void Any_differing_field_does_not_match()
    {
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { Name = "m" }));
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { Handler = "delay" }));
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { Queue = "other" }));
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { Priority = 6 }));
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { Tags = ["b"] }));
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { Input = "{\"x\":2,\"y\":[1,2]}" }));
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { Input = null }));
        Assert.False(SubmitPolicy.IsSameRequest(Task, Same with { ConcurrencyKey = "tenant" }));
        Assert.False(SubmitPolicy.IsSameRequest(Task with { ConcurrencyKey = "tenant" }, Same));
        Assert.True(SubmitPolicy.IsSameRequest(Task with { ConcurrencyKey = "tenant" }, Same with { ConcurrencyKey = "tenant" }));
    }

    [Fact]
    public void A_tasks_own_callback_wins_and_without_one_it_gets_its_queues()
    {
        const string Queue = "https://hooks.example.com/queue";
        const string Own = "https://hooks.example.com/own";
        TaskRecord Accepted(SubmitTaskRequest request) =>
            SubmitPolicy.ForClient.Accept("t", request, 1, DateTimeOffset.UnixEpoch, queueCallbackUrl: Queue, queueCallbackEvents: WebhookEvents.All);

        var inherited = Accepted(Same);
        var own = Accepted(Same with { CallbackUrl = Own });
        var ownAll = Accepted(Same with { CallbackUrl = Own, CallbackEvents = WebhookEvents.All });
        var eventsOnly = Accepted(Same with { CallbackEvents = WebhookEvents.Final });
        var noQueueCallback = SubmitPolicy.ForClient.Accept("t", Same, 1, DateTimeOffset.UnixEpoch);

        Assert.Equal((Queue, WebhookEvents.All), (inherited.CallbackUrl, inherited.CallbackEvents));
        Assert.Equal((Own, WebhookEvents.Final), (own.CallbackUrl, own.CallbackEvents));
        Assert.Equal((Own, WebhookEvents.All), (ownAll.CallbackUrl, ownAll.CallbackEvents));
        Assert.Equal((Queue, WebhookEvents.Final), (eventsOnly.CallbackUrl, eventsOnly.CallbackEvents));
        Assert.Equal((null, WebhookEvents.Final), (noQueueCallback.CallbackUrl, noQueueCallback.CallbackEvents));

        // A repeat without a callback still asks for the task that got its queue's.
        Assert.True(SubmitPolicy.IsSameRequest(inherited, Same));
    }
}
