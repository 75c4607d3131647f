using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

/// <summary>A key's tenant as configured: checked at start with the setting named, never on an admin key; printed by <c>new-key --tenant</c>.</summary>
public sealed class TenantKeyOptionsTests
{
    private static readonly string Hash = ApiKeyHash.Hash(ApiKeyHash.NewKey("k1"));

    private static IReadOnlyList<string> Failures(string role, string? tenant)
    {
        var options = new OeeApiSecurityOptions();
        options.Keys["k1"] = new ApiKeyEntry { Hash = Hash, Role = role, Tenant = tenant };
        var result = new OeeApiSecurityOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Theory]
    [InlineData(OeeRoles.Reader, "acme")]
    [InlineData(OeeRoles.Submitter, "Acme_Corp.eu-1")]
    [InlineData(OeeRoles.Admin, null)]
    [InlineData(OeeRoles.Submitter, null)]
    public void A_reader_or_submitter_may_have_a_tenant_and_any_key_none(string role, string? tenant) =>
        Assert.Empty(Failures(role, tenant));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("acme:eu")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void A_malformed_tenant_is_refused_naming_the_setting(string tenant)
    {
        var failure = Assert.Single(Failures(OeeRoles.Submitter, tenant));
        Assert.StartsWith("Oee:Api:Security:Keys:k1:Tenant must be 1-64 characters of [A-Za-z0-9._-]", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admin_key_bound_to_a_tenant_is_refused_saying_why()
    {
        var failure = Assert.Single(Failures(OeeRoles.Admin, "acme"));
        Assert.StartsWith("Oee:Api:Security:Keys:k1:Tenant", failure, StringComparison.Ordinal);
        Assert.Contains("cluster-wide queues, schedules and retention", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_with_a_tenant_bound_admin_key_does_not_start()
    {
        using var api = new AdminWithTenantApi();

        var failure = Assert.ThrowsAny<Exception>(() => api.Start());

        Assert.Contains("Oee:Api:Security:Keys:boss:Tenant", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("an admin key cannot be bound to a tenant", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void New_key_with_a_tenant_prints_it_in_both_configuration_forms()
    {
        var output = new StringWriter();

        Assert.Equal(0, NewKeyCommand.Run(["new-key", "--role", "submitter", "--id", "acme1", "--tenant", "acme"], output, new StringWriter()));

        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("Oee__Api__Security__Keys__acme1__Tenant=acme", lines);
        Assert.Single(lines, l => l.StartsWith("\"acme1\":", StringComparison.Ordinal) && l.Contains("\"Tenant\": \"acme\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("admin", "acme", "--tenant cannot go with --role admin")]
    [InlineData("reader", "a b", "--tenant must be")]
    public void New_key_refuses_a_tenant_it_cannot_configure(string role, string tenant, string message)
    {
        var errors = new StringWriter();

        Assert.Equal(2, NewKeyCommand.Run(["new-key", "--role", role, "--tenant", tenant], new StringWriter(), errors));
        Assert.Contains(message, errors.ToString(), StringComparison.Ordinal);
    }

    private sealed class AdminWithTenantApi : WebApplicationFactory<Program>
    {
        public void Start()
        {
            UseKestrel(0);
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("tenant-admin");
            builder.UseSetting("Oee:Api:Security:Keys:boss:Hash", ApiKeyHash.Hash(ApiKeyHash.NewKey("boss")));
            builder.UseSetting("Oee:Api:Security:Keys:boss:Role", OeeRoles.Admin);
            builder.UseSetting("Oee:Api:Security:Keys:boss:Tenant", "acme");
        }
    }
}
