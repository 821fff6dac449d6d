using EksOperator.Simulators.Kubernetes.Storage;

namespace EksOperator.Simulators.Kubernetes;

/// <summary>Failure injection for tests and benchmarks (also reachable over HTTP under <c>/_sim/faults/</c>).</summary>
public sealed class KubernetesFaults
{
    private readonly ObjectStore _store;
    private readonly Lock _gate = new();
    private int _failuresLeft;
    private int _failureCode;
    private long _latencyTicks;

    internal KubernetesFaults(ObjectStore store) => _store = store;

    /// <summary>Extra delay before every API request is handled.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>Ends every open watch stream cleanly, as an apiserver restart or a load balancer would.</summary>
    public void DropAllWatches() => _store.DropAllWatches();

    /// <summary>Forgets the watch history: resuming from any resourceVersion seen so far gets 410 Expired.</summary>
    public void ExpireHistory() => _store.ExpireHistory();

    /// <summary>The next <paramref name="count"/> writes (create, update, patch, delete) fail with 409 Conflict or 500.</summary>
    public void FailNextWrites(int count, int statusCode)
    {
        if (statusCode is not (409 or 500))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "only 409 and 500 are supported");
        }

        lock (_gate)
        {
            _failuresLeft = Math.Max(0, count);
            _failureCode = statusCode;
        }
    }

    internal int? TakeWriteFailure()
    {
        lock (_gate)
        {
            if (_failuresLeft == 0)
            {
                return null;
            }

            _failuresLeft--;
            return _failureCode;
        }
    }
}
