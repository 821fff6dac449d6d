using System.Globalization;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>A service account an add-on version can bind to a role through Pod Identity, and the AWS managed policies it needs.</summary>
internal sealed record AddonPodIdentityConfig(string ServiceAccount, IReadOnlyList<string> RecommendedManagedPolicies);

/// <summary>One published add-on version: the cluster versions it installs on and those it is the default for.</summary>
internal sealed record AddonVersionEntry(
    string Version,
    IReadOnlyList<string> ClusterVersions,
    IReadOnlyList<string> DefaultFor,
    IReadOnlyList<string> ComputeTypes,
    IReadOnlyList<AddonPodIdentityConfig> PodIdentity)
{
    public bool CompatibleWith(string clusterVersion) => ClusterVersions.Contains(clusterVersion, StringComparer.Ordinal);

    public bool IsDefaultFor(string clusterVersion) => DefaultFor.Contains(clusterVersion, StringComparer.Ordinal);

    /// <summary>EKS sets requiresIamPermissions when the add-on needs a role, i.e. has a Pod Identity service account (UG add-ons-iam).</summary>
    public bool RequiresIamPermissions => PodIdentity.Count > 0;
}

/// <summary>One add-on as DescribeAddonVersions lists it (AddonInfo), versions newest first, with its configuration schema.</summary>
internal sealed record AddonDefinition(
    string Name,
    string Type,
    string Publisher,
    string Owner,
    string DefaultNamespace,
    IReadOnlyList<AddonVersionEntry> Versions,
    string ConfigurationSchema)
{
    public AddonVersionEntry? Find(string version) => Versions.FirstOrDefault(v => v.Version == version);

    public AddonVersionEntry? DefaultFor(string clusterVersion) => Versions.FirstOrDefault(v => v.IsDefaultFor(clusterVersion));
}

/// <summary>
/// The add-ons EKS offers, built from the supported Kubernetes versions (reference §1.10) so that a new minor gets its
/// own entries: kube-proxy carries the Kubernetes version and fits that one minor; coredns comes in bands of minors;
/// vpc-cni, eks-pod-identity-agent and aws-ebs-csi-driver fit every minor. Each (add-on, minor) has exactly one default
/// version and it is not the newest, as in EKS where the newest build is published before it becomes the default.
/// Version numbers are made up but deterministic: the same supported versions always give the same catalogue.
/// </summary>
internal sealed class AddonCatalogue
{
    private const string EbsPolicy = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";
    private const string CniPolicy = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy";
    private static readonly string[] Ec2 = ["ec2"];
    private static readonly string[] Ec2AndHybrid = ["ec2", "hybrid"];

    public AddonCatalogue(IEnumerable<string> supportedVersions)
    {
        // Newest minor first, the order compatibilities are listed in.
        var versions = supportedVersions.Distinct(StringComparer.Ordinal).OrderByDescending(Minor).ToList();
        Addons = versions.Count == 0 ? [] :
        [
            Define("aws-ebs-csi-driver", "storage", EbsCsiDriver(versions)),
            Define("coredns", "networking", CoreDns(versions)),
            Define("eks-pod-identity-agent", "security", PodIdentityAgent(versions)),
            Define("kube-proxy", "networking", KubeProxy(versions)),
            Define("vpc-cni", "networking", VpcCni(versions)),
        ];
    }

    /// <summary>By name, as DescribeAddonVersions pages them.</summary>
    public IReadOnlyList<AddonDefinition> Addons { get; }

    public AddonDefinition? Find(string name) => Addons.FirstOrDefault(a => a.Name == name);

    private static AddonDefinition Define(string name, string type, List<AddonVersionEntry> versions) =>
        new(name, type, "eks", "aws", "kube-system", versions, AddonSchemas.For(name));

