using System.Text.Json.Nodes;
using EksOperator.Aws.Mapping;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers;

/// <summary>What node groups and profiles share: finding their cluster, owning up to it, and waiting for it.</summary>
internal sealed class Dependents(IStore<EksCluster> clusters, IObjectClient objects, StatusConditions conditions)
{
    /// <summary>The cluster when it is ACTIVE (or UPDATING); otherwise null with the WaitingForCluster condition set.</summary>
    public async Task<EksCluster?> ActiveClusterAsync<T>(T obj, ClusterReference reference, CancellationToken ct)
        where T : class, IEksResource
    {
        var ns = obj.Metadata.NamespaceProperty ?? "";
        if (!clusters.TryGet(new ObjectKey(ns, reference.Name), out var cluster))
        {
            conditions.Progressing(obj, ConditionReasons.WaitingForCluster, $"EksCluster {reference.Name} not found in namespace {ns}; create it or fix spec.clusterRef.name");
            return null;
        }

        await EnsureOwnerReferenceAsync(obj, cluster, ct);
        if (cluster.Metadata.DeletionTimestamp is not null)
        {
            conditions.Progressing(obj, ConditionReasons.WaitingForCluster, $"EksCluster {reference.Name} is being deleted");
            return null;
        }

        if (cluster.Status?.AwsStatus is not ("ACTIVE" or "UPDATING") || cluster.Status.Arn is null)
        {
            conditions.Progressing(obj, ConditionReasons.WaitingForCluster, $"waiting for EksCluster {reference.Name} to be ACTIVE (now {cluster.Status?.AwsStatus ?? "not created"})");
            return null;
        }

        return cluster;
    }

    /// <summary>What of its cluster a node group or profile acts on: identity, generation, AWS status and version, deletion.</summary>
    public string ClusterInputs(IEksResource obj, ClusterReference reference) =>
        clusters.TryGet(new ObjectKey(obj.Metadata.NamespaceProperty ?? "", reference.Name), out var c)
            ? $"{c.Metadata.Uid}/{c.Metadata.Generation}/{c.Status?.AwsStatus}/{c.Status?.Version}/{c.Status?.Arn}/{c.Metadata.DeletionTimestamp is not null}"
            : "none";

    /// <summary>
    /// The cluster while EKS is creating it (CreateCluster accepted, not yet ACTIVE, not being deleted): a dependent
    /// can prepare what does not need an ACTIVE cluster, such as its IAM role, so that it has propagated in time.
    /// </summary>
    public EksCluster? ClusterBeingCreated(IEksResource obj, ClusterReference reference) =>
        clusters.TryGet(new ObjectKey(obj.Metadata.NamespaceProperty ?? "", reference.Name), out var c)
        && c.Metadata.DeletionTimestamp is null && c.Status?.Arn is not null && c.Status.AwsStatus is "CREATING" or "PENDING"
            ? c
            : null;

    public static string ClusterAwsName(EksCluster cluster) => cluster.Spec.Name ?? cluster.Metadata.Name;

    /// <summary>The AWS cluster name for deletion: recorded in status, else read from the cluster object if it still exists.</summary>
    public string? ClusterAwsNameForDelete(IEksResource obj, ClusterReference reference, string? recorded) =>
        recorded ?? (clusters.TryGet(new ObjectKey(obj.Metadata.NamespaceProperty ?? "", reference.Name), out var cluster) ? ClusterAwsName(cluster) : null);

    public static Owner OwnerOf(IEksResource obj) => new(obj.Metadata.Uid ?? "", obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name);

    // An ownerReference makes deletion of the cluster cascade through a garbage collector too, and shows the tree.
    private async Task EnsureOwnerReferenceAsync<T>(T obj, EksCluster cluster, CancellationToken ct)
        where T : class, IEksResource
    {
        var references = obj.Metadata.OwnerReferences ?? [];
        if (references.Any(r => r.Uid == cluster.Metadata.Uid)) return;
        var all = references.Append(KubeconfigWriter.OwnerReference(cluster) with { Controller = false }).ToList();
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = obj.Metadata.ResourceVersion,
                ["ownerReferences"] = JsonNode.Parse(k8s.KubernetesJson.Serialize(all)),
            },
        };
        var updated = await objects.MergePatchAsync<T>(ObjectKey.From(obj), patch, ct);
        obj.Metadata.OwnerReferences = all;
        obj.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
    }
}
