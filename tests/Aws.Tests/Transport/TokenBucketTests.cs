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
        await limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: false, CancellationToken.None);
        await limiters.AcquireAsync("a", "us-west-2", "iam", limits, mutating: false, CancellationToken.None);
        await limiters.AcquireAsync("b", "us-west-2", "eks", limits, mutating: false, CancellationToken.None);
        await limiters.AcquireAsync("a", "eu-west-1", "eks", limits, mutating: false, CancellationToken.None);
        Assert.False(limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: false, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Mutating_calls_have_their_own_slower_bucket_and_do_not_drain_reads()
    {
        var time = new FakeTimeProvider();
        var limiters = new AwsRateLimiters(time);
        var limits = new AwsServiceOptions { RequestsPerSecond = 10, Burst = 2, WriteShare = 0.5, WriteBurst = 1 };

        await limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: true, CancellationToken.None);
        var secondWrite = limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: true, CancellationToken.None).AsTask();
        Assert.False(secondWrite.IsCompleted);

        // Reads still have their whole burst.
        await limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: false, CancellationToken.None);
        await limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: false, CancellationToken.None);

        // Writes refill at 10 × 0.5 = 5/s: 100 ms is not enough, 200 ms is.
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(secondWrite.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await secondWrite.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(limiters.Find("a", "us-west-2", "eks", write: true));
    }

    [Fact]
    public async Task Without_a_write_share_reads_and_writes_share_one_bucket()
    {
        var time = new FakeTimeProvider();
        var limiters = new AwsRateLimiters(time);
        var limits = new AwsServiceOptions { RequestsPerSecond = 1, Burst = 1 };
        await limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: true, CancellationToken.None);
        Assert.False(limiters.AcquireAsync("a", "us-west-2", "eks", limits, mutating: false, CancellationToken.None).IsCompleted);
        Assert.Null(limiters.Find("a", "us-west-2", "eks", write: true));
    }

    [Theory]
    [InlineData("DescribeCluster", false)]
    [InlineData("ListNodegroups", false)]
    [InlineData("GetRole", false)]
    [InlineData("CreateCluster", true)]
    [InlineData("UpdateNodegroupConfig", true)]
    [InlineData("AttachRolePolicy", true)]
    [InlineData("TagResource", true)]
    public void Reads_are_Describe_List_and_Get(string operation, bool mutating) =>
        Assert.Equal(mutating, AwsRateLimiters.IsMutating(operation));

    [Fact]
    public void Default_write_rates_stay_under_AWS_like_write_limits_of_5_per_second()
    {
        var defaults = new AwsOptions();
        foreach (var service in new[] { defaults.Eks, defaults.Iam, defaults.Ec2 })
        {
            Assert.True(service.WriteShare > 0);
            Assert.InRange(service.RequestsPerSecond * service.WriteShare, 0.1, 4.99);
            Assert.InRange(service.RequestsPerSecond, 1, 20);
        }
    }
}
