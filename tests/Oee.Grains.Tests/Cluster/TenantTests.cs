using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Tenants through the .NET client, on both storages (<see cref="TenantTestsOnMemory"/>,
/// <see cref="TenantTestsOnPostgres"/>): listings by tenant, the tenant as the default concurrency key,
/// dependencies and parents across tenants, and one tenant's backlog against another's.
/// </summary>
public abstract class TenantTests(ClusterFixture fixture)
{
    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Fact]
    public async Task A_tenant_listing_pages_through_only_its_tasks_newest_first_with_filters()
    {
        var queue = Waiting.Unique("tenant-list");
        var (a, b) = (Waiting.Unique("acme"), Waiting.Unique("globex"));
        var ofA = new List<string>();
        var all = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            var tenant = (i % 3) switch { 0 => b, 1 => null, _ => a };
            var task = (await Orchestrator.SubmitAsync(new SubmitTaskRequest
            {
                Name = i % 2 == 0 ? "even" : "odd",
                Handler = "echo",
                Queue = queue,
                Tenant = tenant,
                Tags = i < 6 ? ["early"] : [],
            })).Task;
            Assert.Equal(tenant, task.Tenant);
            all.Add(task.Id);
            if (tenant == a)
            {
                ofA.Add(task.Id);
            }
        }

        await Orchestrator.ForAllFinished(all);
        var seen = new List<TaskSummary>();
        string? cursor = null;
        do
        {
            var page = await Orchestrator.ListAsync(new TaskQuery { Tenant = a, Limit = 2, Cursor = cursor });
            Assert.InRange(page.Items.Length, 1, 2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(ofA), seen.Select(s => s.Id));
        Assert.All(seen, s => Assert.Equal(a, s.Tenant));
        Assert.Equal([ofA[2], ofA[0]], (await Orchestrator.ListAsync(new TaskQuery { Tenant = a, Name = "even", Status = OeeTaskStatus.Done })).Items.Select(s => s.Id));
        Assert.Equal([ofA[1], ofA[0]], (await Orchestrator.ListAsync(new TaskQuery { Tenant = a, Tag = "early", Queue = queue })).Items.Select(s => s.Id));
        Assert.Empty((await Orchestrator.ListAsync(new TaskQuery { Tenant = Waiting.Unique("nobody") })).Items);
        Assert.Equal(9, (await Orchestrator.ListAsync(new TaskQuery { Queue = queue })).Items.Length);

        var bad = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ListAsync(new TaskQuery { Tenant = "a:b" }));
        Assert.Equal("tenant", Assert.Single(bad.Errors).Field);
    }

    [Fact]
    public async Task A_tenant_is_checked_and_is_part_of_the_request_of_an_id()
    {
        var invalid = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "t", Handler = "echo", Tenant = "has space" }));
        Assert.Equal("tenant", Assert.Single(invalid.Errors).Field);

        var id = Waiting.Unique("shared-id");
        var request = new SubmitTaskRequest { Id = id, Name = "t", Handler = "echo", Queue = Waiting.Unique("ids"), Tenant = "acme" };
        Assert.True((await Orchestrator.SubmitAsync(request)).Created);
        Assert.False((await Orchestrator.SubmitAsync(request)).Created);
        var conflict = await Assert.ThrowsAsync<OeeConflictException>(() => Orchestrator.SubmitAsync(request with { Tenant = "globex" }));
        Assert.Equal("acme", conflict.Current!.Tenant);
        await Assert.ThrowsAsync<OeeConflictException>(() => Orchestrator.SubmitAsync(request with { Tenant = null }));
    }

    [Fact]
    public async Task A_tenant_task_without_a_key_gets_the_tenant_as_its_concurrency_key_and_keeps_its_own()
    {
        var queue = Waiting.Unique("tenant-key");
        var defaulted = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "t", Handler = "echo", Queue = queue, Tenant = "acme" })).Task;
        var own = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "t", Handler = "echo", Queue = queue, Tenant = "acme", ConcurrencyKey = "acme:batch" })).Task;
        var none = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "t", Handler = "echo", Queue = queue })).Task;

        Assert.Equal(("acme", "acme:batch", (string?)null), (defaulted.ConcurrencyKey, own.ConcurrencyKey, none.ConcurrencyKey));
        var listed = await Orchestrator.ListAsync(new TaskQuery { Queue = queue });
        Assert.Equal("acme", listed.Items.Single(s => s.Id == defaulted.Id).ConcurrencyKey);
    }

    [Fact]
    public async Task Another_tenants_task_is_a_missing_dependency_and_is_left_unchanged()
    {
        var queue = Waiting.Unique("tenant-deps");
        var theirs = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "theirs", Handler = "echo", Queue = queue, Tenant = "globex", Delay = TimeSpan.FromDays(1) })).Task;
        var untenanted = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "shared", Handler = "echo", Queue = queue, Delay = TimeSpan.FromDays(1) })).Task;

        foreach (var dependency in new[] { theirs.Id, untenanted.Id })
        {
            var single = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(
                new SubmitTaskRequest { Name = "mine", Handler = "echo", Queue = queue, Tenant = "acme", DependsOn = [dependency] }));
            var error = Assert.Single(single.Errors);
            Assert.Equal(("dependsOn", $"Task '{dependency}' does not exist: a task can depend only on tasks submitted before it or in the same batch."), (error.Field, error.Message));

            var batch = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitBatchAsync(
                [new SubmitTaskRequest { Name = "mine", Handler = "echo", Queue = queue, Tenant = "acme", DependsOn = [dependency] }]));
            Assert.Equal("tasks[0].dependsOn", Assert.Single(batch.Errors).Field);
        }

        // In one batch too: a tenant's task cannot wait for another tenant's.
        var mixed = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitBatchAsync(
        [
            new SubmitTaskRequest { Name = "theirs", Handler = "echo", Queue = queue, Tenant = "globex" },
            new SubmitTaskRequest { Name = "mine", Handler = "echo", Queue = queue, Tenant = "acme", DependsOn = ["#0"] },
        ]));
        Assert.Equal("tasks[1].dependsOn", Assert.Single(mixed.Errors).Field);

        Assert.Equal(theirs.Version, (await Orchestrator.GetAsync(theirs.Id))!.Version);
        Assert.Empty((await Orchestrator.GetAsync(theirs.Id))!.Dependents);

        // Its own tenant's task, and any task for a caller without a tenant, still work.
        var own = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "own", Handler = "echo", Queue = queue, Tenant = "globex", DependsOn = [theirs.Id] })).Task;
        Assert.Equal(OeeTaskStatus.Waiting, own.Status);
        var trusted = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "trusted", Handler = "echo", Queue = queue, DependsOn = [theirs.Id] })).Task;
        Assert.Equal(OeeTaskStatus.Waiting, trusted.Status);
        await Orchestrator.CancelAsync(theirs.Id);
        await Orchestrator.CancelAsync(untenanted.Id);
    }

    [Fact]
    public async Task Cancelling_a_parent_cancels_only_the_children_of_its_own_tenant()
    {
        var queue = Waiting.Unique("tenant-parent");
        var parent = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "parent", Handler = "echo", Queue = queue, Tenant = "globex", Delay = TimeSpan.FromDays(1) })).Task;
        var ownChild = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "child", Handler = "echo", Queue = queue, Tenant = "globex", ParentId = parent.Id, Delay = TimeSpan.FromDays(1) })).Task;
        var strayChild = (await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "stray", Handler = "echo", Queue = queue, Tenant = "acme", ParentId = parent.Id, Delay = TimeSpan.FromDays(1) })).Task;

        Assert.Equal([ownChild.Id], (await Orchestrator.ListAsync(new TaskQuery { ParentId = parent.Id, Tenant = "globex" })).Items.Select(s => s.Id));
        await Orchestrator.CancelAsync(parent.Id);
        await Orchestrator.ForStatus(ownChild.Id, OeeTaskStatus.Cancelled);

        // The cascade cancels its page of children at once: by the time the own child is cancelled, the stray
        // one would be too; it is never touched.
        var stray = (await Orchestrator.GetAsync(strayChild.Id))!;
        Assert.Equal((OeeTaskStatus.Scheduled, strayChild.Version), (stray.Status, stray.Version));
        await Orchestrator.CancelAsync(strayChild.Id);
    }

    [Fact]
    public async Task One_tenants_backlog_cannot_take_every_per_key_slot_from_another()
    {
        var queue = Waiting.Unique("tenant-slots");
        await Orchestrator.ConfigureQueueAsync(queue, new QueueSettingsUpdate { MaxConcurrency = 4, MaxPerKey = 2 });
        var (hogTenant, smallTenant) = (Waiting.Unique("hog"), Waiting.Unique("small"));
        var gate = BodyGates.New("tenant-hog");
        var hog = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            // Submitted first, at the highest priority, held until the test lets them go, and with no concurrency key.
            hog.Add((await Orchestrator.SubmitAsync(Request(queue, RecordingHandler.HeldBy(gate), hogTenant, priority: 10))).Task.Id);
        }

        var small = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            small.Add((await Orchestrator.SubmitAsync(Request(queue, RecordingHandler.Instant, smallTenant, priority: 1))).Task.Id);
        }

        try
        {
            // The small tenant's tasks all run and finish while the hog's still wait behind their tenant's limit.
            Assert.All(await Orchestrator.ForAllFinished(small), t => Assert.Equal(OeeTaskStatus.Done, t.Status));
            var status = await Orchestrator.GetQueueAsync(queue);
            Assert.Equal(2, status.RunningByKey[hogTenant]);
            Assert.Equal((8, 8), (status.Pending, status.HeldByKeyLimit));
        }
        finally
        {
            BodyGates.Open(gate);
        }

        Assert.All(await Orchestrator.ForAllFinished(hog), t => Assert.Equal((OeeTaskStatus.Done, hogTenant), (t.Status, t.ConcurrencyKey)));
        Assert.Equal(2, RecordingHandler.MostAtOnceOfKey(queue, hogTenant));
    }

    private static SubmitTaskRequest Request(string queue, string input, string tenant, int priority) =>
        new() { Name = "slot", Handler = RecordingHandler.Name, Queue = queue, Input = input, Tenant = tenant, Priority = priority };
}

[Collection(MemoryClusterCollection.Name)]
public sealed class TenantTestsOnMemory(MemoryClusterFixture fixture) : TenantTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class TenantTestsOnPostgres(PostgresClusterFixture fixture) : TenantTests(fixture);
