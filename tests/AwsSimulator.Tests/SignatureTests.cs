using System.Net;
using System.Text;
using System.Xml.Linq;
using EksOperator.Simulators.Aws.Internal;

namespace EksOperator.Simulators.Aws.Tests;

public sealed class SignatureTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    // Vectors of the AWS Signature Version 4 test suite (service "service", us-east-1, 20150830T123600Z).
    [Theory]
    [InlineData("GET", "/", "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", null)]
    [InlineData("POST", "/", "Param1=value1", "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", "application/x-www-form-urlencoded")]
    public void Official_test_suite_vectors_verify_and_a_changed_byte_does_not(string method, string target, string body, string signedHeaders, string signature, string? contentType)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["host"] = "example.amazonaws.com",
            ["x-amz-date"] = "20150830T123600Z",
            ["authorization"] = $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
        };
        if (contentType is not null)
        {
            headers["content-type"] = contentType;
        }

        var verifier = new SigV4Verifier("AKIDEXAMPLE", Secret);
        var ok = verifier.Verify(method, target, h => headers.GetValueOrDefault(h), Encoding.UTF8.GetBytes(body), SuiteTime);
        Assert.Equal(SigV4Failure.None, ok.Failure);

        var tampered = verifier.Verify(method, target + "?x=1", h => headers.GetValueOrDefault(h), Encoding.UTF8.GetBytes(body), SuiteTime);
        Assert.Equal(SigV4Failure.Mismatch, tampered.Failure);
        var late = verifier.Verify(method, target, h => headers.GetValueOrDefault(h), Encoding.UTF8.GetBytes(body), SuiteTime.AddMinutes(16));
        Assert.Equal(SigV4Failure.Expired, late.Failure);
        var otherKey = new SigV4Verifier("AKIDOTHER", Secret).Verify(method, target, h => headers.GetValueOrDefault(h), Encoding.UTF8.GetBytes(body), SuiteTime);
        Assert.Equal(SigV4Failure.UnknownKey, otherKey.Failure);
    }

    [Fact]
    public void Path_labels_are_signed_encoded_twice()
    {
        var canonical = SigV4Verifier.CanonicalRequest("GET", "/tags/arn%3Aaws%3Aeks%3Aus-west-2%3A1%3Acluster%2Fc?b=2&a=1", ["host"], _ => "h", []);
        Assert.StartsWith("GET\n/tags/arn%253Aaws%253Aeks%253Aus-west-2%253A1%253Acluster%252Fc\na=1&b=2\nhost:h\n", canonical, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsigned_requests_get_each_services_missing_token_error()
    {
        await using var sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions());
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };

        using var eks = await http.GetAsync("clusters");
        Assert.Equal(HttpStatusCode.Forbidden, eks.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", eks.Headers.GetValues("x-amzn-ErrorType").Single());

        using var form = new FormUrlEncodedContent([new("Action", "GetRole"), new("Version", "2010-05-08"), new("RoleName", "x")]);
        using var iam = await http.PostAsync(string.Empty, form);
        Assert.Equal(HttpStatusCode.Forbidden, iam.StatusCode);
        var xml = XDocument.Parse(await iam.Content.ReadAsStringAsync());
        Assert.Equal("ErrorResponse", xml.Root!.Name.LocalName);
        Assert.Equal("MissingAuthenticationToken", xml.Descendants().Single(e => e.Name.LocalName == "Code").Value);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "clusters");
        forged.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + new string('0', 64));
        forged.Headers.TryAddWithoutValidation("X-Amz-Date", DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        using var rejected = await http.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Forbidden, rejected.StatusCode);
        Assert.Equal("InvalidSignatureException", rejected.Headers.GetValues("x-amzn-ErrorType").Single());

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("_sim/health")).StatusCode);
    }
}
