namespace EksOperator.Simulators.Aws;

/// <summary>One AWS call the simulator answered (status 0 = connection dropped by fault injection).</summary>
public sealed record AwsCall(DateTimeOffset Time, string Service, string Operation, string? Resource, int StatusCode)
{
    /// <summary>The account that answered (the signing key's); null when the key was unknown or the request unsigned and refused.</summary>
    public string? Account { get; init; }

    /// <summary>The access key that signed the request (CloudTrail's userIdentity.accessKeyId); null when unsigned or unknown.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The region the request was signed for (the simulator's first region when it was not signed).</summary>
    public string? Region { get; init; }
}

/// <summary>Calls of one operation ("eks:DescribeCluster") within one second of the simulator's clock.</summary>
public sealed record AwsCallsPerSecond(DateTimeOffset Second, string Operation, int Calls, int Errors);

/// <summary>Per-operation counters ("eks:CreateCluster" → n) and a bounded, time-ordered log of calls.</summary>
public sealed class AwsCallLog
{
    /// <summary>The log keeps at most this many entries (oldest dropped); counters are never truncated.</summary>
    public const int Capacity = 200_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Queue<AwsCall> _entries = new();
    private long _total;

    internal AwsCallLog()
    {
    }

    /// <summary>All calls since the last reset.</summary>
    public long Total
    {
        get { lock (_gate) { return _total; } }
    }

    /// <summary>Snapshot of the per-operation counters, keys like "eks:DescribeCluster".</summary>
    public IReadOnlyDictionary<string, long> Counters
    {
        get { lock (_gate) { return new Dictionary<string, long>(_counters, StringComparer.Ordinal); } }
    }

    /// <summary>Calls of one operation ("eks:CreateCluster"); 0 when never called.</summary>
    public long Count(string operation)
    {
        lock (_gate)
        {
            return _counters.GetValueOrDefault(operation);
        }
    }

    /// <summary>Logged calls in time order, optionally only those at or after <paramref name="since"/>.</summary>
    public IReadOnlyList<AwsCall> Entries(DateTimeOffset? since = null)
    {
        lock (_gate)
        {
            return since is { } from ? [.. _entries.Where(e => e.Time >= from)] : [.. _entries];
        }
    }

    /// <summary>Logged calls answered from one account, in time order.</summary>
    public IReadOnlyList<AwsCall> EntriesOf(string account, DateTimeOffset? since = null) =>
        [.. Entries(since).Where(e => e.Account == account)];

    /// <summary>The log folded into one row per (second, operation); errors are status ≥ 400 or dropped.</summary>
    public IReadOnlyList<AwsCallsPerSecond> PerSecond(DateTimeOffset? since = null) =>
        [.. Entries(since)
            .GroupBy(e => (Second: new DateTimeOffset(e.Time.UtcTicks - (e.Time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero), Operation: e.Service + ":" + e.Operation))
            .Select(g => new AwsCallsPerSecond(g.Key.Second, g.Key.Operation, g.Count(), g.Count(e => e.StatusCode is 0 or >= 400)))
            .OrderBy(r => r.Second).ThenBy(r => r.Operation, StringComparer.Ordinal)];

    /// <summary>
    /// Raised for every call after AWS has acted on it and before the response is sent, on the request's thread: a
    /// handler that kills the caller there leaves a change made in AWS that the caller never heard of.
    /// </summary>
    public event Action<AwsCall>? Answering;

    /// <summary>Clears counters and log.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _counters.Clear();
            _entries.Clear();
            _total = 0;
        }
    }

    internal void Record(AwsCall call)
    {
        var key = call.Service + ":" + call.Operation;
        lock (_gate)
        {
            _counters[key] = _counters.GetValueOrDefault(key) + 1;
            _total++;
            if (_entries.Count >= Capacity)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(call);
        }

        Answering?.Invoke(call);
    }
}
