using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;

namespace Oee.Grains.Handlers;

/// <summary>One handler registration: a name and the class that runs it.</summary>
/// <param name="Name">The handler name tasks refer to.</param>
/// <param name="HandlerType">The <see cref="ITaskHandler"/> class.</param>
internal sealed record TaskHandlerRegistration(string Name, Type HandlerType);

/// <summary>The handlers registered in this silo, by name.</summary>
internal sealed class TaskHandlerRegistry : IDisposable
{
    private readonly Dictionary<string, Type> handlers = new(StringComparer.Ordinal);

    // Handlers that need no DI scope to be built (see CreateWithoutScope), by name.
    private readonly Dictionary<string, ObjectFactory> scopeFree = new(StringComparer.Ordinal);

    // Submit-time input checks use one instance per handler from one long-lived scope, so that a
    // submit costs no DI scope and no handler construction.
    private readonly Lazy<IServiceScope> validationScope;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ITaskHandler> validators = new(StringComparer.Ordinal);

    public TaskHandlerRegistry(IEnumerable<TaskHandlerRegistration> registrations, IServiceScopeFactory scopes)
    {
        validationScope = new Lazy<IServiceScope>(scopes.CreateScope);
        foreach (var registration in registrations)
        {
            if (handlers.TryGetValue(registration.Name, out var existing) && existing != registration.HandlerType)
            {
                throw new InvalidOperationException(
                    $"Task handler '{registration.Name}' is registered twice, by {existing.FullName} and {registration.HandlerType.FullName}; give one of them another name.");
            }

            handlers[registration.Name] = registration.HandlerType;
        }

        Names = [.. handlers.Keys.Order(StringComparer.Ordinal)];
        foreach (var (name, type) in handlers)
        {
            if (NeedsNoScope(type))
            {
                scopeFree[name] = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
            }
        }
    }

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool Contains(string name) => handlers.ContainsKey(name);

    /// <summary>Every handler with its input's shape when it states one, by name.</summary>
    public HandlerInfo[] Describe() =>
    [
        .. Names.Select(name => new HandlerInfo
        {
            Name = name,
            InputShape = (validators.GetOrAdd(name, n => Resolve(validationScope.Value.ServiceProvider, n)!) as IDescribedInput)?.InputShape,
        }),
    ];

    /// <summary>A new handler instance from the given scope, or null when the name is unknown.</summary>
    public ITaskHandler? Resolve(IServiceProvider scope, string name) =>
        handlers.ContainsKey(name) ? scope.GetRequiredKeyedService<ITaskHandler>(name) : null;

    /// <summary>
    /// A new instance of a handler that needs no DI scope to be built: its class has one public
    /// constructor, without parameters, and is not disposable (nothing a scope would give it or
    /// dispose). Null for any other handler and for an unknown name: resolve it from a scope
    /// (<see cref="Resolve"/>).
    /// </summary>
    public ITaskHandler? CreateWithoutScope(IServiceProvider services, string name) =>
        scopeFree.TryGetValue(name, out var factory) ? (ITaskHandler)factory(services, null) : null;

    /// <summary>The submit-time problem with a handler name and input, or null when both are fine.</summary>
    public FieldError? Check(string name, string? input)
    {
        if (!handlers.ContainsKey(name))
        {
            return new FieldError("handler", $"Unknown handler '{name}'. Registered handlers: {string.Join(", ", Names)}.");
        }

        var validator = validators.GetOrAdd(name, n => Resolve(validationScope.Value.ServiceProvider, n)!);
        var problem = validator.ValidateInput(input);
        return problem is null ? null : new FieldError("input", $"Input for handler '{name}' is invalid: {problem}");
    }

    private static bool NeedsNoScope(Type type) =>
        type.GetConstructors() is [{ } only] && only.GetParameters().Length == 0
        && !typeof(IDisposable).IsAssignableFrom(type)
        && !typeof(IAsyncDisposable).IsAssignableFrom(type);

    public void Dispose()
    {
        if (validationScope.IsValueCreated)
        {
            validationScope.Value.Dispose();
        }
    }
}
