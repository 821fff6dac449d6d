using EksOperator.Controllers.Kinds.Clusters;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds;

/// <summary>
/// What the house needs of a kind whose objects live on an EksCluster (node groups, Fargate profiles, add-ons,
/// access entries, Pod Identity associations): the by-cluster index, the watch that wakes the cluster when one
/// changes (its deletion and upgrades wait on them), and deleting the objects before the cluster. A registration
/// names its kind's <see cref="ClusterChild"/>; the cluster reads the registry, so a new child kind edits nothing.
/// </summary>
internal sealed class ClusterChild
{
    private ClusterChild(
        Type entity,
        Func<IEksResource, string> clusterName,
        Action<ControllerRuntimeBuilder> addIndex,
        Func<ControllerBuilder<EksCluster>, ControllerBuilder<EksCluster>> wakeCluster,
        Func<IInformerCache, string, IEnumerable<IEksResource>> onCluster,
        Func<IObjectClient, IEksResource, CancellationToken, Task> delete)
    {
        Entity = entity;
        ClusterName = clusterName;
        AddIndex = addIndex;
        WakeCluster = wakeCluster;
        OnCluster = onCluster;
        DeleteAsync = delete;
    }

    public Type Entity { get; }

    /// <summary>The name of the EksCluster object the child refers to.</summary>
    public Func<IEksResource, string> ClusterName { get; }

    public Action<ControllerRuntimeBuilder> AddIndex { get; }

    public Func<ControllerBuilder<EksCluster>, ControllerBuilder<EksCluster>> WakeCluster { get; }

    /// <summary>The children of the cluster with this by-cluster index key.</summary>
    public Func<IInformerCache, string, IEnumerable<IEksResource>> OnCluster { get; }

    public Func<IObjectClient, IEksResource, CancellationToken, Task> DeleteAsync { get; }

    /// <summary>The by-cluster index keys of a child object.</summary>
    public IEnumerable<string> IndexKeys(IEksResource obj) => [ClusterIndex.KeyOf(obj.Metadata.NamespaceProperty ?? "", ClusterName(obj))];

    public static ClusterChild Of<T>(Func<T, ClusterReference> cluster)
        where T : class, IEksResource
    {
        string Name(IEksResource o) => cluster((T)o).Name;
        ObjectKey ClusterKey(T o) => new(o.Metadata.NamespaceProperty ?? "", cluster(o).Name);
        return new ClusterChild(
            typeof(T),
            Name,
            runtime => runtime.AddIndex<T>(ClusterIndex.Name, o => [ClusterIndex.KeyOf(o.Metadata.NamespaceProperty ?? "", cluster(o).Name)]),
            builder => builder.Watches<T>((o, _) => [ClusterKey(o)]),
            (cache, key) => cache.GetStore<T>().ByIndex(ClusterIndex.Name, key),
            async (objects, o, ct) => await objects.DeleteAsync<T>(ObjectKey.From(o), ct));
    }
}
