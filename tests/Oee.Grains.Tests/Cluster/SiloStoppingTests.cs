using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Oee.Grains.Cluster;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// A silo counts as stopping from the moment its host's stop begins, before Orleans marks it as shutting
/// down, so that the engine starts no body on it in between (with a running silo's real status oracle).
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class SiloStoppingTests(MemoryClusterFixture fixture)
{
    private ISiloStatusOracle RunningSilosStatus => fixture.Cluster.Silos[0].SiloHost.Services.GetRequiredService<ISiloStatusOracle>();

    [Fact]
    public void A_running_silo_is_not_stopping_until_its_host_begins_to_stop()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var stopping = new SiloStopping(RunningSilosStatus, lifetime);
        Assert.False(stopping.IsStopping);

        lifetime.StopApplication();

        Assert.True(stopping.IsStopping);
    }

    [Fact]
    public void Made_after_its_host_began_to_stop_it_is_stopping_at_once()
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        lifetime.StopApplication();

        Assert.True(new SiloStopping(RunningSilosStatus, lifetime).IsStopping);
    }

    [Fact]
    public void The_engines_own_is_registered_and_says_a_running_silo_is_not_stopping()
    {
        Assert.False(fixture.Cluster.Silos[0].SiloHost.Services.GetRequiredService<SiloStopping>().IsStopping);
    }
}
