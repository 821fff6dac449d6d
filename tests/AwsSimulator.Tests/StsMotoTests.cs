using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>A fact that needs both moto and the AWS CLI: skipped with the reason when either is missing (unless CI=true).</summary>
public sealed class MotoCliFactAttribute : FactAttribute
{
    public MotoCliFactAttribute()
    {
        if ((Moto.Problem ?? Tools.SkipReasonFor("aws")) is { } problem && !Tools.InCi)
        {
            Skip = problem;
        }
    }
}

/// <summary>
/// The simulator's STS wire format against moto's, an implementation nobody here wrote (moto serializes from the
/// botocore model): the same `aws sts` calls must parse into the same members, and the raw XML must use the same
/// element names. Values differ by design (moto neither evaluates trust policies nor validates session names).
/// </summary>
public sealed class StsMotoTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    [MotoCliFact]
    public async Task AssumeRole_and_GetCallerIdentity_have_motos_shape_through_the_CLI_and_on_the_wire()
    {
        await using var sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions { TimeScale = 0 });
        var motoCli = new AwsCli(moto.BaseAddress, "testing", "testing", "us-west-2");
        var simCli = new AwsCli(sim);
        foreach (var cli in new[] { motoCli, simCli })
        {
            await cli.OkAsync("iam", "create-role", "--role-name", "shape", "--assume-role-policy-document", Trust);
        }

        string[] assume = ["sts", "assume-role", "--role-arn", "arn:aws:iam::123456789012:role/shape", "--role-session-name", "cmp", "--external-id", "x-1"];
        Assert.Equal(Paths((await motoCli.OkAsync(assume)).Json), Paths((await simCli.OkAsync(assume)).Json));
        Assert.Equal(Paths((await motoCli.OkAsync("sts", "get-caller-identity")).Json), Paths((await simCli.OkAsync("sts", "get-caller-identity")).Json));

        // The raw documents: element names and nesting, in order for AssumeRole (GetCallerIdentity's member order differs, which no client minds).
        var motoXml = await RawAsync(moto.BaseAddress, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fshape&RoleSessionName=cmp");
        await using var unsigned = await AwsSimulator.StartAsync(new AwsSimulatorOptions { TimeScale = 0, VerifySignatures = false });
        unsigned.Seed(new AwsSeed { Roles = [new AwsSeedRole { Name = "shape", AssumeRolePolicyDocument = Trust }] });
        var simXml = await RawAsync(unsigned.BaseAddress, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fshape&RoleSessionName=cmp");
        Assert.Equal(motoXml.Root!.Name, simXml.Root!.Name);
        Assert.Equal(Elements(motoXml), Elements(simXml));
        var motoIdentity = await RawAsync(moto.BaseAddress, "Action=GetCallerIdentity&Version=2011-06-15");
        var simIdentity = await RawAsync(unsigned.BaseAddress, "Action=GetCallerIdentity&Version=2011-06-15");
        Assert.Equal(Elements(motoIdentity).Order(StringComparer.Ordinal), Elements(simIdentity).Order(StringComparer.Ordinal));

        // A validation error: same document, code and message (moto's has a doubled space before "equal").
        var tooLong = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fshape&RoleSessionName=" + new string('a', 65);
        var motoError = await RawAsync(moto.BaseAddress, tooLong);
        var simError = await RawAsync(unsigned.BaseAddress, tooLong);
        Assert.Equal(Elements(motoError).Where(e => !e.StartsWith("ErrorResponse/RequestId", StringComparison.Ordinal)),
            Elements(simError).Where(e => !e.StartsWith("ErrorResponse/RequestId", StringComparison.Ordinal)));
        Assert.Equal(Value(motoError, "Code"), Value(simError, "Code"));
        Assert.Equal(Value(motoError, "Type"), Value(simError, "Type"));
        Assert.Equal(Value(motoError, "Message")!.Replace("  ", " ", StringComparison.Ordinal), Value(simError, "Message"));
    }

    private static string? Value(XDocument doc, string localName) => doc.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    private static async Task<XDocument> RawAsync(Uri endpoint, string form)
    {
        using var http = new HttpClient { BaseAddress = endpoint };
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty)
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        // moto does not check signatures but reads the service and key from the scope.
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261129/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        return XDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every element as its path of local names (RequestId values and such ignored).</summary>
    private static List<string> Elements(XDocument doc) =>
        [.. doc.Descendants().Select(e => string.Join('/', e.AncestorsAndSelf().Reverse().Select(x => x.Name.LocalName)) + "@" + e.Name.NamespaceName)];

    /// <summary>The JSON members the CLI printed, as sorted paths.</summary>
    private static List<string> Paths(JsonNode node, string prefix = "")
    {
        var paths = new List<string>();
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                paths.Add(prefix + key);
                if (value is not null)
                {
                    paths.AddRange(Paths(value, prefix + key + "."));
                }
            }
        }

        return [.. paths.Order(StringComparer.Ordinal)];
    }
}
