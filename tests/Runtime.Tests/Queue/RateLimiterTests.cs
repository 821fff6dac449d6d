using EksOperator.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Queue;

public sealed class RateLimiterTests
{
    [Fact]
    public void Exponential_doubles_per_failure_and_caps()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("b"));
        Assert.Equal(3, limiter.NumRequeues("a"));

        for (var i = 0; i < 100; i++)
        {
            limiter.When("a");
        }

        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("a"));
    }

    [Fact]
    public void Exponential_forget_resets_one_key_only()
    {
        var limiter = new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
        limiter.When("a");
        limiter.When("a");
        limiter.When("b");

        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.When("b"));
    }

    [Fact]
    public void Bucket_allows_the_burst_then_spreads_at_the_rate()
    {
        var time = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<int>(10, 100, time);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.When(i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.When(100));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.When(101));

        // Reservations are paid back at 10/s: after one second the bucket is 8 tokens ahead of the debt.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, limiter.When(102));
    }

    [Fact]
    public void Bucket_refills_no_further_than_the_burst()
    {
        var time = new FakeTimeProvider();
        var limiter = new BucketRateLimiter<int>(10, 5, time);
        time.Advance(TimeSpan.FromHours(1));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.When(i));
        }

        Assert.True(limiter.When(5) > TimeSpan.Zero);
    }

    [Fact]
    public void Default_limiter_is_the_maximum_of_backoff_and_bucket()
    {
        var time = new FakeTimeProvider();
        var limiter = RateLimiters.Default<string>(new RateLimitOptions { QueriesPerSecond = 1, Burst = 1 }, time);

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));      // backoff > empty-bucket wait of 0
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.When("b"));           // bucket now empty: 1 s > 5 ms
        Assert.Equal(2, limiter.NumRequeues("a") + limiter.NumRequeues("b"));

        limiter.Forget("a");
        Assert.Equal(0, limiter.NumRequeues("a"));
    }
}
