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
}
