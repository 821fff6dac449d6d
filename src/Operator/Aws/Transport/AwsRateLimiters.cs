using System.Collections.Concurrent;

namespace EksOperator.Aws.Transport;

/// <summary>One token bucket per (account, region, service), shared by every client of the process.</summary>
internal sealed class AwsRateLimiters(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Account, string Region, string Service), TokenBucket?> _buckets = new();

    public ValueTask AcquireAsync(string account, string region, string service, AwsServiceOptions limits, CancellationToken cancellationToken)
    {
        var bucket = _buckets.GetOrAdd(
            (account, region, service),
            static (_, state) => state.limits.RequestsPerSecond > 0
                ? new TokenBucket(state.limits.RequestsPerSecond, Math.Max(1, state.limits.Burst), state.time)
                : null,
            (limits, time));
        return bucket?.AcquireAsync(cancellationToken) ?? ValueTask.CompletedTask;
    }

    internal TokenBucket? Find(string account, string region, string service) =>
        _buckets.TryGetValue((account, region, service), out var bucket) ? bucket : null;
}
