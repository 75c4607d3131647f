using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Handlers;

namespace Oee.Grains.Tests.Handlers;

public sealed class AttemptServiceScopeTests
{
    [Fact]
    public async Task A_lazy_scope_is_created_on_the_first_request_and_disposed_with_the_attempt()
    {
        using var provider = Services();
        var made = provider.GetRequiredService<MadeScopedServices>();

        var scope = new AttemptServiceScope(provider.GetRequiredService<IServiceScopeFactory>(), createNow: false);
        Assert.Equal(0, made.Count);

        var first = scope.GetRequiredService<ScopedThing>();
        Assert.Same(first, scope.GetRequiredService<ScopedThing>());
        Assert.Same(scope.GetRequiredKeyedService<ScopedThing>("k"), scope.GetRequiredKeyedService<ScopedThing>("k"));
        Assert.Equal(2, made.Count);

        await scope.DisposeAsync();
        Assert.True(first.Disposed);
        Assert.Throws<ObjectDisposedException>(() => scope.GetService(typeof(ScopedThing)));
    }

    [Fact]
    public async Task Each_attempt_has_its_own_scope_and_one_never_used_costs_nothing_to_dispose()
    {
        using var provider = Services();
        var scopes = provider.GetRequiredService<IServiceScopeFactory>();

        await using var one = new AttemptServiceScope(scopes, createNow: true);
        await using var other = new AttemptServiceScope(scopes, createNow: false);
        Assert.NotSame(one.GetRequiredService<ScopedThing>(), other.GetRequiredService<ScopedThing>());

        var unused = new AttemptServiceScope(scopes, createNow: false);
        await unused.DisposeAsync();
        Assert.Equal(2, provider.GetRequiredService<MadeScopedServices>().Count);
    }

    private static ServiceProvider Services() => new ServiceCollection()
        .AddSingleton<MadeScopedServices>()
        .AddScoped<ScopedThing>()
        .AddKeyedScoped<ScopedThing>("k")
        .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

    private sealed class MadeScopedServices
    {
        public int Count { get; set; }
    }

    private sealed class ScopedThing : IDisposable
    {
        public ScopedThing(MadeScopedServices made) => made.Count++;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
