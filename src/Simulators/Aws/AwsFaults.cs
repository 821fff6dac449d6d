namespace EksOperator.Simulators.Aws;

/// <summary>
/// Fault injection and AWS-like rate limiting. Thread-safe; changes apply to the next request.
/// Rates are probabilities in [0, 1] per request.
/// </summary>
public sealed class AwsFaults
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private double _throttleRate;
    private double _serverErrorRate;
    private double _dropConnectionRate;
    private double _loseResponseRate;
    private Random _random = new();
    private TimeSpan _latency;
    private bool _enforceRateLimits;
    private AwsRateLimit _readLimit = new(100, 20);
    private AwsRateLimit _writeLimit = new(50, 5);
    private HashSet<string> _operations = new(StringComparer.Ordinal);
    private HashSet<string> _accounts = new(StringComparer.Ordinal);

    internal AwsFaults(TimeProvider time) => _time = time;

    /// <summary>Share of requests answered with the service's throttling error.</summary>
    public double ThrottleRate { get => Volatile.Read(ref _throttleRate); set => Volatile.Write(ref _throttleRate, Clamp(value)); }

    /// <summary>Share of requests answered with a 500 internal error.</summary>
    public double ServerErrorRate { get => Volatile.Read(ref _serverErrorRate); set => Volatile.Write(ref _serverErrorRate, Clamp(value)); }

    /// <summary>Share of requests whose connection is aborted without a response.</summary>
    public double DropConnectionRate { get => Volatile.Read(ref _dropConnectionRate); set => Volatile.Write(ref _dropConnectionRate, Clamp(value)); }

    /// <summary>
    /// Share of requests that AWS carries out but whose response is lost (the connection is aborted after the change):
    /// the caller cannot tell whether its create or update happened.
    /// </summary>
    public double LoseResponseRate { get => Volatile.Read(ref _loseResponseRate); set => Volatile.Write(ref _loseResponseRate, Clamp(value)); }

    /// <summary>Seeds the dice of the random faults so that a run can be replayed (as far as request order allows).</summary>
    public void UseSeed(int seed)
    {
        lock (_gate)
        {
            _random = new Random(seed);
        }
    }

    /// <summary>Added before every AWS response, waited on the simulator's TimeProvider (a fake clock must be advanced).</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) { return _latency; } }
        set { lock (_gate) { _latency = value < TimeSpan.Zero ? TimeSpan.Zero : value; } }
    }

    /// <summary>
    /// Operations ("eks:DescribeCluster", "iam:GetRole", …) that latency and the random faults apply to;
    /// empty (the default) means every operation. Rate limits always apply to every call.
    /// </summary>
    public IReadOnlyCollection<string> Operations
    {
        get { lock (_gate) { return [.. _operations]; } }
        set { lock (_gate) { _operations = new HashSet<string>(value ?? [], StringComparer.Ordinal); } }
    }

    /// <summary>
    /// Accounts (12-digit ids) that latency and the random faults apply to; empty (the default) means every account.
    /// With <see cref="ThrottleRate"/> 1 and one account here, that account is throttled while the others progress.
    /// </summary>
    public IReadOnlyCollection<string> Accounts
    {
        get { lock (_gate) { return [.. _accounts]; } }
        set { lock (_gate) { _accounts = new HashSet<string>(value ?? [], StringComparer.Ordinal); } }
    }

    /// <summary>When on, each (account, region, service, read|write) has a token bucket like AWS's; an empty bucket throttles.</summary>
    public bool EnforceRateLimits
    {
        get { lock (_gate) { return _enforceRateLimits; } }
        set { lock (_gate) { _enforceRateLimits = value; _buckets.Clear(); } }
    }

    /// <summary>Bucket for Describe/List/Get calls (default 100 burst, 20/s).</summary>
    public AwsRateLimit ReadLimit
    {
        get { lock (_gate) { return _readLimit; } }
        set { lock (_gate) { _readLimit = value; _buckets.Clear(); } }
    }

    /// <summary>Bucket for mutating calls (default 50 burst, 5/s).</summary>
    public AwsRateLimit WriteLimit
    {
        get { lock (_gate) { return _writeLimit; } }
        set { lock (_gate) { _writeLimit = value; _buckets.Clear(); } }
    }

    /// <summary>Turns every fault and the rate limits off.</summary>
    public void Reset()
    {
        ThrottleRate = 0;
        ServerErrorRate = 0;
        DropConnectionRate = 0;
        LoseResponseRate = 0;
        lock (_gate)
        {
            _latency = TimeSpan.Zero;
            _operations = new HashSet<string>(StringComparer.Ordinal);
            _accounts = new HashSet<string>(StringComparer.Ordinal);
            _enforceRateLimits = false;
            _readLimit = new(100, 20);
            _writeLimit = new(50, 5);
            _buckets.Clear();
        }
    }

    /// <summary>True with probability <paramref name="rate"/>.</summary>
    internal bool Roll(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _random.NextDouble() < rate;
        }
    }

    internal bool Targets(string service, string operation, string? account)
    {
        lock (_gate)
        {
            return (_operations.Count == 0 || _operations.Contains(service + ":" + operation))
                && (_accounts.Count == 0 || (account is not null && _accounts.Contains(account)));
        }
    }

    /// <summary>Takes a token for the call; false when the bucket is empty. AWS limits each account in each region separately.</summary>
    internal bool TryAcquire(string service, bool mutating, string? account = null, string? region = null)
    {
        lock (_gate)
        {
            if (!_enforceRateLimits)
            {
                return true;
            }

            var key = account + "/" + region + "/" + service + (mutating ? ":write" : ":read");
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                bucket = new TokenBucket(mutating ? _writeLimit : _readLimit, _time.GetUtcNow());
                _buckets[key] = bucket;
            }

            return bucket.TryTake(_time.GetUtcNow());
        }
    }

    private static double Clamp(double rate) => double.IsNaN(rate) ? 0 : Math.Clamp(rate, 0, 1);

    private sealed class TokenBucket(AwsRateLimit limit, DateTimeOffset created)
    {
        private double _tokens = limit.Burst;
        private DateTimeOffset _refilledAt = created;

        public bool TryTake(DateTimeOffset now)
        {
            if (now > _refilledAt)
            {
                _tokens = Math.Min(limit.Burst, _tokens + ((now - _refilledAt).TotalSeconds * limit.RefillPerSecond));
                _refilledAt = now;
            }

            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}

/// <summary>Token bucket shape: up to <paramref name="Burst"/> calls at once, refilled at <paramref name="RefillPerSecond"/>.</summary>
public sealed record AwsRateLimit(int Burst, double RefillPerSecond);
