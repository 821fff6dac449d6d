using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using EksOperator.Aws.Tests.Support;
using EksOperator.Aws.Tokens;
using EksOperator.Aws.Transport;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Aws.Tests.Tokens;

public sealed class EksTokenGeneratorTests
{
    [Fact]
    public async Task Token_is_a_base64url_presigned_GetCallerIdentity_bound_to_the_cluster()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var options = TestClients.Options() with { Sts = new AwsServiceOptions() };
        var generator = new EksTokenGenerator(options, new AwsCredentialSource(options), time);

        var token = await generator.GetTokenAsync("devel");

        Assert.StartsWith("k8s-aws-v1.", token.Token, StringComparison.Ordinal);
        var encoded = token.Token["k8s-aws-v1.".Length..];
        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.DoesNotContain('/', encoded);
        var url = new Uri(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(encoded.Replace('-', '+').Replace('_', '/')))));
        Assert.Equal("https://sts.us-west-2.amazonaws.com/", url.GetLeftPart(UriPartial.Path));
        var query = Query(url);
        Assert.Equal("GetCallerIdentity", query["Action"]);
        Assert.Equal("2011-06-15", query["Version"]);
        Assert.Equal("AWS4-HMAC-SHA256", query["X-Amz-Algorithm"]);
        Assert.Equal("60", query["X-Amz-Expires"]);
        Assert.Equal("host;x-k8s-aws-id", query["X-Amz-SignedHeaders"]);
        Assert.Matches(@"^AKIDEXAMPLE/\d{8}/us-west-2/sts/aws4_request$", query["X-Amz-Credential"]);
        Assert.Matches("^[0-9a-f]{64}$", query["X-Amz-Signature"]);
        Assert.False(query.ContainsKey("X-Amz-Security-Token"));
        Assert.Equal(time.GetUtcNow().AddMinutes(14), token.ExpiresAt);

        VerifyPresignature(url, query, clusterName: "devel", TestClients.SecretKey);
        Assert.Throws<Xunit.Sdk.EqualException>(() => VerifyPresignature(url, query, clusterName: "other", TestClients.SecretKey));
    }

    [Fact]
    public async Task Session_credentials_put_the_token_in_the_signed_query()
    {
        var options = TestClients.Options() with { Credentials = new SessionAWSCredentials(TestClients.AccessKey, TestClients.SecretKey, "session/token+=") };
        var generator = new EksTokenGenerator(options, new AwsCredentialSource(options), TimeProvider.System);

        var token = await generator.GetTokenAsync("devel");

        var url = new Uri(Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Token["k8s-aws-v1.".Length..].Replace('-', '+').Replace('_', '/')))));
        var query = Query(url);
        Assert.Equal("session/token+=", query["X-Amz-Security-Token"]);
        VerifyPresignature(url, query, "devel", TestClients.SecretKey);
    }

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');

    private static Dictionary<string, string> Query(Uri url) =>
        url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1]));

    /// <summary>Recomputes the query-string signature (host and x-k8s-aws-id signed, empty payload) as STS would.</summary>
    private static void VerifyPresignature(Uri url, Dictionary<string, string> query, string clusterName, string secretKey)
    {
        var canonicalQuery = string.Join('&', query
            .Where(p => p.Key != "X-Amz-Signature")
            .Select(p => (Name: Uri.EscapeDataString(p.Key), Value: Uri.EscapeDataString(p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var canonical = $"GET\n/\n{canonicalQuery}\nhost:{url.Host}\nx-k8s-aws-id:{clusterName}\n\nhost;x-k8s-aws-id\n{Convert.ToHexStringLower(SHA256.HashData([]))}";
        var scope = query["X-Amz-Credential"].Split('/', 2)[1];
        var parts = scope.Split('/');
        var stringToSign = $"AWS4-HMAC-SHA256\n{query["X-Amz-Date"]}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in parts)
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))), query["X-Amz-Signature"]);
    }
}
