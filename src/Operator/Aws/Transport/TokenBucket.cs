namespace EksOperator.Aws.Transport;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>. Callers that find it empty reserve a token (the count goes negative)
/// and wait for their turn, so waiters are served in arrival order and the long-run rate never exceeds the refill rate.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double ratePerSecond, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time;
        _ratePerSecond = ratePerSecond;
        _capacity = capacity;
        _tokens = capacity;
        _lastRefill = time.GetTimestamp();
    }

    /// <summary>Tokens available now (negative while callers are queued).</summary>
    public double Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens;
            }
        }
    }

    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            Refill();
            _tokens -= 1;
            if (_tokens >= 0)
            {
                return;
            }

            wait = TimeSpan.FromSeconds(-_tokens / _ratePerSecond);
        }

        try
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _tokens += 1;
            }

            throw;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now);
        _lastRefill = now;
        _tokens = Math.Min(_capacity, _tokens + (elapsed.TotalSeconds * _ratePerSecond));
    }
}
