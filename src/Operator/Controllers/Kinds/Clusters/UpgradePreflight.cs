using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Versions;
using EksOperator.Controllers.Kinds.Addons;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>
/// What the preflight of one control-plane step decided: go (with force or not), wait, or stop. <c>Answered</c> are
/// ERROR insights about add-ons that the step's Addons phase moves (why force is sent without the annotation).
/// </summary>
internal sealed record PreflightResult(Outcome? Hold, bool Force, IReadOnlyList<UpgradeFinding> Warnings, IReadOnlyList<UpgradeFinding> Answered);

/// <summary>
/// The preflight of a control-plane step from N to N+1, before any AWS mutation: EKS's upgrade insights for N+1
/// (refreshed first when older than a day), add-ons without a release for N+1, and node groups that the step would
/// leave outside the version-skew policy. Every blocker is named in one Stalled message; EKS's ERROR insights (and
/// only those) can be accepted for one step with the force-upgrade annotation.
/// </summary>
internal sealed class UpgradePreflight(IEksUpgradeReadiness readiness, IEksAddons addons, TimeProvider time)
{
    /// <summary>EKS refreshes insights daily; older ones are refreshed before a step relies on them.</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);

    public async Task<PreflightResult> CheckAsync(
        EksCluster cluster, string name, string actual, string next,
        IReadOnlyList<ManagedNodeGroup> groups, IReadOnlyList<Addon> clusterAddons, bool follow, CancellationToken ct)
    {
        var progress = cluster.EnsureStatus().Upgrade!;
        progress.Phase = UpgradePhase.Preflight;
        progress.Step = next;
        progress.Pending = null;

        var insights = await readiness.InsightsAsync(name, next, ct);
        if (await RefreshAsync(name, insights, ct) is { } refreshing)
        {
            progress.Pending = ["the EKS upgrade insights refresh"];
            return new PreflightResult(refreshing, false, [], []);
        }

        progress.Insights = insights.Findings.Count > 0
            ? [.. insights.Findings.Select(f => new UpgradeInsightStatus { Name = f.Name, Status = f.Status, Reason = f.Reason })]
            : null;
        var forcedByUser = cluster.Metadata.Annotations?.TryGetValue(Annotations.ForceUpgrade, out var forced) == true && forced == next;
        var blockers = new List<string>();
        var (addonBlockers, movable) = await AddonsAsync(clusterAddons, next, ct);
        // EKS flags add-ons whose version does not fit N+1; those the Addons phase moves right after the control plane
        // are answered by this upgrade itself, so that insight does not block (and force is sent for it).
        var answered = insights.Findings.Where(f => f.Blocks && f.Name == UpgradeFinding.AddonCompatibility && f.Addons.Count > 0
            && f.Addons.All(a => movable.Contains(a))).ToList();
        var errors = insights.Findings.Where(f => f.Blocks).Except(answered).ToList();
        if (!forcedByUser) blockers.AddRange(errors.Select(Describe));
        blockers.AddRange(SkewBlockers(groups, actual, follow));
        blockers.AddRange(addonBlockers);
        if (blockers.Count == 0)
        {
            var force = (forcedByUser && errors.Count > 0) || answered.Count > 0;
            return new PreflightResult(null, force, [.. insights.Findings.Where(f => !f.Blocks)], answered);
        }

        var numbered = string.Join("; ", blockers.Select((b, i) => $"({i + 1}) {b}"));
        var hint = errors.Count > 0 && !forcedByUser
            ? $". To accept EKS's insights for this one step, annotate the EksCluster {Annotations.ForceUpgrade}: \"{next}\""
            : "";
        return new PreflightResult(
            new Outcome.Stall(ConditionReasons.UpgradeBlocked, $"cannot upgrade from {actual} to {next}: {numbered}{hint}", StallCause.World),
            false, [], []);
    }

    /// <summary>A wait while EKS refreshes insights older than a day; null to go on with what EKS reports.</summary>
    private async Task<Outcome?> RefreshAsync(string name, UpgradeInsights insights, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (insights.LastRefresh is { } at && now - at <= StaleAfter) return null;
        var refresh = await readiness.RefreshAsync(name, ct);
        if (refresh is { InProgress: true }) return new Outcome.Progress(ConditionReasons.UpgradePreflight, $"EKS is refreshing the upgrade insights of cluster {name}", Wait.Briefly);
        // A refresh asked for lately that left the insights as they were (or failed): go on with them, never loop.
        if (refresh is { StartedAt: { } started } && now - started <= StaleAfter) return null;
        await readiness.StartRefreshAsync(name, ct);
        return new Outcome.Progress(ConditionReasons.UpgradePreflight, $"Asked EKS to refresh the upgrade insights of cluster {name} (last refreshed {(insights.LastRefresh is { } t ? t.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never")})",
            Wait.Briefly, new StepEvent("InsightsRefresh", $"upgrade insights of {name} were older than a day; refresh started"));
    }

    internal static string Describe(UpgradeFinding f)
    {
        var text = $"EKS insight \"{f.Name}\" is {f.Status}: {f.Reason.TrimEnd('.')}";
        if (f.Recommendation is { Length: > 0 } r) text += $"; recommendation: {r.TrimEnd('.')}";
        if (f.Resources.Count > 0) text += $"; resources: {string.Join(", ", f.Resources.Take(10))}{(f.Resources.Count > 10 ? $" and {f.Resources.Count - 10} more" : "")}";
        return text;
    }

    /// <summary>Node groups held below the control plane's minor: EKS requires every node group at it before the next step.</summary>
    private static IEnumerable<string> SkewBlockers(IReadOnlyList<ManagedNodeGroup> groups, string actual, bool follow)
    {
        var pinned = groups.Where(g => g.Status?.Version is { } v && Minor.Compare(v, actual) < 0 && (g.Spec.Version is not null || !follow)).ToList();
        if (pinned.Count == 0) yield break;
        var names = string.Join(", ", pinned.Select(g => $"{g.Metadata.Name} ({g.Status!.Version})"));
        yield return $"node group(s) {names} are held below the control plane's {actual} (EKS requires every node group at the current minor before the next, and nodes may trail by at most 3 minors); raise or remove their spec.version";
    }

    /// <summary>
    /// Add-ons whose version rule finds nothing for the next minor (pinned to a version without a release for it, or
    /// none at all), and the EKS names of those the Addons phase will move (a default or latest rule with a release).
    /// </summary>
    private async Task<(List<string> Blockers, HashSet<string> Movable)> AddonsAsync(IReadOnlyList<Addon> clusterAddons, string next, CancellationToken ct)
    {
        var blockers = new List<string>();
        var movable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var addon in clusterAddons.OrderBy(a => a.Metadata.Name, StringComparer.Ordinal))
        {
            var awsName = AddonKind.AwsName(addon);
            var choice = await addons.ChooseVersionAsync(awsName, next, addon.Spec.Version, ct);
            if (choice.Refusal is null)
            {
                if (choice.ResolvedFrom != AddonVersionRule.Pinned) movable.Add(awsName);
                continue;
            }

            blockers.Add(choice.ResolvedFrom == AddonVersionRule.Pinned
                ? $"Addon {addon.Metadata.Name} pins {awsName} {addon.Spec.Version}, which has no release for Kubernetes {next} (compatible: {(choice.Compatible.Count > 0 ? string.Join(", ", choice.Compatible) : "none")}); set its spec.version to one of them, or to default or latest"
                : $"Addon {addon.Metadata.Name}: EKS offers no version of {awsName} for Kubernetes {next}; delete the Addon or wait for a release");
        }

        return (blockers, movable);
    }
}
