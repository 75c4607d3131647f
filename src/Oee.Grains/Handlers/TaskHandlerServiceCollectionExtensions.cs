using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Contracts;

namespace Oee.Grains.Handlers;

/// <summary>Registers task handlers in a silo.</summary>
public static class TaskHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="THandler"/> under <paramref name="name"/>
    /// (<c>[A-Za-z0-9._:-]</c>, at most 128). Registering the same pair twice is harmless;
    /// two classes under one name fail the silo's start.
    /// </summary>
    public static IServiceCollection AddTaskHandler<THandler>(this IServiceCollection services, string name)
        where THandler : class, ITaskHandler
    {
        if (!TaskLimits.IsIdentifier(name))
        {
            throw new ArgumentException($"Handler name '{name}' must be 1–128 characters of [A-Za-z0-9._:-].", nameof(name));
        }

        var registration = new TaskHandlerRegistration(name, typeof(THandler));
        if (services.Any(d => d.ServiceType == typeof(TaskHandlerRegistration) && Equals(d.ImplementationInstance, registration)))
        {
            return services;
        }

        services.AddSingleton(registration);
        services.AddKeyedTransient<ITaskHandler, THandler>(name);
        return services;
    }
}
