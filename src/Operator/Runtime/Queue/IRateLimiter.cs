namespace EksOperator.Runtime.Queue;

/// <summary>
/// Decides how long an item waits before it is retried (client-go's RateLimiter). Kept apart from the queue
/// so that policies compose (<see cref="MaxOfRateLimiter{TKey}"/>) and can be tested alone.
/// </summary>
internal interface IRateLimiter<TKey>
    where TKey : notnull
{
    /// <summary>Records one more retry of <paramref name="key"/> and returns how long it must wait.</summary>
    TimeSpan When(TKey key);

    /// <summary>The item succeeded: clear its failure history.</summary>
    void Forget(TKey key);

    /// <summary>How many times the item has been retried since it was last forgotten.</summary>
    int NumRequeues(TKey key);
}

/// <summary>Per-item exponential backoff: base·2^n, capped (client-go ItemExponentialFailureRateLimiter).</summary>
internal sealed class ItemExponentialRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Lock _lock = new();

    public TimeSpan When(TKey key)
    {
        int exponent;
        lock (_lock)
        {
            _failures.TryGetValue(key, out exponent);
            _failures[key] = exponent + 1;
        }

        // 2^exponent overflows long before any sane cap; stop multiplying once past the cap.
        var delay = baseDelay.TotalSeconds * Math.Pow(2, Math.Min(exponent, 62));
        return delay >= maxDelay.TotalSeconds ? maxDelay : TimeSpan.FromSeconds(delay);
    }

    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    public int NumRequeues(TKey key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }
}

/// <summary>
/// One token bucket shared by all items (client-go BucketRateLimiter): bounds the overall retry rate even when many
/// items fail at once. A reservation is taken on every call, so a burst of failures spreads out at <c>qps</c>.
/// </summary>
internal sealed class BucketRateLimiter<TKey> : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly TimeProvider _time;
    private readonly double _qps;
    private readonly double _burst;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    public BucketRateLimiter(double qps, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _qps = qps;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    public TimeSpan When(TKey key)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _qps));
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public void Forget(TKey key)
    {
    }

    public int NumRequeues(TKey key) => 0;
}

/// <summary>The longest delay of several limiters (client-go MaxOfRateLimiter).</summary>
internal sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey>
    where TKey : notnull
{
    public TimeSpan When(TKey key)
    {
        var max = TimeSpan.Zero;
        foreach (var limiter in limiters)
        {
            var delay = limiter.When(key);
            if (delay > max)
            {
                max = delay;
            }
        }

        return max;
    }

    public void Forget(TKey key)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(key);
        }
    }

    public int NumRequeues(TKey key) => limiters.Max(l => l.NumRequeues(key));
}

/// <summary>controller-runtime's default: max(per-item 5 ms→1000 s, bucket 10/s burst 100), configurable.</summary>
internal static class RateLimiters
{
    public static IRateLimiter<TKey> Default<TKey>(RateLimitOptions options, TimeProvider time)
        where TKey : notnull
        => new MaxOfRateLimiter<TKey>(
            new ItemExponentialRateLimiter<TKey>(options.BaseDelay, options.MaxDelay),
            new BucketRateLimiter<TKey>(options.QueriesPerSecond, options.Burst, time));
}
