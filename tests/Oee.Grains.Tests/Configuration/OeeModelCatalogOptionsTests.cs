using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;
using Oee.Grains.Models;
using Orleans.TestingHost;

namespace Oee.Grains.Tests.Configuration;

/// <summary>The catalog's settings: every bad entry is named with its path and what to fix.</summary>
public sealed class OeeModelCatalogOptionsTests
{
    [Fact]
    public void A_valid_catalog_of_every_kind_passes()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Oee:Models:llama:Kind"] = "openai",
            ["Oee:Models:llama:Endpoint"] = "http://127.0.0.1:11434/v1",
            ["Oee:Models:llama:Model"] = "llama3.2",
            ["Oee:Models:llama:Capabilities:0"] = "summarize",
            ["Oee:Models:mine:Kind"] = "Handler",
            ["Oee:Models:mine:Handler"] = "echo",
            ["Oee:Models:mine:Capabilities:0"] = "echo",
            ["Oee:Models:up:Kind"] = "BUILTIN",
            ["Oee:Models:up:BuiltIn"] = "uppercase",
            ["Oee:Models:up:Capabilities:0"] = "transform",
        });

        Assert.Equal(3, options.Models.Count);
        Assert.Empty(OeeModelCatalogOptionsValidator.Check(options, h => h == "echo"));
    }

    [Fact]
    public void Every_bad_field_is_named_with_its_path()
    {
        var options = Bind(new Dictionary<string, string?>
        {
            ["Oee:Models:bad id!:Kind"] = "builtin",
            ["Oee:Models:k:Kind"] = "gpt",
            ["Oee:Models:k:Capabilities:0"] = "x",
            ["Oee:Models:o:Kind"] = "openai",
            ["Oee:Models:o:Quality"] = "1.5",
            ["Oee:Models:o:Pricing:PerCall"] = "-1",
            ["Oee:Models:o:Pricing:PerThousandOutputTokens"] = "-0.5",
            ["Oee:Models:o:MaxRetries"] = "11",
            ["Oee:Models:o:Timeout"] = "00:00:00",
            ["Oee:Models:o:MaxOutputTokens"] = "0",
            ["Oee:Models:u:Kind"] = "openai",
            ["Oee:Models:u:Endpoint"] = "ftp://host/v1",
            ["Oee:Models:u:Model"] = "m",
            ["Oee:Models:u:Capabilities:0"] = "x",
            ["Oee:Models:h:Kind"] = "handler",
            ["Oee:Models:h:Handler"] = "nobody",
            ["Oee:Models:h:Capabilities:0"] = "x",
            ["Oee:Models:r:Kind"] = "handler",
            ["Oee:Models:r:Handler"] = "model",
            ["Oee:Models:r:Capabilities:0"] = "x",
            ["Oee:Models:b:Kind"] = "builtin",
            ["Oee:Models:b:BuiltIn"] = "oracle",
            ["Oee:Models:b:Capabilities:0"] = "x",
            ["Oee:Models:c:Kind"] = "builtin",
            ["Oee:Models:c:BuiltIn"] = "echo",
            ["Oee:Models:c:Capabilities:0"] = "two words",
        });

        var failures = string.Join("\n", OeeModelCatalogOptionsValidator.Check(options, h => h == "echo"));

        foreach (var expected in new[]
        {
            "Oee:Models:bad id!: a model id",
            "Oee:Models:k:Kind must be one of builtin, openai, handler (was 'gpt')",
            "Oee:Models:o:Capabilities must list at least one",
            "Oee:Models:o:Quality must be from 0 to 1",
            "Oee:Models:o:Pricing:PerCall must not be negative",
            "Oee:Models:o:Pricing:PerThousandOutputTokens must not be negative",
            "Oee:Models:o:Endpoint is required",
            "Oee:Models:o:Model is required",
            "Oee:Models:o:MaxRetries must be from 0 to 10",
            "Oee:Models:o:Timeout must be from",
            "Oee:Models:o:MaxOutputTokens must be from 1",
            "Oee:Models:u:Endpoint must be an absolute http or https URL",
            "Oee:Models:h:Handler 'nobody' is not a registered task handler",
            "Oee:Models:r:Handler must not be 'model'",
            "Oee:Models:b:BuiltIn must be one of",
            "Oee:Models:c:Capabilities: 'two words'",
        })
        {
            Assert.Contains(expected, failures, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_configured_models_the_default_catalog_is_built_in_valid_and_varied()
    {
        var defaults = new OeeModelCatalogOptions { Models = DefaultModelCatalog.Entries() };
        Assert.Empty(OeeModelCatalogOptionsValidator.Check(defaults, _ => false));

        var catalog = new ModelCatalog(Options.Create(new OeeModelCatalogOptions()));
        Assert.True(catalog.IsDefault);
        Assert.All(catalog.Models, m => Assert.Equal(Contracts.ModelKind.BuiltIn, m.Kind));
        Assert.Equal(catalog.Models.Select(m => m.Id).Order(StringComparer.Ordinal), catalog.Models.Select(m => m.Id));

        // Enough variety for the strategies: a shared capability with local/remote, free/priced, fast/slow, low/high quality.
        var summarizers = catalog.Models.Where(m => m.Capabilities.Contains("summarize")).ToArray();
        Assert.True(summarizers.Length >= 3);
        Assert.Contains(summarizers, m => m.Local);
        Assert.Contains(summarizers, m => !m.Local && m.Pricing.Cost(100, 100) > 0);
        Assert.True(summarizers.Select(m => m.Quality).Distinct().Count() >= 3);
        Assert.True(summarizers.Select(m => m.ExpectedLatency).Distinct().Count() >= 3);
        Assert.True(catalog.Models.Count(m => m.Capabilities.Contains("classify")) >= 2);
        Assert.Contains(catalog.Models, m => m.Capabilities.Contains("extract"));
    }

    [Fact]
    public void Configured_models_replace_the_default_catalog()
    {
        var catalog = new ModelCatalog(Options.Create(Bind(new Dictionary<string, string?>
        {
            ["Oee:Models:up:Kind"] = "builtin",
            ["Oee:Models:up:BuiltIn"] = "uppercase",
            ["Oee:Models:up:Capabilities:0"] = "transform",
            ["Oee:Models:up:ApiKey"] = "not-shown",
        })));

        Assert.False(catalog.IsDefault);
        var model = Assert.Single(catalog.Models);
        Assert.Equal("up", model.Id);
        Assert.Same(model, catalog.Find("up"));
        Assert.Null(catalog.Find("UP"));
    }

    [Fact]
    public async Task A_bad_entry_stops_the_silo_at_start_with_the_message()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:Mode"] = "External",
            ["Oee:Models:broken:Kind"] = "openai",
            ["Oee:Models:broken:Model"] = "m",
            ["Oee:Models:broken:Capabilities:0"] = "summarize",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddOee(configuration));
        var cluster = builder.Build();
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.DeployAsync());
            Assert.Contains("Oee:Models:broken:Endpoint is required", Flatten(error), StringComparison.Ordinal);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static string Flatten(Exception error) => error is AggregateException many
        ? string.Join("\n", many.InnerExceptions.Select(Flatten))
        : error.InnerException is { } inner ? error.Message + "\n" + Flatten(inner) : error.Message;

    private static OeeModelCatalogOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOptions<OeeModelCatalogOptions>().Bind(configuration.GetSection(OeeModelCatalogOptions.SectionName));
        return services.BuildServiceProvider().GetRequiredService<IOptions<OeeModelCatalogOptions>>().Value;
    }
}
