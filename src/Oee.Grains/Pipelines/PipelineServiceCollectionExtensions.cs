using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oee.Grains.Configuration;
using Oee.Grains.Contracts;
using Oee.Grains.Handlers;

namespace Oee.Grains.Pipelines;

/// <summary>Registers pipelines in a silo: the <c>pipeline</c> handler and its options (<c>Oee:Pipelines</c>).</summary>
internal static class PipelineServiceCollectionExtensions
{
    /// <summary>Adds the <c>pipeline</c> handler (its stages need the <c>model</c> handler and the model catalog). Safe to call twice.</summary>
    public static IServiceCollection AddOeePipelines(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<OeePipelineOptions, OeePipelineOptionsValidator>(configuration, OeePipelineOptions.SectionName);
        services.AddTaskHandler<PipelineHandler>(PipelineLimits.HandlerName);
        return services;
    }
}
