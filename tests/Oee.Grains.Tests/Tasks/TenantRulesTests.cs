using System.Text.Json;
using Oee.Grains.Client;
using Oee.Grains.Contracts;
using Oee.Grains.Events;
using Oee.Grains.Tasks;

namespace Oee.Grains.Tests.Tasks;

/// <summary>The tenant's pure rules: its check, what an omitted concurrency key becomes, and where it travels (record, summary, events).</summary>
public sealed class TenantRulesTests
{
    private static readonly SubmitTaskRequestValidator Validator = new(maxInputBytes: 100);

    private static SubmitTaskRequest Valid() => new() { Name = "n", Handler = "echo" };

    [Theory]
    [InlineData("acme")]
    [InlineData("Acme_Corp.eu-1")]
    [InlineData("a")]
    public void A_tenant_of_letters_digits_dot_underscore_and_dash_is_valid(string tenant) =>
        Assert.Empty(Validator.Check(Valid() with { Tenant = tenant }));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("a:b")]
    [InlineData("é")]
    [InlineData("' OR 1=1 --")]
    public void Any_other_tenant_is_refused_naming_the_field(string tenant)
    {
        var error = Assert.Single(Validator.Check(Valid() with { Tenant = tenant }));
        Assert.Equal("tenant", error.Field);
        Assert.Contains("[A-Za-z0-9._-]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_is_at_most_64_characters()
    {
        Assert.Empty(Validator.Check(Valid() with { Tenant = new string('t', TaskLimits.MaxTenantLength) }));
        Assert.Equal("tenant", Assert.Single(Validator.Check(Valid() with { Tenant = new string('t', TaskLimits.MaxTenantLength + 1) })).Field);
    }

    [Fact]
    public void A_tenant_without_a_concurrency_key_gets_the_tenant_as_its_key()
    {
        Assert.Equal("acme", SubmitPolicy.WithTenantDefaults(Valid() with { Tenant = "acme" }).ConcurrencyKey);
        Assert.Equal("acme:eu", SubmitPolicy.WithTenantDefaults(Valid() with { Tenant = "acme", ConcurrencyKey = "acme:eu" }).ConcurrencyKey);
        Assert.Null(SubmitPolicy.WithTenantDefaults(Valid()).ConcurrencyKey);
        var untouched = Valid() with { ConcurrencyKey = "k" };
        Assert.Same(untouched, SubmitPolicy.WithTenantDefaults(untouched));
    }

    [Fact]
    public void The_tenant_goes_into_the_record_its_summary_and_the_request_comparison()
    {
        var request = SubmitPolicy.WithTenantDefaults(Valid() with { Tenant = "acme" });
        var task = SubmitPolicy.ForClient.Accept("t1", request, sequence: 1, acceptedAt: DateTimeOffset.UnixEpoch);

        Assert.Equal(("acme", "acme"), (task.Tenant, task.ConcurrencyKey));
        Assert.Equal("acme", task.ToSummary().Tenant);
        Assert.True(SubmitPolicy.IsSameRequest(task, request));
        Assert.False(SubmitPolicy.IsSameRequest(task, request with { Tenant = "globex" }));
        Assert.False(SubmitPolicy.IsSameRequest(task, request with { Tenant = null }));
    }

    [Fact]
    public void Events_carry_the_tenant_and_a_tenant_filter_passes_only_its_own()
    {
        var task = TaskStateMachineTests.Queued() with { Tenant = "acme" };
        var submitted = TaskEventFactory.Submitted(task, "silo").ToTaskEvent();
        var snapshot = TaskEventFactory.Snapshot(task);
        Assert.Equal(("acme", "acme"), (submitted.Tenant, snapshot.Tenant));

        var filter = TaskEventFilter.All with { Tenant = "acme" };
        Assert.True(filter.Matches(submitted));
        Assert.False(filter.Matches(submitted with { Tenant = "globex" }));
        Assert.False(filter.Matches(submitted with { Tenant = null }));
        Assert.True(TaskEventFilter.All.Matches(submitted with { Tenant = null }));
        Assert.False((TaskEventFilter.ForTask(task.Id) with { Tenant = "globex" }).Matches(submitted));
    }

    [Fact]
    public void The_event_json_names_the_tenant_only_when_there_is_one()
    {
        var withTenant = JsonDocument.Parse(TaskEventJson.ToJson(new TaskEvent { TaskId = "t", Queue = "q", Reason = "submitted", Tenant = "acme" })).RootElement;
        Assert.Equal("acme", withTenant.GetProperty("tenant").GetString());
        var without = JsonDocument.Parse(TaskEventJson.ToJson(new TaskEvent { TaskId = "t", Queue = "q", Reason = "submitted" })).RootElement;
        Assert.False(without.TryGetProperty("tenant", out _));
    }
}
