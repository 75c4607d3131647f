using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Oee.Api.Hosting;
using Oee.Grains.Configuration;

namespace Oee.Api.Tests.Hosting;

/// <summary>The API's request-pipeline warm-up: it stores nothing, it holds readiness until it has run, and it can be turned off.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiWarmUpTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_warm_up_gets_refusals_and_reads_and_leaves_no_task_behind()
    {
        var warmUp = fixture.Services.GetRequiredService<ApiWarmUp>();
        Assert.True(warmUp.Finished, "the host's start waited for the warm-up");

        var answers = await warmUp.WarmUpAsync(CancellationToken.None);
        var feature = fixture.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>();

        // Every submit refused (400), every queue read answered (the default queue's status, or 404 before it is configured): 300 of each by default.
        Assert.Equal(300, answers.GetValueOrDefault(HttpStatusCode.BadRequest));
        Assert.Equal(300, answers.GetValueOrDefault(HttpStatusCode.OK) + answers.GetValueOrDefault(HttpStatusCode.NotFound));
        Assert.Equal(600, answers.Values.Sum());
        using var page = await fixture.Http.GetFromJsonAsync<JsonDocument>("/api/tasks?name=warm-up&limit=100");
        Assert.Empty(page!.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Readiness_waits_for_the_warm_up()
    {
        var warmUp = new ApiWarmUp(fixture.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(), Options.Create(new OeeApiWarmUpOptions { Rounds = 3 }), Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiWarmUp>.Instance);
        var check = (Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck)warmUp;

        var before = await check.CheckHealthAsync(new(), CancellationToken.None);
        await ((IHostedLifecycleService)warmUp).StartedAsync(CancellationToken.None);
        var after = await check.CheckHealthAsync(new(), CancellationToken.None);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, before.Status);
        Assert.Contains("Oee:Api:WarmUp", before.Description, StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, after.Status);
    }

    [Fact]
    public async Task Disabled_it_sends_nothing_and_the_api_is_ready()
    {
        await using var api = new WarmUpOffApi();
        api.UseKestrel(0);
        api.StartServer();
        var warmUp = api.Services.GetRequiredService<ApiWarmUp>();

        Assert.True(warmUp.Finished);
        Assert.Empty(await warmUp.WarmUpAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData(new[] { "http://127.0.0.1:5123" }, "http://127.0.0.1:5123/")]
    [InlineData(new[] { "http://[::]:8080" }, "http://127.0.0.1:8080/")]
    [InlineData(new[] { "http://0.0.0.0:8080" }, "http://127.0.0.1:8080/")]
    [InlineData(new[] { "http://+:80" }, "http://127.0.0.1/")]
    [InlineData(new[] { "http://localhost:5000" }, "http://127.0.0.1:5000/")]
    [InlineData(new[] { "https://127.0.0.1:5001", "http://127.0.0.1:5000" }, "http://127.0.0.1:5000/")]
    [InlineData(new[] { "https://127.0.0.1:5001" }, null)]
    public void The_loopback_address_is_the_first_plain_http_one(string[] addresses, string? expected) =>
        Assert.Equal(expected, ApiWarmUp.LoopbackAddress(addresses)?.ToString());

    [Fact]
    public void The_defaults_are_on_300_rounds_15_seconds()
    {
        var options = OeeSettings.Read(new ConfigurationBuilder().Build(), OeeApiWarmUpOptions.SectionName, new OeeApiWarmUpOptionsValidator());
        Assert.True(options.Enabled);
        Assert.Equal(300, options.Rounds);
        Assert.Equal(TimeSpan.FromSeconds(15), options.MaxDuration);
    }

    [Theory]
    [InlineData("Rounds", "-1")]
    [InlineData("Rounds", "100001")]
    [InlineData("MaxDuration", "00:00:00")]
    [InlineData("MaxDuration", "00:10:01")]
    public void A_bad_value_names_the_setting(string setting, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Oee:Api:WarmUp:{setting}"] = value }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => OeeSettings.Read(configuration, OeeApiWarmUpOptions.SectionName, new OeeApiWarmUpOptionsValidator()));

        Assert.Contains($"Oee:Api:WarmUp:{setting}", error.Message, StringComparison.Ordinal);
    }

    private sealed class WarmUpOffApi : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseOwnLoopbackSilo("api-warm-up-off").UseSetting("Oee:Api:WarmUp:Enabled", "false");
    }
}
