using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Oee.Grains.Hosting;
using Oee.Grains.Tests.Cluster;
using Oee.Grains.Workers;
using Oee.Tests.Shared;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Oee.Grains.Tests.Hosting;

/// <summary>
/// OEE configures Orleans' silo metadata itself (to announce the silo's worker slots): a host that configures it too, before
/// or after AddOee, or sets OEE's key under Orleans:Metadata, is refused with what to do instead.
/// </summary>
public sealed class WorkerSlotsAnnouncementTests
{
    [Fact]
    public void Silo_metadata_configured_before_OEE_is_refused_at_once_with_what_to_do_instead()
    {
        var builder = Host.CreateApplicationBuilder();
        var error = Assert.Throws<InvalidOperationException>(() => builder.UseOrleans(s => s.UseSiloMetadata().AddOee(builder.Configuration)));

        Assert.Contains("UseSiloMetadata", error.Message);
        Assert.Contains("Orleans:Metadata", error.Message);
    }

    [Fact]
    public async Task Silo_metadata_configured_after_OEE_stops_the_silo_s_start_with_what_to_do_instead()
    {
        var builder = Host.CreateApplicationBuilder();
        // A silo of its own on free ports (localhost clustering), which the check stops before it binds them.
        var siloPort = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:SiloPort"] = siloPort,
            ["Oee:Cluster:PrimarySiloPort"] = siloPort,
            ["Oee:Cluster:GatewayPort"] = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Oee:Cluster:ClusterId"] = Waiting.Unique("metadata-twice"),
        });
        builder.UseOrleans(s => s.AddOee(builder.Configuration).UseSiloMetadata(new Dictionary<string, string> { [ClusterWorkerSlots.MetadataKey] = "999" }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("configured twice", messages);
        Assert.Contains("Orleans:Metadata", messages);
    }

    [Theory]
    [InlineData("oee.worker-slots")]
    [InlineData("OEE.Worker-Slots")]
    public void OEE_s_own_key_in_the_host_s_metadata_is_refused_whatever_its_case(string key)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Orleans:Metadata:" + key] = "5" });
        var error = Assert.Throws<InvalidOperationException>(() => builder.UseOrleans(s => s.AddOee(builder.Configuration)));

        Assert.Contains("Oee:WorkerSlotsPerSilo", error.Message);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
