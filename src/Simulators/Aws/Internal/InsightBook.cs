using System.Security.Cryptography;
using System.Text;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// A cluster's insights as EKS shows them: the computed ones with the injected ones laid over them, each with a
/// stable id and its refresh and transition times; and the on-demand refresh's lifecycle. Call under the world's lock.
/// </summary>
internal static class InsightBook
{
    public const string RefreshInProgress = "IN_PROGRESS";
    public const string RefreshCompleted = "COMPLETED";

    /// <summary>Sorted by Kubernetes version, then name. Evaluated on each call (see the README on what refresh changes).</summary>
    public static IReadOnlyList<InsightView> Current(World world, Cluster c)
    {
        Settle(world, c);
        if (c.Status == "CREATING")
        {
            return [];
        }

        var state = c.Insights;
        var refreshed = LastRefresh(c);
        var byKey = InsightRules.Compute(world, c).ToDictionary(f => (f.Name, f.KubernetesVersion));
        var injectedAt = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var injected in state.Injected)
        {
            var key = (injected.Name, injected.KubernetesVersion);
            var template = byKey.GetValueOrDefault(key)
                ?? (injected.Name == InsightRules.DeprecatedApis(injected.KubernetesVersion) ? InsightRules.DeprecatedApiTemplate(injected.KubernetesVersion) : null);
            byKey[key] = new InsightFinding
            {
                Name = injected.Name,
                Category = injected.Category,
                KubernetesVersion = injected.KubernetesVersion,
                Description = injected.Description ?? template?.Description ?? string.Empty,
                Status = injected.Status,
                Reason = injected.Reason,
                Recommendation = injected.Recommendation ?? template?.Recommendation ?? string.Empty,
                AdditionalInfo = template?.AdditionalInfo ?? new Dictionary<string, string>(StringComparer.Ordinal),
                Resources = injected.Resources,
                Deprecations = injected.Deprecations,
            };
            injectedAt[key] = injected.InjectedAt;
        }

        var views = new List<InsightView>();
        foreach (var ((name, version), finding) in byKey.OrderBy(kv => kv.Key.KubernetesVersion, VersionOrder.Instance).ThenBy(kv => kv.Key.Name, StringComparer.Ordinal))
        {
            if (!state.Ids.TryGetValue((name, version), out var id))
            {
                id = IdOf(c, name, version);
                state.Ids[(name, version)] = id;
            }

            // A status seen for the first time dates from the refresh that produced it (or the injection); a change from then on.
            var since = state.Transitions.TryGetValue(id, out var seen) && seen.Status == finding.Status
                ? seen.Since
                : seen is null ? injectedAt.GetValueOrDefault((name, version), refreshed) : world.Now;
            state.Transitions[id] = new InsightTransition(finding.Status, since);
            views.Add(new InsightView(id, finding, refreshed, since));
        }

        return views;
    }

    /// <summary>Evaluates every cluster's insights, recording status changes (see <see cref="Current"/>).</summary>
    public static void ObserveAll(World world)
    {
        foreach (var c in world.Clusters.Values)
        {
            _ = Current(world, c);
        }
    }

    /// <summary>When the insights were last refreshed: the last completed refresh, else when the cluster turned ACTIVE.</summary>
    public static DateTimeOffset LastRefresh(Cluster c) => c.Insights.RefreshedAt ?? c.CreatedAt;

    /// <summary>Starts a refresh unless one is under way; either way the refresh under way is returned.</summary>
    public static void StartRefresh(World world, Cluster c)
    {
        Settle(world, c);
        if (c.Insights.RefreshEndsAt is null)
        {
            var now = world.Now;
            c.Insights.RefreshStartedAt = now;
            c.Insights.RefreshEndsAt = world.Schedule(now + world.Scaled(world.Options.Durations.InsightsRefresh));
        }
    }

    /// <summary>(status, startedAt, endedAt) of the last refresh; the one at ACTIVE counts, starting and ending then.</summary>
    public static (string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt) Refresh(World world, Cluster c)
    {
        Settle(world, c);
        var state = c.Insights;
        return state.RefreshEndsAt is not null
            ? (RefreshInProgress, state.RefreshStartedAt!.Value, null)
            : (RefreshCompleted, state.RefreshStartedAt ?? LastRefresh(c), LastRefresh(c));
    }

    /// <summary>Completes a refresh whose time has come: from then on every insight was last refreshed when it ended.</summary>
    public static void Settle(World world, Cluster c)
    {
        var state = c.Insights;
        if (state.RefreshEndsAt is { } endsAt && world.Now >= endsAt)
        {
            state.RefreshedAt = endsAt;
            state.RefreshEndsAt = null;
        }
    }

    /// <summary>Stable per cluster, name and version, and new for a new cluster of the same name (its id differs).</summary>
    public static string IdOf(Cluster c, string name, string version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{c.Arn}\n{c.Id}\n{name}\n{version}"));
        // An RFC 9562 version-8 (custom) UUID: the variant and version bits set, the rest from the hash.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>1.9 before 1.10.</summary>
    private sealed class VersionOrder : IComparer<string>
    {
        public static readonly VersionOrder Instance = new();

        public int Compare(string? x, string? y) =>
            System.Version.TryParse(x, out var a) && System.Version.TryParse(y, out var b) ? a.CompareTo(b) : string.CompareOrdinal(x, y);
    }
}
