using Microsoft.Extensions.Configuration;
using Oee.Grains.Configuration;

namespace Oee.Grains.Tests.Configuration;

public sealed class OeeTelemetryOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_export_no_traces_without_an_endpoint()
    {
        var options = new OeeTelemetryOptions();
        Assert.True(new OeeTelemetryOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.Metrics);
        Assert.Equal(0.1, options.TraceSampleRatio);
        Assert.False(options.TracesExported(Configuration([])));
    }

    [Fact]
    public void Every_bad_value_is_named()
    {
        var result = new OeeTelemetryOptionsValidator().Validate(null, new OeeTelemetryOptions { TraceSampleRatio = 1.5, OtlpEndpoint = "collector:4317", ServiceName = " " });
        Assert.True(result.Failed);
        foreach (var name in new[] { "Oee:Telemetry:TraceSampleRatio", "Oee:Telemetry:OtlpEndpoint", "Oee:Telemetry:ServiceName" })
        {
            Assert.Contains(name, result.FailureMessage, StringComparison.Ordinal);
        }

        Assert.True(new OeeTelemetryOptionsValidator().Validate(null, new OeeTelemetryOptions { TraceSampleRatio = double.NaN }).Failed);
    }

    [Fact]
    public void The_standard_OTLP_variable_counts_and_the_own_setting_wins()
    {
        var standard = Configuration(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4317" });
        Assert.Equal(new Uri("http://collector:4317"), new OeeTelemetryOptions().OtlpEndpointIn(standard));
        Assert.True(new OeeTelemetryOptions().TracesExported(standard));
        Assert.False(new OeeTelemetryOptions { Tracing = false }.TracesExported(standard));

        var own = new OeeTelemetryOptions { OtlpEndpoint = "http://other:4318" };
        Assert.Equal(new Uri("http://other:4318"), own.OtlpEndpointIn(standard));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
