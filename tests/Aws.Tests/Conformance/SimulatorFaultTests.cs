using System.Net;
using EksOperator.Aws.Eks;
using EksOperator.Simulators.Aws;

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
        using var backend = Backend(configure: o => o with
        {
            MaxAttempts = 1,
            Eks = o.Eks with { RequestsPerSecond = 8, Burst = 4 },
        });

        // Warm up (JIT, first connection) before limits apply and let the client bucket refill: otherwise the first
        // calls reach the simulator late and the ones the bucket spaced out arrive bunched behind them.
        await backend.Eks.ListClustersAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(600), TimeProvider.System);
        _simulator.Calls.Reset();
        _simulator.Faults.ReadLimit = new AwsRateLimit(Burst: 5, RefillPerSecond: 10);
        _simulator.Faults.EnforceRateLimits = true;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => backend.Eks.ListClustersAsync()));

        var calls = _simulator.Calls.Entries().Where(c => c.Operation == "ListClusters").ToList();
        Assert.Equal(16, calls.Count);
        Assert.All(calls, c => Assert.Equal(200, c.StatusCode));
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
