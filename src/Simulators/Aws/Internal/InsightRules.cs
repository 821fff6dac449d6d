using System.Globalization;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// The upgrade insights EKS computes for a cluster's next minor, from the state the simulator holds (reference §4.2).
/// Names, descriptions and PASSING reasons are EKS's; the WARNING and ERROR reasons and the recommendations are made up.
/// </summary>
internal static class InsightRules
{
    public const string AddonCompatibility = "EKS add-on version compatibility";
    public const string KubeletSkew = "Kubelet version skew";
    public const string ClusterHealth = "Cluster health issues";
    public const string KubeProxySkew = "kube-proxy version skew";

    /// <summary>Kubernetes' skew policy: a kubelet may trail the API server by at most three minors.</summary>
    private const int MaxKubeletSkew = 3;

    private const string UpdateClusterDoc = "https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html";

    public static string DeprecatedApis(string version) => $"Deprecated APIs removed in Kubernetes v{version}";

    /// <summary>The next minor of a version (1.33 → 1.34).</summary>
    public static string Next(string version) => $"{Major(version)}.{Minor(version) + 1}";

    /// <summary>
    /// The computed insights for the cluster's next minor; none when the simulator offers no next minor, since there is
    /// nothing to upgrade to (and every add-on would look incompatible with a version the catalogue does not know).
    /// </summary>
    public static IReadOnlyList<InsightFinding> Compute(World world, Cluster c)
    {
        var next = Next(c.Version);
        if (!world.Options.SupportedVersions.Contains(next, StringComparer.Ordinal))
        {
            return [];
        }

        return [Addons(world, c, next), Kubelet(c, next), Health(c, next), KubeProxy(c, next), DeprecatedApiTemplate(next)];
    }

    /// <summary>The PASSING deprecated-API insight; also what an injected one with the same name borrows its texts from.</summary>
    public static InsightFinding DeprecatedApiTemplate(string version) => new()
    {
        Name = DeprecatedApis(version),
        KubernetesVersion = version,
        Description = $"Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v{version}. Upgrading your cluster before migrating to the updated APIs supported by v{version} could cause application impact.",
        Status = InsightValues.Passing,
        Reason = "No deprecated API usage detected within the last 30 days.",
        Recommendation = $"Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v{version}.",
        AdditionalInfo = Links(("EKS update cluster documentation", UpdateClusterDoc),
            ($"Kubernetes v{version} deprecation guide", $"https://kubernetes.io/docs/reference/using-api/deprecation-guide/#v{version.Replace('.', '-')}")),
    };

    // kube-proxy is left out: each of its versions fits one minor only, and whether it fits after an upgrade is what
    // the kube-proxy skew insight judges (kube-proxy may trail the control plane). Otherwise every cluster with the
    // kube-proxy add-on would be blocked from every upgrade.
    private static InsightFinding Addons(World world, Cluster c, string next)
    {
        var offending = new List<(Addon Addon, AddonDefinition Definition)>();
        foreach (var addon in c.Addons.Values.Where(a => a.Status != "DELETING" && a.Name != "kube-proxy"))
        {
            if (world.Addons.Find(addon.Name) is { } definition && definition.Find(addon.Version)?.CompatibleWith(next) != true)
            {
                offending.Add((addon, definition));
            }
        }

        const string passing = "All installed EKS add-on versions are compatible with next Kubernetes version.";
        var reason = offending.Count == 0 ? passing : "One or more installed EKS add-on versions are not compatible with next Kubernetes version.";
        return new InsightFinding
        {
            Name = AddonCompatibility,
            KubernetesVersion = next,
            Description = "Checks version of installed EKS add-ons to ensure they are compatible with the next version of Kubernetes. ",
            Status = offending.Count == 0 ? InsightValues.Passing : InsightValues.Error,
            Reason = reason,
            Recommendation = $"Upgrade your EKS add-ons to versions that are compatible with Kubernetes v{next} before upgrading the cluster.",
            AdditionalInfo = Links(("Amazon EKS add-ons", "https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html"),
                ("Updating an Amazon EKS add-on", "https://docs.aws.amazon.com/eks/latest/userguide/updating-an-add-on.html")),
            Resources = [.. offending.Select(o => new InsightResource(InsightValues.Error, $"Add-on version {o.Addon.Version} is not compatible with Kubernetes v{next}.", null, o.Addon.Arn))],
            AddonCompatibility = [.. offending.Select(o => new InsightAddonCompatibility(o.Addon.Name,
                [.. o.Definition.Versions.Where(v => v.CompatibleWith(next)).Select(v => v.Version)]))],
        };
    }

