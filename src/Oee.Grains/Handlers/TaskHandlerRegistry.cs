using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;

namespace Oee.Grains.Handlers;

/// <summary>One handler registration: a name and the class that runs it.</summary>
/// <param name="Name">The handler name tasks refer to.</param>
/// <param name="HandlerType">The <see cref="ITaskHandler"/> class.</param>
public sealed record TaskHandlerRegistration(string Name, Type HandlerType);

/// <summary>The handlers registered in this silo, by name.</summary>
internal sealed class TaskHandlerRegistry
{
    private readonly Dictionary<string, Type> handlers = new(StringComparer.Ordinal);

    public TaskHandlerRegistry(IEnumerable<TaskHandlerRegistration> registrations)
    {
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
    }

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    public bool Contains(string name) => handlers.ContainsKey(name);

    /// <summary>A new handler instance from the given scope, or null when the name is unknown.</summary>
    public ITaskHandler? Resolve(IServiceProvider scope, string name) =>
        handlers.ContainsKey(name) ? scope.GetRequiredKeyedService<ITaskHandler>(name) : null;

    /// <summary>The submit-time problem with a handler name and input, or null when both are fine.</summary>
    public FieldError? Check(IServiceProvider services, string name, string? input)
    {
        if (!handlers.ContainsKey(name))
        {
            return new FieldError("handler", $"Unknown handler '{name}'. Registered handlers: {string.Join(", ", Names)}.");
        }

        using var scope = services.CreateScope();
        var problem = Resolve(scope.ServiceProvider, name)!.ValidateInput(input);
        return problem is null ? null : new FieldError("input", $"Input for handler '{name}' is invalid: {problem}");
    }
}
