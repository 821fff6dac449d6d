using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>The objects that live on a cluster (node groups, Fargate profiles), deleted before it.</summary>
internal sealed class ClusterChildren(IStore<ManagedNodeGroup> nodeGroups, IStore<FargateProfile> profiles, IObjectClient objects)
{
    /// <summary>Deletes the children's objects (this works without a garbage collector) and waits for them; null once none is left.</summary>
    public async Task<Outcome?> DeleteFirstAsync(EksCluster cluster, CancellationToken ct)
    {
        var key = ClusterIndex.KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name);
        var dependents = nodeGroups.ByIndex(ClusterIndex.Name, key).Cast<IEksResource>().Concat(profiles.ByIndex(ClusterIndex.Name, key)).ToList();
        foreach (var dependent in dependents.Where(d => d.Metadata.DeletionTimestamp is null))
        {
            if (dependent is ManagedNodeGroup) await objects.DeleteAsync<ManagedNodeGroup>(ObjectKey.From(dependent), ct);
            else await objects.DeleteAsync<FargateProfile>(ObjectKey.From(dependent), ct);
        }

        return dependents.Count > 0
            ? new Outcome.Progress(ConditionReasons.Deleting,
                $"deleting node groups and Fargate profiles first: waiting for {string.Join(", ", dependents.Select(d => $"{d.Kind}/{d.Metadata.Name}"))}")
            : null;
    }
}
