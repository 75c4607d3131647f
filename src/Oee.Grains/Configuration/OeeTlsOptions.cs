using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Oee.Grains.Configuration;

/// <summary>
/// Mutual TLS between silos and from clients to gateways, bound from <c>Oee:Cluster:Tls</c> and
/// checked at start. Off until <see cref="CertificatePath"/> is set; then every connection of the
/// cluster is TLS, each side shows its certificate, and a peer is accepted only when its certificate's
/// SHA-256 thumbprint is trusted.
/// </summary>
public sealed class OeeTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Oee:Cluster:Tls";

    /// <summary>This process's certificate with its private key: a PKCS#12 file (.pfx/.p12), or a PEM certificate with <see cref="KeyPath"/>. Unset: TLS off.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>; unset for a PKCS#12 file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 file's password (a secret: from the environment or a secret store, never logged).</summary>
    public string? Password { get; set; }

    /// <summary>
    /// SHA-256 thumbprints (hex) of the certificates a peer may show. Empty (the default): only this
    /// process's own certificate, i.e. every silo and client shares one cluster certificate. List several
    /// to roll a certificate: trust old and new, switch processes one by one, then drop the old.
    /// </summary>
    public string[] TrustedThumbprints { get; set; } = [];

    /// <summary>True when TLS is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Reads and checks the section; throws naming each bad setting.</summary>
    public static OeeTlsOptions Read(IConfiguration configuration) =>
        OeeSettings.Read(configuration, SectionName, new OeeTlsOptionsValidator());

    /// <summary>Loads the certificate; throws a message naming the setting when it cannot.</summary>
    public X509Certificate2 LoadCertificate()
    {
        try
        {
            var certificate = KeyPath is null
                ? X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, Password)
                : X509Certificate2.CreateFromPemFile(CertificatePath!, KeyPath);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{SectionName}:CertificatePath '{CertificatePath}' has no private key (a PEM certificate needs {SectionName}:KeyPath).");
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{SectionName}:CertificatePath '{CertificatePath}' could not be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>A certificate's SHA-256 thumbprint, upper-case hex.</summary>
    public static string Thumbprint(X509Certificate certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}

/// <summary>Checks <see cref="OeeTlsOptions"/>.</summary>
internal sealed class OeeTlsOptionsValidator : IValidateOptions<OeeTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, OeeTlsOptions options)
    {
        var failures = new List<string>();
        if (!options.Enabled)
        {
            if (options.KeyPath is not null || options.TrustedThumbprints.Length > 0)
            {
                failures.Add($"{OeeTlsOptions.SectionName}:CertificatePath must be set when KeyPath or TrustedThumbprints is.");
            }
        }
        else
        {
            if (!File.Exists(options.CertificatePath))
            {
                failures.Add($"{OeeTlsOptions.SectionName}:CertificatePath '{options.CertificatePath}' does not exist.");
            }

            if (options.KeyPath is not null && !File.Exists(options.KeyPath))
            {
                failures.Add($"{OeeTlsOptions.SectionName}:KeyPath '{options.KeyPath}' does not exist.");
            }

            foreach (var thumbprint in options.TrustedThumbprints)
            {
                if (thumbprint.Length != 64 || !thumbprint.All(Uri.IsHexDigit))
                {
                    failures.Add($"{OeeTlsOptions.SectionName}:TrustedThumbprints: '{thumbprint}' is not a SHA-256 thumbprint (64 hex characters).");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
