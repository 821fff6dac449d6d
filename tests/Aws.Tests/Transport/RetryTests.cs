using System.Net;
using EksOperator.Aws.Tests.Support;
using EksOperator.Aws.Transport;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Aws.Tests.Transport;

public sealed class RetryTests
{
    private const string Throttled = """{"message":"Rate exceeded"}""";
    private const string Cluster = """{"cluster":{"name":"c","status":"ACTIVE"}}""";

    [Fact]
    public async Task Throttling_is_retried_after_a_jittered_delay_on_the_time_provider()
    {
        var time = new FakeTimeProvider();
        var handler = new StubHandler()
            .Respond(HttpStatusCode.TooManyRequests, Throttled, headers: ("x-amzn-ErrorType", "ThrottlingException"))
            .Respond(HttpStatusCode.OK, Cluster);
        var eks = TestClients.Eks(handler, time: time, random: () => 0.5);

        var call = eks.DescribeClusterAsync("c");
        await handler.WaitForCallsAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(400)); // first retry waits 0.5 × min(1 s × 2^0, 20 s) = 500 ms
        Assert.Single(handler.Requests);
        Assert.False(call.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal("c", (await call)!.Name);
        Assert.Equal(2, handler.Requests.Count);
        // Each attempt is signed afresh.
        Assert.All(handler.Requests, r => SigV4Check.Verify(r, TestClients.SecretKey));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "ServerException")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailableException")]
    [InlineData(HttpStatusCode.BadRequest, "ThrottlingException")]
    public async Task Retryable_errors_get_three_attempts_in_total(HttpStatusCode status, string code)
    {
        var handler = new StubHandler().Respond(status, """{"message":"x"}""", headers: ("x-amzn-ErrorType", code));
        var error = await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Eks(handler).DescribeClusterAsync("c"));
        Assert.True(error.IsRetryable);
        Assert.Equal(code, error.Code);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Terminal_errors_are_not_retried()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.BadRequest, """{"message":"bad"}""", headers: ("x-amzn-ErrorType", "InvalidParameterException"));
        await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Eks(handler).DeleteClusterAsync("c"));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Connection_failures_are_retried_then_reported_as_transient()
    {
        var handler = new StubHandler().Respond(_ => throw new HttpRequestException("Connection refused"));
        var error = await Assert.ThrowsAsync<AwsApiException>(() => TestClients.Eks(handler).DescribeClusterAsync("c"));
        Assert.Equal(("ConnectionFailure", AwsErrorKind.Transient, (HttpStatusCode)0), (error.Code, error.Kind, error.HttpStatus));
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A_connection_failure_then_success_returns_the_result()
    {
        var handler = new StubHandler()
            .Respond(_ => throw new HttpRequestException("reset"))
            .Respond(HttpStatusCode.OK, Cluster);
        Assert.NotNull(await TestClients.Eks(handler).DescribeClusterAsync("c"));
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_retried()
    {
        using var cancel = new CancellationTokenSource();
        var handler = new StubHandler().Respond(_ =>
        {
            cancel.Cancel();
            throw new TaskCanceledException();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestClients.Eks(handler).DescribeClusterAsync("c", cancel.Token));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task An_exhausted_retry_quota_stops_retrying_and_successes_refill_it()
    {
        var options = TestClients.Options();
        var failing = new StubHandler().Respond(HttpStatusCode.InternalServerError, """{"message":"x"}""", headers: ("x-amzn-ErrorType", "ServerException"));
        var transport = TestClients.Transport(failing, AwsServiceEndpoint.Eks(options), AwsErrorReaders.RestJson, options);
        var eks = new Eks.EksClient(transport);

        // 500 tokens, 5 per retry, 2 retries per call: 50 calls drain it.
        for (var i = 0; i < 50; i++)
        {
            await Assert.ThrowsAsync<AwsApiException>(() => eks.ListClustersAsync());
        }

        Assert.Equal(150, failing.Requests.Count);
        Assert.Equal(0, transport.Quota.Available);
        await Assert.ThrowsAsync<AwsApiException>(() => eks.ListClustersAsync());
        Assert.Equal(151, failing.Requests.Count);

        failing.Respond(HttpStatusCode.OK, """{"clusters":[]}""");
        await eks.ListClustersAsync();
        Assert.Equal(RetryQuota.NoRetryIncrement, transport.Quota.Available);
    }

    [Fact]
    public async Task A_success_after_retries_refunds_their_cost()
    {
        var options = TestClients.Options();
        var handler = new StubHandler()
            .Respond(_ => throw new HttpRequestException("reset"))
            .Respond(HttpStatusCode.ServiceUnavailable, """{"message":"x"}""", headers: ("x-amzn-ErrorType", "ServiceUnavailableException"))
            .Respond(HttpStatusCode.OK, """{"clusters":[]}""");
        var transport = TestClients.Transport(handler, AwsServiceEndpoint.Eks(options), AwsErrorReaders.RestJson, options);
        var quota = transport.Quota;
        Assert.True(quota.TryAcquire(100));

        await new Eks.EksClient(transport).ListClustersAsync();

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(RetryQuota.DefaultCapacity - 100, quota.Available);
    }

    [Theory]
    [InlineData(0, 1.0, 1.0)]
    [InlineData(1, 1.0, 2.0)]
    [InlineData(4, 1.0, 16.0)]
    [InlineData(5, 1.0, 20.0)]
    [InlineData(30, 0.5, 10.0)]
    [InlineData(2, 0.0, 0.0)]
    public void Backoff_is_full_jitter_capped_exponential(int retry, double random, double expectedSeconds)
    {
        var options = TestClients.Options();
        var transport = TestClients.Transport(new StubHandler(), AwsServiceEndpoint.Eks(options), AwsErrorReaders.RestJson, options, random: () => random);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), transport.BackoffFor(retry));
    }
}
