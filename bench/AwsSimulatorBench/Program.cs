// Throughput of the AWS simulator: DescribeCluster over raw HTTP (no signature, so the number is the
// simulator's own cost) and DescribeVpcs through AWSSDK.EC2 with SigV4 verified (client included).
// Usage: dotnet run -c Release --project bench/AwsSimulatorBench -- [seconds=10] [concurrency=8]
using System.Diagnostics;
using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using EksOperator.Simulators.Aws;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var duration = TimeSpan.FromSeconds(seconds);

await using (var unsigned = await AwsSimulator.StartAsync(new AwsSimulatorOptions { VerifySignatures = false }))
{
    unsigned.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "bench" }] });
    using var http = new HttpClient { BaseAddress = unsigned.BaseAddress };
    async Task DescribeCluster()
    {
        using var response = await http.GetAsync("clusters/bench");
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsByteArrayAsync();
    }

    await RunAsync(DescribeCluster, TimeSpan.FromSeconds(2), concurrency);
    var rate = await RunAsync(DescribeCluster, duration, concurrency);
    Console.WriteLine($"eks:DescribeCluster (raw HTTP, unsigned): {rate:F0} calls/s ({concurrency} concurrent, {seconds}s, {Environment.ProcessorCount} cores)");
}

await using (var signed = await AwsSimulator.StartAsync(new AwsSimulatorOptions()))
{
    using var ec2 = new AmazonEC2Client(
        new BasicAWSCredentials(signed.Options.AccessKeyId, signed.Options.SecretAccessKey),
        new AmazonEC2Config { ServiceURL = signed.BaseAddress.ToString(), AuthenticationRegion = signed.Options.Region });
    var request = new DescribeVpcsRequest();
    async Task DescribeVpcs() => _ = await ec2.DescribeVpcsAsync(request);

    await RunAsync(DescribeVpcs, TimeSpan.FromSeconds(2), concurrency);
    var rate = await RunAsync(DescribeVpcs, duration, concurrency);
    Console.WriteLine($"ec2:DescribeVpcs (AWSSDK.EC2, SigV4 verified): {rate:F0} calls/s ({concurrency} concurrent, {seconds}s, {Environment.ProcessorCount} cores)");
}

static async Task<double> RunAsync(Func<Task> call, TimeSpan duration, int concurrency)
{
    long count = 0;
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (clock.Elapsed < duration)
        {
            await call();
            Interlocked.Increment(ref count);
        }
    });
    await Task.WhenAll(workers);
    return count / clock.Elapsed.TotalSeconds;
}
