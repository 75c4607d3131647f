using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// The one way OEE's settings are read: each options class is bound from its configuration
/// section and checked by its validator, whose messages name the setting (<c>Oee:...</c>) and
/// what to fix. Settings a host needs while it is being built are read with <see cref="Read{TOptions}"/>;
/// the others are registered with <see cref="AddValidatedOptions{TOptions, TValidator}"/> and
/// checked when the host starts. Either way a bad value stops the host before it serves anything.
/// </summary>
public static class OeeSettings
{
    /// <summary>Binds the section to a new <typeparamref name="TOptions"/> and validates it; throws <see cref="OptionsValidationException"/> listing every bad setting.</summary>
    public static TOptions Read<TOptions>(IConfiguration configuration, string sectionName, IValidateOptions<TOptions> validator)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(validator);
        var options = new TOptions();
        configuration.GetSection(sectionName).Bind(options);
        return Validate(options, sectionName, validator);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every bad setting, or returns the options.</summary>
    public static TOptions Validate<TOptions>(TOptions options, string sectionName, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(sectionName, typeof(TOptions), result.Failures) : options;
    }

    /// <summary>Binds <typeparamref name="TOptions"/> to the section and validates it with <typeparamref name="TValidator"/> when the host starts. Safe to call twice.</summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationType == typeof(TValidator)))
        {
            services.AddOptions<TOptions>().Bind(configuration.GetSection(sectionName)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        }

        return services;
    }
}
