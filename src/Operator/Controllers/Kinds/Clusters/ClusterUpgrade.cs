using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Versions;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using AwsCluster = EksOperator.Aws.Eks.Cluster;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>
/// The cluster's upgrade hook: one Kubernetes minor per step, refused when it would be a downgrade or reach a version
/// EKS does not offer, and between control-plane steps a wait for the node groups that follow the cluster.
/// </summary>
internal sealed class ClusterUpgrade(IStore<ManagedNodeGroup> nodeGroups, IEksClusters clusters, IKubernetesVersions versions, IEventRecorder events)
{
    /// <summary>The upgrade's next step as an outcome, or null when the control plane runs spec.version and nothing waits.</summary>
    public async Task<Outcome?> NextStepAsync(EksCluster cluster, string name, AwsCluster observed, CancellationToken ct)
    {
        var status = cluster.EnsureStatus();
        var target = cluster.Spec.Version;
        var actual = observed.Version!;
        var key = ClusterIndex.KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name);
        var groups = nodeGroups.ByIndex(ClusterIndex.Name, key).Where(g => g.Metadata.DeletionTimestamp is null).ToList();
        var follow = cluster.Spec.NodeGroupsFollowVersion != false;

        if (target is not null && Minor.Compare(target, actual) < 0)
        {
            // Admission cannot see status.version, so lowering the spec is allowed there (a typo can be undone); a real
            // downgrade is refused here, before anything is sent.
            return new Outcome.Stall(ConditionReasons.InvalidSpec,
                $"spec.version {target}: EKS cannot downgrade: the cluster runs {actual}; set spec.version to {actual} or higher", StallCause.Spec);
        }

        if (target is null || Minor.Compare(target, actual) == 0)
        {
            if (status.Upgrade is null) return null;
            // The last control-plane step is done; wait for the followers of that step.
            var lagging = follow ? Lagging(groups.Where(g => g.Spec.Version is null), actual) : [];
            if (lagging.Count > 0)
            {
                status.Upgrade.Phase = UpgradePhase.NodeGroups;
                status.Upgrade.Step = actual;
                return new Outcome.Progress(ConditionReasons.UpgradingNodeGroups, $"Upgrading node groups to {actual}: waiting for {string.Join(", ", lagging)}");
            }

            await events.RecordAsync(cluster, EventType.Normal, "UpgradeComplete", $"cluster {name} and its node groups run {actual}", ct);
            status.Upgrade = null;
            return null;
        }

        // Checked before the first step (and again before each, from the cache): a typo must not start an upgrade that
        // EKS refuses half way.
        if (await UnofferedAsync(target, actual, ct) is { } unoffered) return new Outcome.Stall(ConditionReasons.InvalidSpec, unoffered, StallCause.Spec);

        status.Upgrade ??= new UpgradeProgress { From = actual };
        status.Upgrade.To = target;

        // Every node group must run the control plane's minor before EKS accepts the next one.
        var behind = groups.Where(g => g.Status?.Version is { } v && Minor.Compare(v, actual) < 0).ToList();
        var pinned = behind.Where(g => g.Spec.Version is not null || !follow).ToList();
        if (pinned.Count > 0)
        {
            // A node group's own object holds it back: the fix is in another object, so this one is looked at again.
            var names = string.Join(", ", pinned.Select(g => $"{g.Metadata.Name} ({g.Status!.Version})"));
            return new Outcome.Stall(ConditionReasons.InvalidSpec,
                $"cannot upgrade to {Minor.Next(actual)}: node group(s) {names} are held below the control plane's {actual} (EKS requires every node group at the current minor, and nodes may trail by at most 3 minors); raise or remove their spec.version",
                StallCause.World);
        }

        if (behind.Count > 0)
        {
            status.Upgrade.Phase = UpgradePhase.NodeGroups;
            status.Upgrade.Step = actual;
            return new Outcome.Progress(ConditionReasons.UpgradingNodeGroups,
                $"Upgrading node groups to {actual} before the next control-plane step: waiting for {string.Join(", ", behind.Select(g => g.Metadata.Name))}");
        }

        var next = Minor.Next(actual);
        var update = await clusters.UpgradeAsync(name, next, ct);
        UpdateTracker.Started(cluster, update);
        status.Upgrade.Step = next;
        status.Upgrade.Phase = UpgradePhase.ControlPlane;
        return new Outcome.Progress(ConditionReasons.UpgradingControlPlane, UpdateText.ControlPlaneStep(actual, next, target),
            Event: new StepEvent("UpgradeStep", $"control plane {actual} -> {next} (target {target})"));
    }

    /// <summary>
    /// Why <paramref name="target"/> cannot be reached (EKS does not offer it, or a minor on the way to it from
    /// <paramref name="current"/>), or null. Null too when EKS cannot say which versions it offers.
    /// </summary>
    public async Task<string?> UnofferedAsync(string target, string? current, CancellationToken ct)
    {
        if (await versions.OfferedAsync(ct) is not { } offered) return null;
        var steps = current is null ? [target] : Enumerable.Range(Minor.Of(current) + 1, Math.Max(0, Minor.Of(target) - Minor.Of(current))).Select(m => $"1.{m}").ToList();
        if (steps.FirstOrDefault(v => !offered.Offers(v)) is not { } missing) return null;
        var via = missing == target ? "" : $" (on the way from {current} to {target})";
        return $"spec.version {target}: EKS does not offer Kubernetes {missing}{via}; it offers {offered.Describe()}; set spec.version to one of them";
    }

    private static List<string> Lagging(IEnumerable<ManagedNodeGroup> groups, string version) =>
        [.. groups.Where(g => g.Status?.Version is not { } v || Minor.Compare(v, version) < 0).Select(g => g.Metadata.Name)];
}
