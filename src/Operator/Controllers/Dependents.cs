using System.Text.Json.Nodes;
using EksOperator.Aws.Mapping;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers;

/// <summary>
/// The cluster a node group or profile depends on, as far as it can be used: <see cref="Active"/> when ACTIVE (or
/// UPDATING); otherwise null, with the condition set and, when the pass should look again by itself (the cluster does
/// not exist yet, so no change of it will wake the object), <see cref="Requeue"/>.
/// </summary>
internal sealed record ClusterLookup(EksCluster? Active, ReconcileResult? Requeue = null);

/// <summary>What node groups and profiles share: finding their cluster, owning up to it, and waiting for it.</summary>
internal sealed class Dependents(IStore<EksCluster> clusters, IObjectClient objects, StatusConditions conditions, Polling polling, TimeProvider time)
{
    /// <summary>The cluster when it is ACTIVE (or UPDATING); otherwise why not, with the WaitingForCluster (or, after the grace period, Stalled ClusterNotFound) condition set.</summary>
    public async Task<ClusterLookup> ActiveClusterAsync<T>(T obj, ClusterReference reference, CancellationToken ct)
        where T : class, IEksResource
    {
        var ns = obj.Metadata.NamespaceProperty ?? "";
        if (!clusters.TryGet(new ObjectKey(ns, reference.Name), out var cluster))
        {
            var missing = $"EksCluster {reference.Name} not found in namespace {ns}; create it or fix spec.clusterRef.name";
            var grace = polling.Options.ClusterNotFoundGracePeriod;
            var age = obj.Metadata.CreationTimestamp is { } created ? time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : TimeSpan.Zero;
            if (age < grace)
            {
                conditions.Progressing(obj, ConditionReasons.WaitingForCluster, missing);
                return new ClusterLookup(null, ReconcileResult.RequeueAfter(grace - age));
            }

            // The cluster's creation wakes this object through the by-cluster index; nothing to poll for.
            conditions.Stalled(obj, ConditionReasons.ClusterNotFound, $"{missing} (waited {Format(grace)})");
            return new ClusterLookup(null, ReconcileResult.Done);
        }

        await EnsureOwnerReferenceAsync(obj, cluster, ct);
        if (cluster.Metadata.DeletionTimestamp is not null)
        {
            conditions.Progressing(obj, ConditionReasons.WaitingForCluster, $"EksCluster {reference.Name} is being deleted");
            return new ClusterLookup(null);
        }

        if (cluster.Status?.AwsStatus is not ("ACTIVE" or "UPDATING") || cluster.Status.Arn is null)
        {
            conditions.Progressing(obj, ConditionReasons.WaitingForCluster, $"waiting for EksCluster {reference.Name} to be ACTIVE (now {cluster.Status?.AwsStatus ?? "not created"})");
            return new ClusterLookup(null);
        }

        return new ClusterLookup(cluster);
    }

    /// <summary>
    /// A child's deletionPolicy: its own when set, else its cluster's (a retained cluster keeps its compute), else Delete.
    /// </summary>
    public bool Retains(IEksResource obj, ClusterReference reference) =>
        (obj.CommonSpec.DeletionPolicy
         ?? (clusters.TryGet(new ObjectKey(obj.Metadata.NamespaceProperty ?? "", reference.Name), out var cluster) ? cluster.Spec.DeletionPolicy : null))
        == DeletionPolicy.Retain;

    private static string Format(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0} s";

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
