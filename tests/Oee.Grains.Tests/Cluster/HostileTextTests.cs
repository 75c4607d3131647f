using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Grains.Tests.Cluster;

/// <summary>
/// Text that tries SQL injection, LIKE wildcards, quoting and unicode tricks is stored and read back
/// unchanged, filters find exactly it, and nothing else in the store changes. On PostgreSQL this shows
/// that every statement is parameterized; see <see cref="HostileTextTestsOnPostgres"/>.
/// </summary>
public abstract class HostileTextTests(ClusterFixture fixture)
{
    public static readonly TheoryData<string> HostileNames = new()
    {
        "'; DROP TABLE oee_task; --",
        "Robert'); DELETE FROM oee_task WHERE ('1'='1",
        "x' OR '1'='1",
        "%",
        "_",
        "a%b_c\\",
        "$$; SELECT pg_sleep(10); $$",
        "\" /* comment */ \"",
        "名前 ✓ \u202Eevil\u202C 🚀",
        "line\nbreak\ttab",
    };

    private IOrchestrator Orchestrator => fixture.Orchestrator;

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task A_hostile_name_and_input_are_kept_verbatim_and_filters_find_exactly_them(string name)
    {
        var queue = Waiting.Unique("hostile");
        var input = System.Text.Json.JsonSerializer.Serialize(new { q = name, sql = "'); DROP TABLE oee_task; --" });
        var bystander = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "bystander", Handler = "echo", Queue = queue });
        var task = await Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = name, Handler = "echo", Queue = queue, Input = input, Tags = ["hostile"] });

        var done = await Orchestrator.ForStatus(task.Task.Id, OeeTaskStatus.Done);
        await Orchestrator.ForStatus(bystander.Task.Id, OeeTaskStatus.Done);

        Assert.Equal(name, done.Name);
        Assert.True(Oee.Grains.Tasks.JsonText.AreEquivalent(input, done.Input));
        Assert.True(Oee.Grains.Tasks.JsonText.AreEquivalent(input, done.Result));
        var byName = await Orchestrator.ListAsync(new TaskQuery { Name = name, Queue = queue });
        Assert.Equal(task.Task.Id, Assert.Single(byName.Items).Id);
        var all = await Orchestrator.ListAsync(new TaskQuery { Queue = queue });
        Assert.Equal([task.Task.Id, bystander.Task.Id], all.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task A_name_with_a_NUL_character_is_refused_naming_the_field_as_submit_and_as_filter()
    {
        // PostgreSQL's text cannot hold U+0000: refused up front on both storages, never a storage error.
        var submit = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "nul\0char", Handler = "echo" }));
        var filter = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ListAsync(new TaskQuery { Name = "nul\0char" }));

        Assert.Contains(submit.Errors, e => e.Field == "name");
        Assert.Contains(filter.Errors, e => e.Field == "name");
    }

    [Theory]
    [InlineData("id'--")]
    [InlineData("a b")]
    [InlineData("../../etc/passwd")]
    [InlineData("x;DROP")]
    public async Task An_id_or_tag_with_quotes_or_separators_is_refused_naming_the_field(string value)
    {
        var badId = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(new SubmitTaskRequest { Id = value, Name = "n", Handler = "echo" }));
        var badTag = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.SubmitAsync(new SubmitTaskRequest { Name = "n", Handler = "echo", Tags = [value] }));

        Assert.Contains(badId.Errors, e => e.Field == "id");
        Assert.Contains(badTag.Errors, e => e.Field == "tags");
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("id'--")]
    [InlineData("a b")]
    public async Task A_tag_or_parent_filter_that_no_task_can_have_is_refused_naming_the_field_never_a_storage_error(string value)
    {
        // A NUL reached PostgreSQL and came back as "storage unavailable" (retryable: a retrying caller looped).
        var tag = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ListAsync(new TaskQuery { Tag = value }));
        var parent = await Assert.ThrowsAsync<OeeValidationException>(() => Orchestrator.ListAsync(new TaskQuery { ParentId = value }));

        Assert.Contains(tag.Errors, e => e.Field == "tag");
        Assert.Contains(parent.Errors, e => e.Field == "parentId");
    }
}

[Collection(MemoryClusterCollection.Name)]
public sealed class HostileTextTestsOnMemory(MemoryClusterFixture fixture) : HostileTextTests(fixture);

[Collection(PostgresClusterCollection.Name)]
public sealed class HostileTextTestsOnPostgres(PostgresClusterFixture fixture) : HostileTextTests(fixture);
