using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>The objects that live on a cluster (every registered <see cref="ClusterChild"/> kind), deleted before it.</summary>
internal sealed class ClusterChildren(IInformerCache cache, IObjectClient objects)
{
    private static readonly ClusterChild[] Kinds = [.. KindRegistry.All.Select(k => k.ChildOfCluster).OfType<ClusterChild>()];

    /// <summary>Deletes the children's objects (this works without a garbage collector) and waits for them; null once none is left.</summary>
    public async Task<Outcome?> DeleteFirstAsync(EksCluster cluster, CancellationToken ct)
    {
        var key = ClusterIndex.KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name);
        var dependents = Kinds.SelectMany(kind => kind.OnCluster(cache, key).Select(obj => (kind, obj))).ToList();
        foreach (var (kind, dependent) in dependents.Where(d => d.obj.Metadata.DeletionTimestamp is null))
        {
            await kind.DeleteAsync(objects, dependent, ct);
        }

        return dependents.Count > 0
            ? new Outcome.Progress(ConditionReasons.Deleting,
                $"deleting the objects on the cluster first: waiting for {string.Join(", ", dependents.Select(d => $"{d.obj.Kind}/{d.obj.Metadata.Name}"))}")
            : null;
    }
}
