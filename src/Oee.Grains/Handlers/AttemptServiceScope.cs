using Microsoft.Extensions.DependencyInjection;

namespace Oee.Grains.Handlers;

/// <summary>
/// An attempt's DI scope (<see cref="TaskContext.Services"/>), disposed with the attempt. For a
/// handler built without a scope (<see cref="TaskHandlerRegistry.CreateWithoutScope"/>) the scope is
/// created only on the body's first request for a service (most bodies ask for none), so a body sees
/// exactly what a scope of its own would give it either way.
/// </summary>
internal sealed class AttemptServiceScope : IServiceProvider, IKeyedServiceProvider, IAsyncDisposable
{
    private readonly IServiceScopeFactory scopes;
    private readonly Lock gate = new();
    private AsyncServiceScope? scope;
    private bool disposed;

    /// <param name="scopes">Where the scope comes from.</param>
    /// <param name="createNow">Create the scope at once (a handler resolved from it), else on first use.</param>
    public AttemptServiceScope(IServiceScopeFactory scopes, bool createNow)
    {
        this.scopes = scopes;
        if (createNow)
        {
            scope = scopes.CreateAsyncScope();
        }
    }

    public object? GetService(Type serviceType) => Provider.GetService(serviceType);

    public object? GetKeyedService(Type serviceType, object? serviceKey) => Keyed.GetKeyedService(serviceType, serviceKey);

    public object GetRequiredKeyedService(Type serviceType, object? serviceKey) => Keyed.GetRequiredKeyedService(serviceType, serviceKey);

    public ValueTask DisposeAsync()
    {
        AsyncServiceScope? created;
        lock (gate)
        {
            disposed = true;
            created = scope;
        }

        return created is { } own ? own.DisposeAsync() : ValueTask.CompletedTask;
    }

    private IKeyedServiceProvider Keyed => Provider as IKeyedServiceProvider
        ?? throw new InvalidOperationException("This silo's service provider does not support keyed services.");

    private IServiceProvider Provider
    {
        get
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                scope ??= scopes.CreateAsyncScope();
                return scope.Value.ServiceProvider;
            }
        }
    }
}
