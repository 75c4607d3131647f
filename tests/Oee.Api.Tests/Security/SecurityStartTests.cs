using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oee.Api.Security;
using Oee.Tests.Shared;

namespace Oee.Api.Tests.Security;

public sealed class SecurityStartTests
{
    [Fact]
    public void New_key_prints_a_key_once_and_configuration_that_holds_only_its_hash()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var code = NewKeyCommand.Run(["new-key", "--role", "submitter", "--id", "ci1", "--description", "CI bot"], output, errors);

        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var key = lines.Single(l => l.StartsWith("oee_", StringComparison.Ordinal));
        var hash = lines.Single(l => l.StartsWith("Oee__Api__Security__Keys__ci1__Hash=", StringComparison.Ordinal)).Split('=', 2)[1];
        Assert.Equal("ci1", ApiKeyHash.KeyIdOf(key));
        Assert.True(ApiKeyHash.Verify(key, hash));
        Assert.Contains("Oee__Api__Security__Keys__ci1__Role=submitter", lines);
        Assert.Single(lines, l => l.Contains(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--role", "owner")]
    [InlineData("--rol", "admin")]
    public void New_key_refuses_a_bad_argument_naming_what_to_fix(string flag, string value)
    {
        var errors = new StringWriter();

        Assert.Equal(2, NewKeyCommand.Run(["new-key", flag, value], new StringWriter(), errors));
        Assert.Contains("--role", errors.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://10.1.2.3:5000", false)]
    public void Only_loopback_addresses_count_as_loopback(string address, bool loopback) =>
        Assert.Equal(loopback, AnonymousAccessGuard.IsLoopback(address));

    [Fact]
    public void An_API_without_keys_refuses_to_start_on_a_network_address()
    {
        using var api = new KeylessApi("http://0.0.0.0:" + LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture), allow: false);

        var failure = Assert.ThrowsAny<Exception>(() => api.Start());

        Assert.Contains("Oee:Api:Security:AllowAnonymousOnNetwork", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_key_entry_stops_the_start_with_a_message_naming_the_setting()
    {
        using var api = new KeylessApi("http://127.0.0.1:0", allow: false, badKey: true);

        var failure = Assert.ThrowsAny<Exception>(() => api.Start());

        Assert.Contains("Oee:Api:Security:Keys:bad:Role", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("Oee:Api:Security:Keys:bad:Hash", failure.ToString(), StringComparison.Ordinal);
    }

    private sealed class KeylessApi(string url, bool allow, bool badKey = false) : WebApplicationFactory<Program>
    {
        public void Start()
        {
            // Kestrel on the configured Urls (UseKestrel(port) would listen on loopback whatever they say).
            UseKestrel();
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseOwnLoopbackSilo("keyless", url);
            builder.UseSetting("Oee:Api:Security:AllowAnonymousOnNetwork", allow ? "true" : "false");
            if (badKey)
            {
                builder.UseSetting("Oee:Api:Security:Keys:bad:Hash", "oee_bad_plaintext");
                builder.UseSetting("Oee:Api:Security:Keys:bad:Role", "owner");
            }
        }
    }
}
