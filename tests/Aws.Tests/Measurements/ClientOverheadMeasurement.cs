using System.Diagnostics;
using System.Net;
using System.Text;
using EksOperator.Aws.Tests.Support;
using Xunit.Abstractions;

namespace EksOperator.Aws.Tests.Measurements;

/// <summary>Runs only when asked (EKSOP_MEASURE=1): figures for docs/benchmarks.md, never a timed assertion.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("EKSOP_MEASURE") != "1")
        {
            Skip = "on-demand measurement: set EKSOP_MEASURE=1 to measure the AWS clients' per-call overhead";
        }
    }
}

/// <summary>
/// Per-call cost of our clients (credentials, SigV4 signing, retry pipeline, token bucket, JSON/XML mapping) over a
/// plain HttpClient call to the same in-process stub, so the network is out of the picture.
/// </summary>
public sealed class ClientOverheadMeasurement(ITestOutputHelper output)
{
    private const int Warmup = 2_000;
    private const int Iterations = 20_000;

    private static readonly byte[] ClusterJson = Encoding.UTF8.GetBytes("""
        {"cluster":{"name":"devel","arn":"arn:aws:eks:us-west-2:012345678910:cluster/devel","createdAt":1527807879.988,"version":"1.33",
         "endpoint":"https://EXAMPLE.yl4.us-west-2.eks.amazonaws.com","roleArn":"arn:aws:iam::012345678910:role/eks",
         "resourcesVpcConfig":{"subnetIds":["subnet-1","subnet-2"],"securityGroupIds":[],"vpcId":"vpc-1","endpointPublicAccess":true,"endpointPrivateAccess":false,"publicAccessCidrs":["0.0.0.0/0"]},
         "status":"ACTIVE","certificateAuthority":{"data":"LS0t"},"platformVersion":"eks.7","tags":{"a":"b"}}}
        """);

    private static readonly byte[] RoleXml = Encoding.UTF8.GetBytes("""
        <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName>
        <RoleId>AROAEXAMPLEEXAMPLE123</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>2026-11-01T10:20:30Z</CreateDate>
        <AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22%7D</AssumeRolePolicyDocument></Role></GetRoleResult>
        <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetRoleResponse>
        """);

    [MeasurementFact]
    public async Task Client_overhead_per_call()
    {
        var json = new StubHandler().Respond(_ => Ok(ClusterJson, "application/json"));
        var xml = new StubHandler().Respond(_ => Ok(RoleXml, "text/xml"));
        using var plain = new HttpClient(new StubHandler().Respond(_ => Ok(ClusterJson, "application/json")));
        var url = new Uri("https://eks.us-west-2.amazonaws.com/clusters/devel");
        var eks = TestClients.Eks(json);
        var limited = TestClients.Eks(new StubHandler().Respond(_ => Ok(ClusterJson, "application/json")), TestClients.Options() with
        {
            Eks = new AwsServiceOptions { ServiceUrl = url, RequestsPerSecond = 1e9, Burst = 1_000_000 },
        });
        var iam = TestClients.Iam(xml);

        var baseline = await MeasureAsync(async () => { using var r = await plain.GetAsync(url); await r.Content.ReadAsByteArrayAsync(); });
        var describe = await MeasureAsync(async () => await eks.DescribeClusterAsync("devel"));
        var describeLimited = await MeasureAsync(async () => await limited.DescribeClusterAsync("devel"));
        var getRole = await MeasureAsync(async () => await iam.GetRoleAsync("r"));

        output.WriteLine($"{"call",-44} {"µs/call",9} {"ratio",7} {"KB alloc/call",14}");
        Report("plain HttpClient GET + read body", baseline, baseline);
        Report("IEksApi.DescribeClusterAsync", describe, baseline);
        Report("IEksApi.DescribeClusterAsync + token bucket", describeLimited, baseline);
        Report("IIamApi.GetRoleAsync", getRole, baseline);
        Assert.Equal(Warmup + Iterations, json.Requests.Count);

        void Report(string name, (double Micros, double Kb) m, (double Micros, double Kb) b) =>
            output.WriteLine($"{name,-44} {m.Micros,9:F1} {m.Micros / b.Micros,7:F1} {m.Kb,14:F1}");
    }

    private static HttpResponseMessage Ok(byte[] body, string contentType)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return response;
    }

    private static async Task<(double Micros, double Kb)> MeasureAsync(Func<Task> call)
    {
        for (var i = 0; i < Warmup; i++)
        {
            await call();
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Iterations; i++)
        {
            await call();
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return (elapsed.TotalMicroseconds / Iterations, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / Iterations);
    }
}
