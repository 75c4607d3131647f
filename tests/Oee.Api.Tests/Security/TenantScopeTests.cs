using System.Security.Claims;
using Oee.Api.Models;
using Oee.Api.Security;
using Oee.Grains.Client;
using Oee.Grains.Contracts;

namespace Oee.Api.Tests.Security;

/// <summary>What a tenant key's requests become (<see cref="TenantScope"/>), and the tenant in the REST models.</summary>
public sealed class TenantScopeTests
{
    private static readonly ClaimsPrincipal AcmeKey = Principal("acme1", "acme");
    private static readonly ClaimsPrincipal OpsKey = Principal("ops1", tenant: null);

    private static TaskRecord Task(string? tenant) => new() { Id = "t1", Name = "n", Handler = "echo", Queue = "q", Status = OeeTaskStatus.Queued, Tenant = tenant, Version = 3 };

    [Fact]
    public void A_tenant_keys_submit_carries_its_key_and_tenant_whatever_the_request_said()
    {
        var errors = new List<FieldError>();
        var request = TenantScope.Own(AcmeKey, new SubmitTaskRequest { Name = "n", Handler = "echo", Tenant = "globex", SubmittedBy = "someone" }, "", errors);

        Assert.Empty(errors);
        Assert.Equal(("acme1", "acme"), (request.SubmittedBy, request.Tenant));
        Assert.Null(TenantScope.Own(OpsKey, new SubmitTaskRequest { Tenant = "globex" }, "", errors).Tenant);
    }

    [Fact]
    public void A_tenant_key_may_name_only_its_tenant_as_concurrency_key()
    {
        var errors = new List<FieldError>();
        TenantScope.Own(AcmeKey, new SubmitTaskRequest { ConcurrencyKey = "acme" }, "", errors);
        Assert.Empty(errors);

        TenantScope.Own(AcmeKey, new SubmitTaskRequest { ConcurrencyKey = "globex" }, "tasks[3].", errors);
        Assert.Equal("tasks[3].concurrencyKey", Assert.Single(errors).Field);
        TenantScope.Own(OpsKey, new SubmitTaskRequest { ConcurrencyKey = "globex" }, "", errors);
        Assert.Single(errors);
    }

    [Fact]
    public void A_tenant_keys_listing_and_events_are_narrowed_to_its_tenant()
    {
        Assert.Equal("acme", TenantScope.Narrow(AcmeKey, new TaskQuery(), out var none).Tenant);
        Assert.False(none);
        TenantScope.Narrow(AcmeKey, new TaskQuery { Tenant = "globex" }, out none);
        Assert.True(none);
        Assert.Equal("globex", TenantScope.Narrow(OpsKey, new TaskQuery { Tenant = "globex" }, out none).Tenant);
        Assert.False(none);

        Assert.Equal("acme", TenantScope.Narrow(AcmeKey, TaskEventFilter.ForQueue("q")).Tenant);
        Assert.Null(TenantScope.Narrow(OpsKey, TaskEventFilter.All).Tenant);
    }

    [Fact]
    public void Another_tenants_task_is_invisible_and_its_conflict_says_only_that_the_id_is_taken()
    {
        Assert.Null(TenantScope.Visible(AcmeKey, Task("globex")));
        Assert.Null(TenantScope.Visible(AcmeKey, Task(null)));
        Assert.NotNull(TenantScope.Visible(AcmeKey, Task("acme")));
        Assert.NotNull(TenantScope.Visible(OpsKey, Task("globex")));

        var conflict = new OeeConflictException("Task 't1' already exists with a different request.", Task("globex") with { Name = "secret" });
        var text = TenantScope.Conflict(AcmeKey, "t1", conflict);
        Assert.StartsWith("The id 't1' is taken.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.Equal(conflict.Message, TenantScope.Conflict(OpsKey, "t1", conflict));

        var item = TenantScope.Visible(AcmeKey, new BatchItemResult { Id = "t1", Status = SubmitStatus.Conflict, Task = Task("globex") });
        Assert.Null(item.Task);
        Assert.NotNull(TenantScope.Visible(OpsKey, new BatchItemResult { Id = "t1", Status = SubmitStatus.Conflict, Task = Task("globex") }).Task);
    }

    [Fact]
    public void The_rest_models_carry_the_tenant_and_the_query_takes_it()
    {
        Assert.Equal("acme", Task("acme").ToResponse().Tenant);
        Assert.Equal("acme", Task("acme").ToSummary().ToResponse().Tenant);
        Assert.Null(Task(null).ToResponse().Tenant);
        Assert.Equal("acme", ModelMapping.ToQuery(null, null, null, null, null, null, tenant: "acme").Tenant);
        Assert.Null(ModelMapping.ToQuery(null, null, null, null, null, null, tenant: "").Tenant);
    }

    private static ClaimsPrincipal Principal(string keyId, string? tenant)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, keyId), new(ClaimTypes.Role, OeeRoles.Reader), new(ClaimTypes.Role, OeeRoles.Submitter) };
        if (tenant is not null)
        {
            claims.Add(new Claim(ApiCaller.TenantClaim, tenant));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
