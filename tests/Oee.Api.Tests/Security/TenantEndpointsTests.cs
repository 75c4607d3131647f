using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Oee.Api.Security;

namespace Oee.Api.Tests.Security;

/// <summary>
/// Tenant keys reach only the endpoints marked open to tenants: every other endpoint the API maps,
/// whatever it is, answers a tenant key 403 (closed by default, so that a route added later cannot leak
/// another tenant's tasks by omission).
/// </summary>
[Collection(TenantApiCollection.Name)]
public sealed class TenantEndpointsTests(TenantApiFixture api)
{
    [Fact]
    public void A_tenant_key_passes_only_endpoints_open_to_tenants_or_anonymous_and_other_keys_pass_all()
    {
        var open = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new TenantEndpoints.OpenToTenantsMarker()), "open");
        var anonymous = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute()), "anonymous");
        var unmarked = new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(), "unmarked");

        Assert.True(TenantEndpoints.Allows(Request(tenant: "acme", open)));
        Assert.True(TenantEndpoints.Allows(Request(tenant: "acme", anonymous)));
        Assert.True(TenantEndpoints.Allows(Request(tenant: "acme", endpoint: null)));
        Assert.False(TenantEndpoints.Allows(Request(tenant: "acme", unmarked)));
        Assert.True(TenantEndpoints.Allows(Request(tenant: null, unmarked)));
    }

    [Fact]
    public async Task Every_mapped_endpoint_not_open_to_tenants_answers_a_tenant_key_403_with_a_problem()
    {
        var endpoints = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<TenantEndpoints.OpenToTenantsMarker>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null)
            .ToList();
        Assert.NotEmpty(endpoints);

        var tried = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                _ => "x",
            }))));
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                foreach (var tenantKey in new[] { api.AcmeHttp, api.AcmeReaderHttp })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path);
                    if (method is "POST" or "PUT" or "PATCH")
                    {
                        request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                    }

                    using var response = await tenantKey.SendAsync(request);
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered a tenant key {(int)response.StatusCode}, not 403.");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }

                tried.Add($"{method} {path}");
            }
        }

        // The cluster-wide reads and the admin's writes are among them.
        Assert.Contains("GET /api/system", tried);
        Assert.Contains("PUT /api/queues/x", tried);
    }

    private static DefaultHttpContext Request(string? tenant, Endpoint? endpoint)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, "key") };
        if (tenant is not null)
        {
            claims.Add(new Claim(ApiCaller.TenantClaim, tenant));
        }

        var context = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity(claims, "test")) };
        context.SetEndpoint(endpoint);
        return context;
    }
}