    private static InsightFinding Kubelet(Cluster c, string next)
    {
        var behind = c.Nodegroups.Values.Where(n => n.Status != "DELETING" && Minor(n.Version) < Minor(c.Version)).ToList();
        var tooFar = behind.Where(n => Minor(next) - Minor(n.Version) > MaxKubeletSkew).ToList();
        var (status, reason) = (behind.Count, tooFar.Count) switch
        {
            (0, _) => (InsightValues.Passing, "Node kubelet versions match the cluster control plane version."),
            (_, 0) => (InsightValues.Warning, "Node kubelet versions are behind the cluster control plane version; they stay within the supported version skew after the upgrade."),
            _ => (InsightValues.Error, $"Upgrading to Kubernetes v{next} would put node kubelet versions more than {MaxKubeletSkew} minor versions behind the cluster control plane."),
        };
        return new InsightFinding
        {
            Name = KubeletSkew,
            KubernetesVersion = next,
            Description = "Checks for kubelet versions of worker nodes in the cluster to see if upgrade would cause noncompliance with supported Kubernetes kubelet version skew policy.",
            Status = status,
            Reason = reason,
            Recommendation = "Upgrade your worker nodes to match the Kubernetes version of your cluster control plane.",
            AdditionalInfo = Links(("Kubelet version skew policy", "https://kubernetes.io/releases/version-skew-policy/#kubelet"),
                ("Updating a managed node group", "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html")),
            Resources = [.. behind.Select(n => tooFar.Contains(n)
                ? new InsightResource(InsightValues.Error, $"Kubelet version {n.Version} would be more than {MaxKubeletSkew} minor versions behind Kubernetes v{next}.", null, n.Arn)
                : new InsightResource(InsightValues.Warning, $"Kubelet version {n.Version} is behind the cluster control plane version {c.Version}.", null, n.Arn))],
        };
    }

    private static InsightFinding Health(Cluster c, string next) => new()
    {
        Name = ClusterHealth,
        KubernetesVersion = next,
        Description = "Checks for any cluster health issues that prevent successful upgrade to the next Kubernetes version on EKS.",
        Status = c.HealthIssues.Count == 0 ? InsightValues.Passing : InsightValues.Error,
        Reason = c.HealthIssues.Count == 0 ? "No cluster health issues detected." : $"Cluster health issues detected: {string.Join(", ", c.HealthIssues.Select(i => i.Code).Distinct())}.",
        Recommendation = "Resolve the cluster health issues reported by DescribeCluster before upgrading.",
        AdditionalInfo = Links(("EKS update cluster documentation", UpdateClusterDoc)),
        Resources = [.. c.HealthIssues.Select(i => new InsightResource(InsightValues.Error, $"{i.Code}: {i.Message}", null, c.Arn))],
    };

    private static InsightFinding KubeProxy(Cluster c, string next)
    {
        var addon = c.Addons.GetValueOrDefault("kube-proxy");
        var behind = addon is not null && addon.Status != "DELETING" && AddonMinor(addon.Version) is { } minor && minor < Minor(c.Version);
        return new InsightFinding
        {
            Name = KubeProxySkew,
            KubernetesVersion = next,
            Description = "Checks version of kube-proxy in cluster to see if upgrade would cause noncompliance with supported Kubernetes kube-proxy version skew policy.",
            Status = behind ? InsightValues.Warning : InsightValues.Passing,
            Reason = behind ? "kube-proxy version is behind the cluster control plane version." : "kube-proxy versions match the cluster control plane version.",
            Recommendation = "Upgrade kube-proxy to the version for the Kubernetes version of your cluster control plane.",
            AdditionalInfo = Links(("Kube-proxy version skew policy", "https://kubernetes.io/releases/version-skew-policy/#kube-proxy"),
                ("Updating the kube-proxy add-on", "https://docs.aws.amazon.com/eks/latest/userguide/managing-kube-proxy.html")),
            Resources = behind ? [new InsightResource(InsightValues.Warning, $"kube-proxy version {addon!.Version} is behind the cluster control plane version {c.Version}.", null, addon.Arn)] : [],
        };
    }

    private static Dictionary<string, string> Links(params (string Title, string Url)[] links) =>
        links.ToDictionary(l => l.Title, l => l.Url, StringComparer.Ordinal);

    /// <summary>kube-proxy versions carry the Kubernetes version: v1.34.8-eksbuild.2 → 34.</summary>
    private static int? AddonMinor(string version)
    {
        var parts = version.TrimStart('v').Split('.');
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : null;
    }

    private static int Major(string version) =>
        int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0;

    private static int Minor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : 0;
    }
}
