using Microsoft.Extensions.Time.Testing;
using Oee.Grains.Handlers;
using Oee.Grains.Handlers.BuiltIn;

namespace Oee.Grains.Tests.Handlers;

public sealed class BuiltInHandlerTests
{
    private static TaskContext Context(string? input, CancellationToken cancellationToken = default, TimeProvider? time = null) => new()
    {
        TaskId = "t",
        Name = "n",
        Queue = "q",
        Attempt = 1,
        Input = input,
        CancellationToken = cancellationToken,
        Services = EmptyServices.Instance,
        Time = time ?? TimeProvider.System,
    };

    [Fact]
    public async Task Echo_returns_its_input()
    {
        Assert.Equal("{\"a\":[1,2]}", await new EchoHandler().ExecuteAsync(Context("{\"a\":[1,2]}")));
        Assert.Null(await new EchoHandler().ExecuteAsync(Context(null)));
    }

    [Fact]
    public async Task Delay_waits_the_given_time_on_the_context_clock()
    {
        var time = new FakeTimeProvider();
        var run = new DelayHandler().ExecuteAsync(Context("{\"ms\": 5000}", time: time));

        time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("{\"ms\":5000}", await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Delay_stops_at_once_when_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var run = new DelayHandler().ExecuteAsync(Context("{\"ms\": 60000}", cancellation.Token, new FakeTimeProvider()));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("{\"ms\": -1}")]
    [InlineData("{\"ms\": 86400001}")]
    [InlineData("{\"ms\": \"10\"}")]
    [InlineData("{\"ms\": 1.5}")]
    [InlineData("[1]")]
    public void Delay_refuses_inputs_that_are_not_a_whole_ms_in_range(string? input) =>
        Assert.NotNull(((ITaskHandler)new DelayHandler()).ValidateInput(input));

    [Fact]
    public void Delay_accepts_a_whole_ms() => Assert.Null(((ITaskHandler)new DelayHandler()).ValidateInput("{\"ms\": 10}"));

    [Fact]
    public async Task Fail_fails_with_the_given_message()
    {
        var error = await Assert.ThrowsAsync<TaskBodyFailedException>(() => new FailHandler().ExecuteAsync(Context("{\"message\": \"it broke\"}")));
        Assert.Equal("it broke", error.Message);
        Assert.NotNull(((ITaskHandler)new FailHandler()).ValidateInput("{}"));
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static EmptyServices Instance { get; } = new();

        public object? GetService(Type serviceType) => null;
    }
}