    /// <summary>v1.M.p-eksbuild.n for minor M only; p is the Kubernetes patch the simulator reports for M.</summary>
    private static List<AddonVersionEntry> KubeProxy(List<string> versions)
    {
        var entries = new List<AddonVersionEntry>();
        foreach (var v in versions)
        {
            var patch = Patch(v);
            entries.Add(Entry($"v{v}.{patch}-eksbuild.3", [v], [], Ec2AndHybrid));
            entries.Add(Entry($"v{v}.{patch}-eksbuild.2", [v], [v], Ec2AndHybrid));
            entries.Add(Entry($"v{v}.{patch - 1}-eksbuild.5", [v], [], Ec2AndHybrid));
        }

        return entries;
    }

    /// <summary>
    /// CoreDNS 1.s serves four Kubernetes minors, s = 11 + ⌊(M − 29) / 4⌋, which matches EKS's table (1.27–1.28 → 1.10,
    /// 1.29–1.32 → 1.11, 1.33 → 1.12). A band's last minor has no coredns for the next one, as in EKS.
    /// </summary>
    private static List<AddonVersionEntry> CoreDns(List<string> versions)
    {
        var entries = new List<AddonVersionEntry>();
        foreach (var band in versions.GroupBy(v => 11 + (int)Math.Floor((Minor(v) - 29) / 4.0)).OrderByDescending(g => g.Key))
        {
            var minors = band.ToList();
            entries.Add(Entry($"v1.{band.Key}.3-eksbuild.2", minors, [], Ec2AndHybrid));
            entries.Add(Entry($"v1.{band.Key}.3-eksbuild.1", minors, minors, Ec2AndHybrid));
            entries.Add(Entry($"v1.{band.Key}.1-eksbuild.9", minors, [], Ec2AndHybrid));
        }

        return entries;
    }

    /// <summary>One release line for every minor, numbered from the newest minor (1.35 → v1.20.x, like EKS in 2025).</summary>
    private static List<AddonVersionEntry> VpcCni(List<string> versions)
    {
        var series = Minor(versions[0]) - 15;
        AddonPodIdentityConfig[] identity = [new("aws-node", [CniPolicy])];
        return
        [
            Entry($"v1.{series}.4-eksbuild.1", versions, [], Ec2, identity),
            Entry($"v1.{series}.1-eksbuild.3", versions, versions, Ec2, identity),
            Entry($"v1.{series - 1}.6-eksbuild.2", versions, [], Ec2, identity),
        ];
    }

    private static List<AddonVersionEntry> PodIdentityAgent(List<string> versions) =>
    [
        Entry("v1.3.10-eksbuild.1", versions, [], Ec2AndHybrid),
        Entry("v1.3.8-eksbuild.2", versions, versions, Ec2AndHybrid),
        // The minimum EKS names for moving to Auto Mode (reference §1.10).
        Entry("v1.3.4-eksbuild.1", versions, [], Ec2AndHybrid),
    ];

    /// <summary>The example of an add-on with a Pod Identity service account (reference §1.4).</summary>
    private static List<AddonVersionEntry> EbsCsiDriver(List<string> versions)
    {
        var series = Minor(versions[0]) + 18;
        AddonPodIdentityConfig[] identity = [new("ebs-csi-controller-sa", [EbsPolicy])];
        return
        [
            Entry($"v1.{series}.0-eksbuild.1", versions, [], Ec2AndHybrid, identity),
            Entry($"v1.{series - 1}.1-eksbuild.1", versions, versions, Ec2AndHybrid, identity),
            Entry($"v1.{series - 2}.0-eksbuild.1", versions, [], Ec2AndHybrid, identity),
        ];
    }

    private static AddonVersionEntry Entry(string version, IReadOnlyList<string> clusterVersions, IReadOnlyList<string> defaultFor, string[] computeTypes,
        AddonPodIdentityConfig[]? podIdentity = null) =>
        new(version, clusterVersions, defaultFor, computeTypes, podIdentity ?? []);

    /// <summary>The same patch as ClusterVersions' kubernetesPatchVersion and the node AMIs (1.34 → 8).</summary>
    private static int Patch(string version) => (Minor(version) % 10) + 4;

    private static int Minor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : 0;
    }
}
