using Oee.Grains.Client;
using Oee.Grains.Cluster;
using Oee.Grains.Contracts;
using Oee.Grains.Storage.Memory;
using Orleans.Runtime;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// The cached references reach the very grains <c>GetGrain</c> reaches: same grain id, same
/// interface, the same activation's state.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class GrainReferencesTests(MemoryClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task A_string_keyed_reference_is_the_grain_GetGrain_gives_and_answers_its_state()
    {
        var queue = Waiting.Unique("references");
        var submitted = await fixture.Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "referenced", Handler = "echo", Queue = queue, Input = "7" });
        await fixture.Orchestrator.WaitAsync(submitted.Task.Id);

        // The first reference teaches the cache; the later ones come from it.
        for (var i = 0; i < 3; i++)
        {
            var cached = Grains.Reference<ITaskGrain>(submitted.Task.Id);
            var orleans = Grains.GetGrain<ITaskGrain>(submitted.Task.Id);

            Assert.Equal(orleans.GetGrainId(), cached.GetGrainId());
            Assert.Equal(((GrainReference)orleans).InterfaceType, ((GrainReference)cached).InterfaceType);
            Assert.Equal(OeeTaskStatus.Done, (await cached.Get())!.Status);
        }

        var other = Grains.Reference<ITaskGrain>(Waiting.Unique("missing"));
        Assert.NotEqual(submitted.Task.Id, other.GetPrimaryKeyString());
        Assert.Null(await other.Get());
    }

    [Fact]
    public void An_integer_keyed_reference_has_the_id_GetGrain_gives()
    {
        foreach (var key in new long[] { 0, 1, 42, -5, long.MaxValue })
        {
            Assert.Equal(Grains.GetGrain<ITaskIndexShardGrain>(key).GetGrainId(), Grains.Reference<ITaskIndexShardGrain>(key).GetGrainId());
            Assert.Equal(Grains.GetGrain<ITaskIndexShardGrain>(key).GetGrainId(), Grains.Reference<ITaskIndexShardGrain>(key).GetGrainId());
        }
    }
}
