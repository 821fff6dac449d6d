using System.Collections.Concurrent;

namespace EksOperator.Aws.Transport;

/// <summary>
/// Token buckets per (account, region, service), shared by every client of the process: one for reads and, when
/// <see cref="AwsServiceOptions.WriteShare"/> is set, one for mutating calls, as AWS limits them.
/// </summary>
internal sealed class AwsRateLimiters(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Account, string Region, string Service, bool Write), TokenBucket?> _buckets = new();

    /// <summary>True for calls that change something; AWS's read buckets cover Describe*, List* and Get*.</summary>
    public static bool IsMutating(string operation) =>
        !(operation.StartsWith("Describe", StringComparison.Ordinal) || operation.StartsWith("List", StringComparison.Ordinal)
          || operation.StartsWith("Get", StringComparison.Ordinal));

    public ValueTask AcquireAsync(string account, string region, string service, AwsServiceOptions limits, bool mutating, CancellationToken cancellationToken)
    {
        var write = mutating && limits.WriteShare > 0;
        var bucket = _buckets.GetOrAdd(
            (account, region, service, write),
            static (key, state) => (key.Write, state.limits) switch
            {
                (true, { RequestsPerSecond: > 0 } l) => new TokenBucket(l.RequestsPerSecond * l.WriteShare, Math.Max(1, l.WriteBurst), state.time),
                (false, { RequestsPerSecond: > 0 } l) => new TokenBucket(l.RequestsPerSecond, Math.Max(1, l.Burst), state.time),
                _ => null,
            },
            (limits, time));
        return bucket?.AcquireAsync(cancellationToken) ?? ValueTask.CompletedTask;
    }

    internal TokenBucket? Find(string account, string region, string service, bool write = false) =>
        _buckets.TryGetValue((account, region, service, write), out var bucket) ? bucket : null;
}
