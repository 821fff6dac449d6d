using EksOperator.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Queue;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    private WorkQueue<string> NewQueue(IRateLimiter<string>? limiter = null)
        => new(limiter ?? new ItemExponentialRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)), _time);

    private static async Task<string> Next(WorkQueue<string> queue)
    {
        var (ok, key) = await queue.GetAsync(CancellationToken.None).WaitAsync(TestTimeout);
        Assert.True(ok);
        return key;
    }

    [Fact]
    public async Task Adds_of_a_waiting_key_collapse_into_one()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Length);
        Assert.Equal("a", await Next(queue));
        Assert.Equal("b", await Next(queue));
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task A_key_in_flight_is_not_handed_out_again_until_done_then_is_reprocessed()
    {
        using var queue = NewQueue();
        queue.Add("a");
        Assert.Equal("a", await Next(queue));

        queue.Add("a");
        Assert.Equal(0, queue.Length);
        var second = queue.GetAsync(CancellationToken.None);
        Assert.False(second.IsCompleted);

        queue.Done("a");

        var (ok, key) = await second.WaitAsync(TestTimeout);
        Assert.True(ok);
        Assert.Equal("a", key);
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        using var queue = NewQueue();
        queue.Add("a");
        await Next(queue);
        queue.Done("a");

        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task Get_waits_for_an_add()
    {
        using var queue = NewQueue();
        var pending = queue.GetAsync(CancellationToken.None);
        Assert.False(pending.IsCompleted);

        queue.Add("x");

        Assert.Equal("x", (await pending.WaitAsync(TestTimeout)).Key);
    }

    [Fact]
    public async Task Delayed_add_appears_only_after_the_delay()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, queue.Length);
        Assert.Equal(1, queue.Delayed);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Length);
        Assert.Equal("a", await Next(queue));
    }

    [Fact]
    public void The_earliest_delayed_add_of_a_key_wins()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Length);

        // The superseded timers must not add it a second time.
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, queue.Length);
        Assert.Equal(0, queue.Delayed);
    }

    [Fact]
    public void A_plain_add_supersedes_a_pending_delayed_add()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.Add("a");

        Assert.Equal(1, queue.Length);
        Assert.Equal(0, queue.Delayed);
    }

    [Fact]
    public async Task Rate_limited_adds_back_off_exponentially_until_forgotten()
    {
        using var queue = NewQueue();

        queue.AddRateLimited("a");
        Assert.Equal(0, queue.Length);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal("a", await Next(queue));
        queue.Done("a");

        queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(0, queue.Length);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", await Next(queue));
        queue.Done("a");
        Assert.Equal(2, queue.NumRequeues("a"));

        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
        queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public async Task Shutdown_releases_waiting_workers_and_ignores_adds()
    {
        var queue = NewQueue();
        var waiting = queue.GetAsync(CancellationToken.None);

        queue.ShutDown();
        queue.Add("a");

        Assert.False((await waiting.WaitAsync(TestTimeout)).Ok);
        Assert.False((await queue.GetAsync(CancellationToken.None)).Ok);
        Assert.Equal(0, queue.Length);
        Assert.True(queue.Drained.IsCompleted);
    }

    [Fact]
    public async Task Drained_completes_when_the_last_in_flight_key_is_done()
    {
        var queue = NewQueue();
        queue.Add("a");
        await Next(queue);

        queue.ShutDown();
        Assert.False(queue.Drained.IsCompleted);

        queue.Done("a");
        await queue.Drained.WaitAsync(TestTimeout);
    }

    [Fact]
    public async Task A_cancelled_get_does_not_swallow_a_later_key()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        var live = queue.GetAsync(CancellationToken.None);
        queue.Add("a");

        Assert.Equal("a", (await live.WaitAsync(TestTimeout)).Key);
    }
}
