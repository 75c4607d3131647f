using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Handlers;
using Oee.Grains.Handlers.BuiltIn;

namespace Oee.Grains.Tests.Handlers;

public sealed class TaskHandlerRegistryTests
{
    [Fact]
    public void Registering_the_same_handler_twice_is_harmless()
    {
        var services = new ServiceCollection();
        services.AddTaskHandler<EchoHandler>("echo").AddTaskHandler<EchoHandler>("echo");
        using var provider = services.AddSingleton<TaskHandlerRegistry>().BuildServiceProvider();

        Assert.Equal(["echo"], provider.GetRequiredService<TaskHandlerRegistry>().Names);
    }

    [Fact]
    public void Two_classes_under_one_name_fail_with_a_message_naming_both()
    {
        var services = new ServiceCollection();
        services.AddTaskHandler<EchoHandler>("x").AddTaskHandler<FailHandler>("x");
        using var provider = services.AddSingleton<TaskHandlerRegistry>().BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TaskHandlerRegistry>());
        Assert.Contains(nameof(EchoHandler), error.Message);
        Assert.Contains(nameof(FailHandler), error.Message);
    }

    [Fact]
    public void A_bad_handler_name_is_refused_at_registration() =>
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTaskHandler<EchoHandler>("no spaces"));

    [Fact]
    public void Check_names_unknown_handlers_and_bad_inputs()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System).AddTaskHandler<DelayHandler>("delay");
        using var provider = services.AddSingleton<TaskHandlerRegistry>().BuildServiceProvider();
        var registry = provider.GetRequiredService<TaskHandlerRegistry>();

        Assert.Equal("handler", registry.Check("nope", null)!.Field);
        Assert.Equal("input", registry.Check("delay", "{\"ms\":-5}")!.Field);
        Assert.Null(registry.Check("delay", "{\"ms\":5}"));
    }

    [Fact]
    public void Only_a_handler_with_nothing_to_inject_or_dispose_is_built_without_a_scope()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System)
            .AddTaskHandler<EchoHandler>("echo")
            .AddTaskHandler<ClockHandler>("clock")
            .AddTaskHandler<DisposableHandler>("disposable");
        using var provider = services.AddSingleton<TaskHandlerRegistry>().BuildServiceProvider();
        var registry = provider.GetRequiredService<TaskHandlerRegistry>();

        var echo = registry.CreateWithoutScope(provider, "echo");
        Assert.IsType<EchoHandler>(echo);
        Assert.NotSame(echo, registry.CreateWithoutScope(provider, "echo"));

        // A constructor with parameters or a disposable handler: from a scope, as before.
        Assert.Null(registry.CreateWithoutScope(provider, "clock"));
        Assert.Null(registry.CreateWithoutScope(provider, "disposable"));
        Assert.Null(registry.CreateWithoutScope(provider, "nope"));
        using var scope = provider.CreateScope();
        Assert.IsType<DisposableHandler>(registry.Resolve(scope.ServiceProvider, "disposable"));
    }

    private sealed class ClockHandler(TimeProvider time) : ITaskHandler
    {
        public Task<string?> ExecuteAsync(TaskContext context) => Task.FromResult<string?>(time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class DisposableHandler : ITaskHandler, IDisposable
    {
        public Task<string?> ExecuteAsync(TaskContext context) => Task.FromResult<string?>(null);

        public void Dispose()
        {
        }
    }
}
