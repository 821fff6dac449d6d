using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds;

/// <summary>"Objects referring to cluster X": the index and mappings that tie node groups and profiles to clusters.</summary>
internal static class ClusterIndex
{
    public const string Name = "by-cluster";

    public static string KeyOf(string @namespace, string clusterName) => $"{@namespace}/{clusterName}";

    public static IEnumerable<string> OfNodeGroup(ManagedNodeGroup ng) => [KeyOf(ng.Metadata.NamespaceProperty ?? "", ng.Spec.ClusterRef.Name)];

    public static IEnumerable<string> OfProfile(FargateProfile fp) => [KeyOf(fp.Metadata.NamespaceProperty ?? "", fp.Spec.ClusterRef.Name)];

    /// <summary>A node group or profile change wakes its cluster (upgrades and deletion wait on them).</summary>
    public static IEnumerable<ObjectKey> ClusterOf(ManagedNodeGroup ng) => [new(ng.Metadata.NamespaceProperty ?? "", ng.Spec.ClusterRef.Name)];

    public static IEnumerable<ObjectKey> ClusterOf(FargateProfile fp) => [new(fp.Metadata.NamespaceProperty ?? "", fp.Spec.ClusterRef.Name)];

    /// <summary>A cluster change wakes its dependents (WaitingForCluster, version following).</summary>
    public static IEnumerable<ObjectKey> Dependents<T>(EksCluster cluster, IInformerCache cache)
        where T : class, IEksResource
        => cache.GetStore<T>().ByIndex(Name, KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name)).Select(ObjectKey.From);
}
