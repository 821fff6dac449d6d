using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds;

/// <summary>"Objects referring to cluster X": the index that ties a cluster's children to it (each kind's <see cref="ClusterChild"/> fills it).</summary>
internal static class ClusterIndex
{
    public const string Name = "by-cluster";

    public static string KeyOf(string @namespace, string clusterName) => $"{@namespace}/{clusterName}";

    /// <summary>A cluster change wakes its dependents (WaitingForCluster, version following).</summary>
    public static IEnumerable<ObjectKey> Dependents<T>(EksCluster cluster, IInformerCache cache)
        where T : class, IEksResource
        => cache.GetStore<T>().ByIndex(Name, KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name)).Select(ObjectKey.From);
}
