using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Oee.Grains.Client;
using Oee.Grains.Configuration;
using Oee.Grains.Hosting;
using Oee.Grains.Tests.Cluster;
using Oee.Tests.Shared;

namespace Oee.Grains.Tests.Hosting;

/// <summary>
/// A silo with the cluster's certificate (self-signed, made by the test) over real loopback sockets:
/// a client with that certificate runs a task; a client with another certificate, or without TLS,
/// cannot call a grain.
/// </summary>
public sealed class ClusterTlsTests : IAsyncLifetime, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("oee-tls-").FullName;
    private readonly int siloPort = LoopbackPorts.Next();
    private readonly int gatewayPort = LoopbackPorts.Next();
    private readonly string clusterId = $"tls-{Guid.NewGuid():N}";
    private string clusterCertificate = "";
    private IHost silo = null!;

    public async Task InitializeAsync()
    {
        clusterCertificate = WriteCertificate("cluster");

        // The silo loads the cluster certificate in its PEM form, the clients as PKCS#12: both loaders.
        var settings = Settings(null);
        settings["Oee:Cluster:Tls:CertificatePath"] = Path.Combine(folder, "cluster.crt");
        settings["Oee:Cluster:Tls:KeyPath"] = Path.Combine(folder, "cluster.key");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(s => s.AddOee(builder.Configuration));
        silo = builder.Build();
        await silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await silo.StopAsync();
        silo.Dispose();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_client_with_the_cluster_certificate_runs_a_task_over_TLS_also_when_its_set_up_is_called_twice()
    {
        // AddOeeClient is safe to call twice: the second call used to add a second TLS layer, and the client never connected.
        using var client = await StartClient(clusterCertificate, addOeeClientTwice: true);
        var orchestrator = client.Services.GetRequiredService<IOrchestrator>();

        var submitted = await orchestrator.SubmitAsync(new() { Name = "over-tls", Handler = "echo", Input = "42" });
        var done = await orchestrator.ForStatus(submitted.Task.Id, Contracts.OeeTaskStatus.Done);

        Assert.Equal("42", done.Result);
    }

    [Fact]
    public async Task A_client_with_another_certificate_cannot_call_a_grain()
    {
        var stranger = WriteCertificate("stranger");

        var failure = await Record.ExceptionAsync(async () =>
        {
            using var client = await StartClient(stranger);
            await client.Services.GetRequiredService<IOrchestrator>().GetSystemStatusAsync();
        });

        Assert.NotNull(failure);
    }

    [Fact]
    public async Task A_client_without_TLS_cannot_call_a_grain()
    {
        var failure = await Record.ExceptionAsync(async () =>
        {
            using var client = await StartClient(certificate: null);
            await client.Services.GetRequiredService<IOrchestrator>().GetSystemStatusAsync();
        });

        Assert.NotNull(failure);
    }

    [Fact]
    public void A_missing_certificate_file_is_named_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Oee:Cluster:Tls:CertificatePath"] = Path.Combine(folder, "absent.pfx"),
            ["Oee:Cluster:Tls:TrustedThumbprints:0"] = "not-a-thumbprint",
        }).Build();

        var failure = Assert.ThrowsAny<Exception>(() => OeeTlsOptions.Read(configuration));

        Assert.Contains("Oee:Cluster:Tls:CertificatePath", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Oee:Cluster:Tls:TrustedThumbprints", failure.Message, StringComparison.Ordinal);
    }

    private async Task<IHost> StartClient(string? certificate, bool addOeeClientTwice = false)
    {
        var builder = Host.CreateApplicationBuilder();
        var settings = Settings(certificate);
        settings["Oee:Cluster:GatewayPorts:0"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleansClient(c =>
        {
            c.AddOeeClient(builder.Configuration);
            if (addOeeClientTwice)
            {
                c.AddOeeClient(builder.Configuration);
            }
        });
        var client = builder.Build();
        try
        {
            // A refused handshake fails the start, or the client keeps trying to connect: either way no
            // grain is reached. The positive test shows a trusted client gets through well within this.
            await client.StartAsync().WaitAsync(certificate == clusterCertificate ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(20));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private Dictionary<string, string?> Settings(string? certificate)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Oee:Cluster:SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Oee:Cluster:PrimarySiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Oee:Cluster:GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Oee:Cluster:ClusterId"] = clusterId,
        };
        if (certificate is not null)
        {
            settings["Oee:Cluster:Tls:CertificatePath"] = certificate;
            settings["Oee:Cluster:Tls:Password"] = "test-password";
        }

        return settings;
    }

    // A self-signed certificate with its key, as a password-protected PKCS#12 file (returned) and as PEM files.
    private string WriteCertificate(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=oee-{name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName($"oee-{name}");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(folder, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "test-password"));
        File.WriteAllText(Path.Combine(folder, name + ".crt"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, name + ".key"), key.ExportPkcs8PrivateKeyPem());
        return path;
    }
}
