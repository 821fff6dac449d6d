using System.Net;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Tests.Support;
using EksOperator.Simulators.Aws;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Aws.Tests.Conformance;

/// <summary>Our retries, classification and client-side limits against the simulator's faults and AWS-like throttling.</summary>
[Trait("Category", "Conformance")]
public sealed class SimulatorFaultTests : IAsyncLifetime
{
    private AwsSimulator _simulator = null!;

    public async Task InitializeAsync() => _simulator = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Port = 0, TimeScale = 0.002 });

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    [Fact]
    public async Task A_wrong_secret_is_refused_and_classified_as_access_denied()
    {
        using var backend = Backend(secret: "not-the-secret");
        var error = await Assert.ThrowsAsync<AwsApiException>(() => backend.Eks.ListClustersAsync());
        Assert.Equal(AwsErrorKind.AccessDenied, error.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, error.HttpStatus);
        Assert.Single(_simulator.Calls.Entries());
    }

    [Fact]
    public async Task Throttling_is_retried_three_times_then_surfaces_as_throttled()
    {
        _simulator.Faults.Operations = ["eks:ListClusters"];
        _simulator.Faults.ThrottleRate = 1;
        using var backend = Backend();

        var error = await Assert.ThrowsAsync<AwsApiException>(() => backend.Eks.ListClustersAsync());

        Assert.Equal(("ThrottlingException", AwsErrorKind.Throttled, HttpStatusCode.TooManyRequests), (error.Code, error.Kind, error.HttpStatus));
        Assert.False(string.IsNullOrEmpty(error.RequestId));
        Assert.Equal(3, _simulator.Calls.Count("eks:ListClusters"));
    }

    [Fact]
    public async Task Dropped_connections_are_retried_and_reported_as_transient()
    {
        _simulator.Faults.Operations = ["iam:GetRole"];
        _simulator.Faults.DropConnectionRate = 1;
        using var backend = Backend();

        var error = await Assert.ThrowsAsync<AwsApiException>(() => backend.Iam.GetRoleAsync("any"));

        Assert.Equal(AwsErrorKind.Transient, error.Kind);
        Assert.Equal(3, _simulator.Calls.Count("iam:GetRole"));
    }

    [Fact]
    public async Task The_client_side_bucket_keeps_a_burst_under_the_service_limit()
    {
        // Client and simulator share one fake clock, so the race between the two buckets is decided by their rates
        // (client 4 at once then 8/s, service 5 at once then 10/s), not by how fast this machine happens to be.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var simulator = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Port = 0, TimeProvider = time });
        simulator.Faults.ReadLimit = new AwsRateLimit(Burst: 5, RefillPerSecond: 10);
        simulator.Faults.EnforceRateLimits = true;
        var options = TestClients.Options(simulator.BaseAddress) with { MaxAttempts = 1 };
        options = options with { Eks = options.Eks with { RequestsPerSecond = 8, Burst = 4 } };
        using var http = new SocketsHttpHandler();
        var eks = TestClients.Eks(http, options, time);

        var calls = Enumerable.Range(0, 16).Select(async _ =>
        {
            try
            {
                await eks.ListClustersAsync();
                return "ok";
            }
            catch (AwsApiException e)
            {
                return e.Code;
            }
        }).ToList();

        // Step the clock one client token (125 ms) at a time and wait for the calls it lets out to reach the simulator.
        var step = TimeSpan.FromSeconds(1 / options.Eks.RequestsPerSecond);
        for (var elapsed = TimeSpan.Zero; ; elapsed += step)
        {
            var released = Math.Min(calls.Count, options.Eks.Burst + (int)Math.Round(elapsed / step));
            await Until(() => simulator.Calls.Count("eks:ListClusters") >= released, $"{released} calls at the simulator");
            if (released == calls.Count)
            {
                break;
            }

            time.Advance(step);
        }

        Assert.Equal(Enumerable.Repeat("ok", calls.Count), await Task.WhenAll(calls));
        var seen = simulator.Calls.Entries().Where(c => c.Operation == "ListClusters").ToList();
        Assert.Equal(16, seen.Count);
        Assert.All(seen, c => Assert.Equal(200, c.StatusCode));
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }
    }

    private AwsBackend Backend(string? secret = null, Func<AwsOptions, AwsOptions>? configure = null) => new(
        "simulator",
        _simulator.BaseAddress,
        _simulator.Options.AccessKeyId,
        secret ?? _simulator.Options.SecretAccessKey,
        hasLifecycles: true,
        TimeSpan.Zero,
        _ => throw new NotSupportedException(),
        o => (configure ?? (x => x))(o with { BaseBackoff = TimeSpan.FromMilliseconds(5) }));
}
