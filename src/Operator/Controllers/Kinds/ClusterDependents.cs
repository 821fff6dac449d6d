using System.Text.Json.Nodes;
using EksOperator.Controllers.Kinds.Clusters;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds;

/// <summary>
/// The hook every child of a cluster shares (node groups, Fargate profiles): finding its cluster, owning up to it
/// (an ownerReference), waiting for it to be ACTIVE, and, when it never appears, saying so.
/// </summary>
internal sealed class ClusterDependents(IStore<EksCluster> clusters, IObjectClient objects, Polling polling, TimeProvider time)
{
    /// <summary>
    /// The child's placement on its cluster: the ACTIVE (or UPDATING) cluster; or a hold (WaitingForCluster, and after the
    /// grace period Stalled ClusterNotFound) with, while EKS creates the cluster, enough to prepare the child's role.
    /// For deletion only the cluster's AWS name is needed (recorded in status, else read from the cluster object).
    /// </summary>
    public async Task<Placed> PlaceAsync<T>(T obj, ClusterReference reference, bool deleting, Func<string, (string What, string Noun)> names, CancellationToken ct)
        where T : class, IEksResource
    {
        var ns = obj.Metadata.NamespaceProperty ?? "";
        var found = clusters.TryGet(new ObjectKey(ns, reference.Name), out var cluster);
        if (deleting)
        {
            var recorded = RecordedClusterName(obj) ?? (found ? ClusterKind.AwsName(cluster!) : null);
            return recorded is null ? Placed.Nowhere : new Placed(At(recorded, found ? cluster : null));
        }

        if (!found)
        {
            // A shard sees only the clusters of its shard: a child labelled for another shard than its cluster's never finds it.
            var missing = obj.Metadata.Labels is { } labels && labels.TryGetValue(Labels.Shard, out var shard)
                ? $"EksCluster {reference.Name} not found in namespace {ns} among the objects of shard {shard} (labelled {Labels.Shard}={shard}, as this "
                    + $"{obj.Kind} is); create it, fix spec.clusterRef.name, or give this {obj.Kind} the {Labels.Shard} label of its cluster"
                : $"EksCluster {reference.Name} not found in namespace {ns}; create it or fix spec.clusterRef.name";
            var grace = polling.Options.ClusterNotFoundGracePeriod;
            var age = obj.Metadata.CreationTimestamp is { } created ? time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : TimeSpan.Zero;
            // Before the grace period ends, look again when it does; after it, the cluster's creation wakes the child
            // through the by-cluster index (a spec the user must fix, or a cluster still to be applied).
            return age < grace
                ? new Placed(null, new Outcome.Progress(ConditionReasons.WaitingForCluster, missing, Wait.ForDependency, After: grace - age))
                : new Placed(null, new Outcome.Stall(ConditionReasons.ClusterNotFound, $"{missing} (waited {Format(grace)})", StallCause.Spec));
        }

        await EnsureOwnerReferenceAsync(obj, cluster!, ct);
        var name = ClusterKind.AwsName(cluster!);
        if (cluster!.Metadata.DeletionTimestamp is not null)
        {
            return new Placed(null, new Outcome.Progress(ConditionReasons.WaitingForCluster, $"EksCluster {reference.Name} is being deleted", Wait.ForDependency));
        }

        if (cluster.Status?.AwsStatus is not ("ACTIVE" or "UPDATING") || cluster.Status.Arn is null)
        {
            // While EKS creates the cluster (CreateCluster accepted, not yet ACTIVE), a child may prepare its IAM role.
            var creating = cluster.Status?.Arn is not null && cluster.Status.AwsStatus is "CREATING" or "PENDING";
            if (creating) RecordClusterName(obj, name); // deletion finds the role by it
            return new Placed(null,
                new Outcome.Progress(ConditionReasons.WaitingForCluster, $"waiting for EksCluster {reference.Name} to be ACTIVE (now {cluster.Status?.AwsStatus ?? "not created"})", Wait.ForDependency),
                creating ? At(name, cluster) : null);
        }

        RecordClusterName(obj, name);
        return new Placed(At(name, cluster));

        Placement At(string clusterName, EksCluster? c)
        {
            var (what, noun) = names(clusterName);
            return new Placement(what, noun, clusterName, c);
        }
    }

    /// <summary>What of its cluster a child acts on: identity, generation, AWS status and version, deletion.</summary>
    public string Inputs(IEksResource obj, ClusterReference reference) =>
        clusters.TryGet(new ObjectKey(obj.Metadata.NamespaceProperty ?? "", reference.Name), out var c)
            ? $"{c.Metadata.Uid}/{c.Metadata.Generation}/{c.Status?.AwsStatus}/{c.Status?.Version}/{c.Status?.Arn}/{c.Metadata.DeletionTimestamp is not null}"
            : "none";

    /// <summary>
    /// A child's deletionPolicy: its own when set, else its cluster's (a retained cluster keeps its compute), else Delete.
    /// </summary>
    public bool Retains(IEksResource obj, ClusterReference reference) =>
        (obj.CommonSpec.DeletionPolicy
         ?? (clusters.TryGet(new ObjectKey(obj.Metadata.NamespaceProperty ?? "", reference.Name), out var cluster) ? cluster.Spec.DeletionPolicy : null))
        == DeletionPolicy.Retain;

    private static string? RecordedClusterName(IEksResource obj) => obj.CommonStatus is IClusterChildStatus child ? child.ClusterName : null;

    private static void RecordClusterName(IEksResource obj, string name)
    {
        if (obj.EnsureStatus() is IClusterChildStatus child) child.ClusterName = name;
    }

    private static string Format(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} min" : $"{span.TotalSeconds:0} s";

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
