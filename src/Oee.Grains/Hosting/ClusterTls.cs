using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Oee.Grains.Configuration;
using Orleans.Connections.Security;

namespace Oee.Grains.Hosting;

/// <summary>
/// Applies <see cref="OeeTlsOptions"/> to a silo (silo-to-silo and gateway connections) or a client
/// (gateway connections): mutual TLS, each side's certificate required and pinned by thumbprint, so
/// that a client or silo without a trusted certificate cannot connect, let alone call a grain.
/// </summary>
internal static class ClusterTls
{
    public static void Apply(ISiloBuilder silo, IConfiguration configuration)
    {
        if (Read(configuration) is { } tls)
        {
            silo.UseTls(tls.Certificate, o => Configure(o, tls));
        }
    }

    public static void Apply(IClientBuilder client, IConfiguration configuration)
    {
        if (Read(configuration) is { } tls)
        {
            client.UseTls(tls.Certificate, o => Configure(o, tls));
        }
    }

    private static (X509Certificate2 Certificate, HashSet<string> Trusted)? Read(IConfiguration configuration)
    {
        var options = OeeTlsOptions.Read(configuration);
        if (!options.Enabled)
        {
            return null;
        }

        var certificate = options.LoadCertificate();
        var trusted = options.TrustedThumbprints.Length > 0
            ? options.TrustedThumbprints.Select(t => t.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)
            : [OeeTlsOptions.Thumbprint(certificate)];
        return (certificate, trusted);
    }

    private static void Configure(TlsOptions options, (X509Certificate2 Certificate, HashSet<string> Trusted) tls)
    {
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;

        // Pinning replaces chain and name checks: a self-signed cluster certificate is trusted by its
        // thumbprint, whatever host name a silo advertises.
        options.RemoteCertificateValidation = (certificate, _, _) =>
            certificate is not null && tls.Trusted.Contains(OeeTlsOptions.Thumbprint(certificate));
        options.OnAuthenticateAsClient = (_, ssl) => ssl.TargetHost = tls.Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }
}
