using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EksOperator.Aws.Iam;

namespace EksOperator.Aws.Tests.Wire;

/// <summary>The issuer's thumbprint is the SHA-1 of the top certificate its TLS server presents; the setting overrides it.</summary>
public sealed class IssuerThumbprintTests
{
    [Fact]
    public async Task The_thumbprint_is_the_sha1_of_the_certificate_the_issuer_presents_and_is_asked_for_once_per_host()
    {
        using var certificate = SelfSigned();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var handshakes = 0;
        var server = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref handshakes); // before the handshake the client waits for
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(certificate);
            }
        });
        var thumbprints = new TlsIssuerThumbprints(new AwsOptions(), TimeProvider.System);

        var first = await thumbprints.ThumbprintAsync(new Uri($"https://127.0.0.1:{port}/id/ABC"), CancellationToken.None);
        var second = await thumbprints.ThumbprintAsync(new Uri($"https://127.0.0.1:{port}/id/DEF"), CancellationToken.None);

        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(certificate.RawData)), first);
        Assert.Equal(first, second);
        Assert.Equal(1, Volatile.Read(ref handshakes));
        Assert.False(server.IsFaulted, server.Exception?.ToString());
    }

    [Fact]
    public async Task An_unreachable_issuer_has_no_thumbprint_and_the_setting_needs_no_connection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: the connection is refused

        var learned = await new TlsIssuerThumbprints(new AwsOptions(), TimeProvider.System).ThumbprintAsync(new Uri($"https://127.0.0.1:{port}/id/A"), CancellationToken.None);
        var configured = await new TlsIssuerThumbprints(new AwsOptions { OidcThumbprint = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280" }, TimeProvider.System)
            .ThumbprintAsync(new Uri($"https://127.0.0.1:{port}/id/A"), CancellationToken.None);

        Assert.Null(learned);
        Assert.Equal("9e99a48a9960b14926bb7f3b02e22da2b0ab7280", configured);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=issuer.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // SslStream needs the private key in a form the platform's TLS stack can use.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
