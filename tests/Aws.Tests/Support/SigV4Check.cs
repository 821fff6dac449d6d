using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EksOperator.Aws.Tests.Support;

/// <summary>
/// An independent SigV4 verifier (reference §6), so the tests prove that what we send is exactly what AWSSDK.Core signed:
/// same path, query, headers and body.
/// </summary>
internal static partial class SigV4Check
{
    public sealed record Scope(string AccessKey, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders);

    public static Scope Verify(RecordedRequest request, string secretKey)
    {
        var match = AuthorizationPattern().Match(request.Header("authorization"));
        Assert.True(match.Success, $"malformed Authorization: {request.Header("authorization")}");
        var signedHeaders = match.Groups["signed"].Value.Split(';');
        Assert.Contains("host", signedHeaders);
        Assert.Contains("x-amz-date", signedHeaders);
        Assert.Equal(signedHeaders.Order(StringComparer.Ordinal), signedHeaders);

        var amzDate = request.Header("x-amz-date");
        Assert.Matches(@"^\d{8}T\d{6}Z$", amzDate);
        var date = match.Groups["date"].Value;
        Assert.StartsWith(date, amzDate, StringComparison.Ordinal);

        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(request.Body));
        if (request.Headers.TryGetValue("x-amz-content-sha256", out var declared))
        {
            Assert.Equal(payloadHash, declared);
        }

        var canonical = string.Join(
            '\n',
            request.Method.Method,
            CanonicalPath(request.Uri.AbsolutePath),
            CanonicalQuery(request.Uri.Query),
            string.Concat(signedHeaders.Select(h => h + ":" + Collapse(request.Header(h)) + "\n")),
            string.Join(';', signedHeaders),
            payloadHash);
        var region = match.Groups["region"].Value;
        var service = match.Groups["service"].Value;
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date), region), service), "aws4_request");
        Assert.Equal(Convert.ToHexStringLower(Hmac(key, stringToSign)), match.Groups["sig"].Value);
        return new Scope(match.Groups["akid"].Value, date, region, service, signedHeaders);
    }

    /// <summary>Non-S3 services encode each (already encoded) segment once more.</summary>
    private static string CanonicalPath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string CanonicalQuery(string query) =>
        string.Join('&', query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(p[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    private static string Collapse(string value) => WhitespaceRun().Replace(value.Trim(), " ");

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<akid>[A-Z0-9]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request, SignedHeaders=(?<signed>[a-z0-9;-]+), Signature=(?<sig>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();
}
