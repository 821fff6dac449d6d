using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EksOperator.Aws.Iam;

/// <summary>The thumbprint IAM records for an OIDC issuer: the SHA-1 of the top certificate of its TLS chain.</summary>
public interface IIssuerThumbprints
{
    /// <summary>Lowercase hex, or null when it cannot be learned (IAM needs none for issuers its trusted CAs sign, as EKS's are).</summary>
    Task<string?> ThumbprintAsync(Uri issuer, CancellationToken cancellationToken);
}

/// <summary>
/// Connects to the issuer's host on 443 and takes the SHA-1 of the last certificate of the chain it presents, as eksctl
/// and the Terraform module do. <c>Aws:OidcThumbprint</c> fixes the value instead (a private network that cannot
/// reach the issuer, a simulator). The answer is kept per host: EKS issuers of a region share their certificate.
/// </summary>
internal sealed class TlsIssuerThumbprints(AwsOptions options, TimeProvider time) : IIssuerThumbprints
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, string?> _byHost = new(StringComparer.OrdinalIgnoreCase);

    public async Task<string?> ThumbprintAsync(Uri issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (options.OidcThumbprint is { Length: > 0 } fixedValue) return fixedValue.ToLowerInvariant();
        var key = issuer.Authority;
        if (_byHost.TryGetValue(key, out var known)) return known;
        var found = await FetchAsync(issuer.Host, issuer.IsDefaultPort ? 443 : issuer.Port, cancellationToken);
        if (found is not null) _byHost[key] = found; // a failure is tried again next time
        return found;
    }

    private async Task<string?> FetchAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(host, port, linked.Token);
            string? top = null;
            // Only the thumbprint is wanted, not trust: IAM does its own validation of the issuer.
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, chain, _) =>
            {
                var last = chain?.ChainElements is { Count: > 0 } elements ? elements[^1].Certificate : certificate as X509Certificate2;
                top = last is null ? null : Convert.ToHexStringLower(SHA1.HashData(last.RawData));
                return true;
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, linked.Token);
            return top;
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
