using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using k8s;
using k8s.Models;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// This replica's shard and the other shards' Leases as a test sets them; a release removes status.shard from the
/// stored object only if it still names the shard, as the conditional JSON patch does.
/// </summary>
internal sealed class FakeShards(KubeWorld kube) : IShards
{
    public string Current { get; set; } = ShardingOptions.DefaultShard;

    public bool Enabled => true;

    /// <summary>Shard → its Lease; a shard not listed has no Lease.</summary>
    public Dictionary<string, ShardLease> Leases { get; } = new(StringComparer.Ordinal);

    /// <summary>Every release attempted, as "kind/key shard → released?".</summary>
    public List<string> Releases { get; } = [];

    public Task<ShardLease> LeaseOfAsync(string shard, CancellationToken cancellationToken) =>
        Task.FromResult(Leases.GetValueOrDefault(shard) ?? new ShardLease(false, null));

    /// <summary>Claims fail as when the object changed after the cache read it (a relabel, another shard's claim).</summary>
    public bool LoseClaims { get; set; }

    /// <summary>Every claim attempted, as "kind/key -> claimed?".</summary>
    public List<string> Claims { get; } = [];

    public Task<string?> ClaimAsync<T>(T cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var key = ObjectKey.From(cached);
        string? claimed = null;
        if (!LoseClaims && kube.Store<T>().TryGet(key, out var current) && current.Metadata.ResourceVersion == cached.Metadata.ResourceVersion)
        {
            var copy = (IEksResource)current.DeepCopy();
            copy.EnsureStatus().Shard = Current;
            claimed = kube.Put((T)copy).Metadata.ResourceVersion;
        }

        Claims.Add($"{typeof(T).Name}/{key} -> {claimed is not null}");
        return Task.FromResult(claimed);
    }

    public Task<bool> ReleaseAsync<T>(ObjectKey key, string shard, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var released = false;
        if (kube.Store<T>().TryGet(key, out var current) && current is IEksResource { CommonStatus.Shard: var recorded } && recorded == shard)
        {
            var copy = (IEksResource)current.DeepCopy();
            copy.EnsureStatus().Shard = null;
            kube.Put((T)copy);
            released = true;
        }

        Releases.Add($"{typeof(T).Name}/{key} {shard} -> {released}");
        return Task.FromResult(released);
    }
}
