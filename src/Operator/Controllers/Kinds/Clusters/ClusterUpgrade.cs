using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Versions;
using EksOperator.Controllers.Kinds.Addons;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using AwsCluster = EksOperator.Aws.Eks.Cluster;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>
/// The cluster's upgrade hook: one Kubernetes minor per step, refused when it would be a downgrade or reach a version
/// EKS does not offer. Each step runs Preflight (EKS insights, add-ons, skew) → ControlPlane → Addons (those that
/// follow a version rule, core add-ons first) → NodeGroups (those that follow the cluster), each followed to its end.
/// </summary>
internal sealed class ClusterUpgrade(
    IStore<ManagedNodeGroup> nodeGroups, IStore<Addon> addonStore, IEksClusters clusters, IKubernetesVersions versions, UpgradePreflight preflight, IEventRecorder events)
{
    /// <summary>The add-ons EKS upgrades first (its upgrade guide's order): networking, DNS and the proxy before the rest.</summary>
    private static readonly string[] CoreAddons = ["vpc-cni", "kube-proxy", "coredns"];

    /// <summary>The upgrade's next step as an outcome, or null when the control plane runs spec.version and nothing waits.</summary>
    public async Task<Outcome?> NextStepAsync(EksCluster cluster, string name, AwsCluster observed, CancellationToken ct)
    {
        var status = cluster.EnsureStatus();
        var target = cluster.Spec.Version;
        var actual = observed.Version!;
        var key = ClusterIndex.KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name);
        var groups = nodeGroups.ByIndex(ClusterIndex.Name, key).Where(g => g.Metadata.DeletionTimestamp is null).ToList();
        var clusterAddons = addonStore.ByIndex(ClusterIndex.Name, key).Where(a => a.Metadata.DeletionTimestamp is null).ToList();
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
            if (Followers(status.Upgrade, clusterAddons, groups, actual, follow, beforeNext: false) is { } waiting) return waiting;
            await events.RecordAsync(cluster, EventType.Normal, "UpgradeComplete", $"cluster {name}, its add-ons and its node groups run {actual}", ct);
            status.Upgrade = null;
            return null;
        }

        // Checked before the first step (and again before each, from the cache): a typo must not start an upgrade that
        // EKS refuses half way.
        if (await UnofferedAsync(target, actual, ct) is { } unoffered) return new Outcome.Stall(ConditionReasons.InvalidSpec, unoffered, StallCause.Spec);

        status.Upgrade ??= new UpgradeProgress { From = actual };
        status.Upgrade.To = target;
        if (Followers(status.Upgrade, clusterAddons, groups, actual, follow, beforeNext: true) is { } followers) return followers;

        var next = Minor.Next(actual);
        var checkedStep = await preflight.CheckAsync(cluster, name, actual, next, groups, clusterAddons, follow, ct);
        if (checkedStep.Hold is { } hold) return hold;
        foreach (var warning in checkedStep.Warnings)
        {
            await events.RecordAsync(cluster, EventType.Warning, "UpgradeInsight", $"{next}: {UpgradePreflight.Describe(warning)}", ct);
        }

        foreach (var answered in checkedStep.Answered)
        {
            await events.RecordAsync(cluster, EventType.Normal, "UpgradeInsightAnswered",
                $"{next}: EKS reports {string.Join(", ", answered.Addons)} incompatible with {next}; the step's Addons phase moves them right after the control plane, so UpdateClusterVersion is sent with force", ct);
        }

        if (checkedStep.Force && checkedStep.Answered.Count == 0)
        {
            await events.RecordAsync(cluster, EventType.Warning, "UpgradeForced", $"EKS's upgrade insights for {next} are accepted by {Annotations.ForceUpgrade}; UpdateClusterVersion is sent with force", ct);
        }

        var update = await clusters.UpgradeAsync(name, next, checkedStep.Force, ct);
        UpdateTracker.Started(cluster, update);
        status.Upgrade.Step = next;
        status.Upgrade.Phase = UpgradePhase.ControlPlane;
        status.Upgrade.Pending = null;
        return new Outcome.Progress(ConditionReasons.UpgradingControlPlane, UpdateText.ControlPlaneStep(actual, next, target),
            Event: new StepEvent("UpgradeStep", $"control plane {actual} -> {next} (target {target})"));
    }

    /// <summary>
    /// A control plane found past the minor the status last recorded, with no upgrade recorded: a step whose
    /// UpdateClusterVersion went through but whose status write did not (the operator died in between, before or just
    /// after EKS answered). It is recorded as a step whose control plane is done, so that the step's Addons and
    /// NodeGroups phases still run in their order (and the next step waits for them) instead of the node groups and the
    /// add-ons all moving at once, as after no upgrade at all. Called before status.version takes the observed version.
    /// </summary>
    internal static void NoticeUnrecordedStep(EksClusterStatus status, string? observed)
    {
        if (status.Upgrade is not null || status.Version is not { } recorded || observed is null || Minor.Compare(observed, recorded) <= 0) return;
        status.Upgrade = new UpgradeProgress { From = recorded, To = observed, Step = observed, Phase = UpgradePhase.ControlPlane };
    }

    /// <summary>
    /// The followers of the step that brought the control plane to <paramref name="actual"/>: add-ons that follow a
    /// version rule, then node groups that follow the cluster. Null when none waits.
    /// </summary>
    private static Outcome.Progress? Followers(UpgradeProgress progress, IReadOnlyList<Addon> clusterAddons, IReadOnlyList<ManagedNodeGroup> groups, string actual, bool follow, bool beforeNext)
    {
        var addonsBehind = AddonsBehind(clusterAddons, actual);
        if (addonsBehind.Count > 0)
        {
            progress.Phase = UpgradePhase.Addons;
            progress.Step = actual;
            progress.Pending = [.. addonsBehind];
            return new Outcome.Progress(ConditionReasons.UpgradingAddons, $"Upgrading add-ons to {actual}: waiting for {string.Join(", ", addonsBehind)}", Wait.ForDependency);
        }

        // Every node group must run the control plane's minor before EKS accepts the next one; pinned ones are the preflight's.
        var lagging = follow ? Lagging(groups.Where(g => g.Spec.Version is null), actual, beforeNext) : [];
        if (lagging.Count > 0)
        {
            progress.Phase = UpgradePhase.NodeGroups;
            progress.Step = actual;
            progress.Pending = [.. lagging];
            var when = beforeNext ? " before the next control-plane step" : "";
            return new Outcome.Progress(ConditionReasons.UpgradingNodeGroups, $"Upgrading node groups to {actual}{when}: waiting for {string.Join(", ", lagging)}");
        }

        progress.Pending = null;
        return null;
    }

    /// <summary>
    /// Add-ons that follow default or latest and have not yet reached what their rule picks for <paramref name="actual"/>
    /// (their status names the minor their target was chosen for), core add-ons first. Pinned add-ons stay where they are.
    /// </summary>
    internal static List<string> AddonsBehind(IEnumerable<Addon> clusterAddons, string actual) =>
        [.. clusterAddons
            .Where(a => a.Spec.Version is null or AddonVersionRule.Default or AddonVersionRule.Latest)
            .Where(a => !(a.Status is { } s && s.KubernetesVersion == actual && s.Version == s.TargetVersion && IsReady(a)))
            .OrderBy(a => CoreRank(AddonKind.AwsName(a))).ThenBy(a => a.Metadata.Name, StringComparer.Ordinal)
            .Select(a => a.Metadata.Name)];

    /// <summary>Whether a non-core add-on waits for the core add-ons of its cluster during the Addons phase of an upgrade.</summary>
    internal static IReadOnlyList<string> CoreAddonsFirst(Addon addon, EksCluster cluster, IEnumerable<Addon> siblings)
    {
        if (cluster.Status?.Upgrade is not { Phase: UpgradePhase.Addons or UpgradePhase.ControlPlane } || CoreRank(AddonKind.AwsName(addon)) < CoreAddons.Length) return [];
        var version = cluster.Status.Version!;
        return AddonsBehind(siblings.Where(s => s.Metadata.Uid != addon.Metadata.Uid && CoreRank(AddonKind.AwsName(s)) < CoreAddons.Length), version);
    }

    private static int CoreRank(string addonName) => Array.IndexOf(CoreAddons, addonName) is var i and >= 0 ? i : CoreAddons.Length;

    private static bool IsReady(IEksResource obj) =>
        obj.CommonStatus is { } s && s.ObservedGeneration == obj.Metadata.Generation
        && s.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True") == true;

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

    /// <summary>
    /// Node groups below <paramref name="version"/>. At the end of the upgrade one not yet reporting a version counts as
    /// behind; before the next step only a reported older version does (as the skew rule of EKS reads it).
    /// </summary>
    private static List<string> Lagging(IEnumerable<ManagedNodeGroup> groups, string version, bool beforeNext) =>
        [.. groups.Where(g => g.Status?.Version is { } v ? Minor.Compare(v, version) < 0 : !beforeNext).Select(g => g.Metadata.Name)];
}
