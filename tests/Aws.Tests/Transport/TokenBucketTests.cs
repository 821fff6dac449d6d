using System.Net;
using EksOperator.Aws.Tests.Support;
using EksOperator.Aws.Transport;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Aws.Tests.Transport;

public sealed class TokenBucketTests
{
    [Fact]
    public async Task Burst_passes_then_callers_wait_for_the_refill()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(ratePerSecond: 2, capacity: 2, time);

        await bucket.AcquireAsync(CancellationToken.None);
        await bucket.AcquireAsync(CancellationToken.None);
        var third = bucket.AcquireAsync(CancellationToken.None).AsTask();
        var fourth = bucket.AcquireAsync(CancellationToken.None).AsTask();

        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await fourth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Refill_never_exceeds_capacity()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(ratePerSecond: 10, capacity: 3, time);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(3, bucket.Available);
        for (var i = 0; i < 3; i++)
        {
            await bucket.AcquireAsync(CancellationToken.None);
        }

        Assert.False(bucket.AcquireAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task A_cancelled_waiter_gives_its_reservation_back()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(ratePerSecond: 1, capacity: 1, time);
        await bucket.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = bucket.AcquireAsync(cancel.Token).AsTask();
        Assert.Equal(-1, bucket.Available);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, bucket.Available);
    }

    [Fact]
    public async Task Every_attempt_of_a_client_takes_a_token_from_its_account_region_service_bucket()
    {
        var time = new FakeTimeProvider();
        var options = TestClients.Options() with
        {
            AccountId = "111122223333",
            Eks = new AwsServiceOptions { ServiceUrl = new Uri("https://eks.us-west-2.amazonaws.com"), RequestsPerSecond = 1, Burst = 2 },
        };
        var limiters = new AwsRateLimiters(time);
        var handler = new StubHandler().Respond(HttpStatusCode.OK, """{"clusters":[]}""");
        var transport = new AwsTransport(
            new HttpClient(handler),
            AwsServiceEndpoint.Eks(options),
            options.Eks,
            options,
            new AwsCredentialSource(options),
            limiters,
            time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            AwsErrorReaders.RestJson,
            () => 0);
        var eks = new Eks.EksClient(transport);

        await eks.ListClustersAsync();
        await eks.ListClustersAsync();
        var third = eks.ListClustersAsync();

        Assert.Equal(2, handler.Requests.Count);
        Assert.False(third.IsCompleted);
        Assert.NotNull(limiters.Find("111122223333", "us-west-2", "eks"));
        Assert.Null(limiters.Find("111122223333", "us-east-1", "eks"));
        time.Advance(TimeSpan.FromSeconds(1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Buckets_are_independent_per_key()
    {
        var time = new FakeTimeProvider();
        var limiters = new AwsRateLimiters(time);
        var limits = new AwsServiceOptions { RequestsPerSecond = 1, Burst = 1 };
        await limiters.AcquireAsync("a", "us-west-2", "eks", limits, CancellationToken.None);
        await limiters.AcquireAsync("a", "us-west-2", "iam", limits, CancellationToken.None);
        await limiters.AcquireAsync("b", "us-west-2", "eks", limits, CancellationToken.None);
        await limiters.AcquireAsync("a", "eu-west-1", "eks", limits, CancellationToken.None);
        Assert.False(limiters.AcquireAsync("a", "us-west-2", "eks", limits, CancellationToken.None).IsCompleted);
    }
}
