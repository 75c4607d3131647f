using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oee.Api.Errors;
using Oee.Api.OpenApi;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;

namespace Oee.Api.Hosting;

/// <summary>The API host's set-up, kept out of Program.cs.</summary>
internal static class OeeApiHostingExtensions
{
    /// <summary>Hosts an embedded silo or connects to a cluster, per <c>Oee:Api:Mode</c>.</summary>
    public static WebApplicationBuilder AddOeeBackend(this WebApplicationBuilder builder)
    {
        var options = OeeSettings.Read(builder.Configuration, OeeApiOptions.SectionName, new OeeApiOptionsValidator());
        builder.Services.AddValidatedOptions<OeeApiOptions, OeeApiOptionsValidator>(builder.Configuration, OeeApiOptions.SectionName);
        if (options.Mode == OeeApiMode.Client)
        {
            builder.UseOrleansClient(client => client.AddOeeClient(builder.Configuration).AddOeeDashboard(options));
        }
        else
        {
            builder.UseOrleans(silo => silo.AddOee(builder.Configuration).AddOeeDashboard(options));
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [OeeApiObservability.ReadyTag]);
        builder.AddOeeApiTelemetry();
        return builder;
    }

    /// <summary>JSON, problem details (each with a traceId), the exception mapping, validation, OpenAPI and the request pipeline's warm-up.</summary>
    public static WebApplicationBuilder AddOeeHttp(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, OeeApiJsonContext.Default);
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Customize);
        builder.Services.AddExceptionHandler<OeeExceptionHandler>();
        builder.Services.AddValidation();
        builder.Services.AddOeeOpenApi();

        // The request pipeline compiled before the first requests, and /health/ready 503 until then (Oee:Api:WarmUp).
        builder.Services.AddValidatedOptions<OeeApiWarmUpOptions, OeeApiWarmUpOptionsValidator>(builder.Configuration, OeeApiWarmUpOptions.SectionName);
        builder.Services.TryAddSingleton<ApiWarmUp>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ApiWarmUp>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("warm-up", sp => sp.GetRequiredService<ApiWarmUp>(), failureStatus: null, tags: [OeeApiObservability.ReadyTag]));
        return builder;
    }
}
