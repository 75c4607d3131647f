using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oee.Grains.Cluster.Placement;
using Oee.Grains.Hosting;
using Orleans.Runtime;
using Polly.Registry;

namespace Oee.Grains.Tests.Cluster.Placement;

/// <summary>Which placement pipeline a silo built by <c>AddOee</c> serves Orleans (the host is built, not started).</summary>
public sealed class PlacementPipelineChoiceTests
{
    [Fact]
    public void A_silo_serves_OEEs_placement_pipeline_by_default()
    {
        using var host = SiloHost(orleansPipeline: null);

        Assert.IsType<PlacementPipelineProvider>(host.Services.GetRequiredService<ResiliencePipelineProvider<string>>());
    }

    [Fact]
    public void The_setting_gives_Orleans_its_own_placement_pipeline_back()
    {
        using var host = SiloHost(orleansPipeline: "true");

        var provider = host.Services.GetRequiredService<ResiliencePipelineProvider<string>>();
        Assert.IsNotType<PlacementPipelineProvider>(provider);
        Assert.True(provider.TryGetPipeline<SiloAddress>(PlacementPipelineProvider.OrleansPlacementKey, out _));
    }

    private static IHost SiloHost(string? orleansPipeline)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:OrleansPlacementPipeline"] = orleansPipeline,
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.AddOee(configuration));
        return builder.Build();
    }
}
