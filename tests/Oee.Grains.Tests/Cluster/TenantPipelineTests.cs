using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>A pipeline's stage tasks inherit its tenant (and so its concurrency key); on both storages.</summary>
public abstract class TenantPipelineTests(PipelineClusterFixture fixture)
{
    private readonly IOrchestrator orchestrator = fixture.Orchestrator;

    [Fact]
    public async Task Stage_tasks_carry_the_pipelines_tenant_and_are_listed_within_it()
    {
        var tenant = Waiting.Unique("acme");
        var request = new PipelineRequest
        {
            Id = "pipe-" + Guid.NewGuid().ToString("N"),
            Name = "tenant-pipeline",
            Queue = "pipelines",
            Tenant = tenant,
            Spec = new PipelineSpec
            {
                Input = "hello",
                Strategy = PipelineStrategy.LocalFastPrecise,
                Stages = [new PipelineStage { Name = "a", ModelId = "t-echo" }, new PipelineStage { Name = "b", ModelId = "t-upper" }],
            },
        };

        var submitted = await orchestrator.SubmitPipelineAsync(request);
        Assert.Equal(tenant, submitted.Task.Tenant);
        var pipeline = await orchestrator.WaitAsync(submitted.Task.Id);
        Assert.True(pipeline.Status == OeeTaskStatus.Done, $"The pipeline ended {pipeline.Status}: {pipeline.Error?.Message}");

        var children = (await orchestrator.ListAsync(new TaskQuery { ParentId = request.Id })).Items;
        Assert.Equal(2, children.Length);
        Assert.All(children, c => Assert.Equal((tenant, tenant), (c.Tenant, c.ConcurrencyKey)));
        Assert.Equal(children.Select(c => c.Id).Order(), (await orchestrator.ListAsync(new TaskQuery { ParentId = request.Id, Tenant = tenant })).Items.Select(c => c.Id).Order());
        Assert.Equal(
            children.Select(c => c.Id).Append(request.Id).Order(),
            (await orchestrator.ListAsync(new TaskQuery { Tenant = tenant })).Items.Select(c => c.Id).Order());
    }
}

[Collection(MemoryPipelineClusterCollection.Name)]
public sealed class TenantPipelineTestsOnMemory(MemoryPipelineClusterFixture fixture) : TenantPipelineTests(fixture);

[Collection(PostgresPipelineClusterCollection.Name)]
public sealed class TenantPipelineTestsOnPostgres(PostgresPipelineClusterFixture fixture) : TenantPipelineTests(fixture);
