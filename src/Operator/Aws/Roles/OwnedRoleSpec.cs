using System.Security.Cryptography;
using System.Text;

namespace EksOperator.Aws.Roles;

/// <summary>An IAM role the operator creates and owns for a resource that names none.</summary>
/// <param name="Name">Role name (≤ 64 characters).</param>
/// <param name="TrustedService">Service principal allowed to assume it, e.g. eks.amazonaws.com.</param>
/// <param name="ManagedPolicyArns">AWS managed policies to attach.</param>
/// <remarks>
/// Names: the cluster role is <c>&lt;cluster&gt;-eks-cluster</c>; a node group's role <c>&lt;cluster&gt;-&lt;nodegroup&gt;-node</c> and a
/// Fargate profile's <c>&lt;cluster&gt;-&lt;profile&gt;-fargate</c>, except that a child name that already starts with its
/// cluster's name (node group <c>shop-spot</c> on cluster <c>shop</c>, or <c>shop</c> itself) is not prefixed again:
/// <c>shop-spot-node</c>, not <c>shop-shop-spot-node</c>. The kind's suffix always ends the name, so a cluster role, a node
/// role and a pod execution role can never share a name. A name over IAM's 64 characters is cut and given an 8-character
/// hash of the cluster and child names before the suffix, so two long names stay distinct and the kind stays visible.
/// Names are not unique in every case (node groups <c>spot</c> and <c>shop-spot</c> of cluster <c>shop</c> both map to
/// <c>shop-spot-node</c>, as clusters <c>a</c>/<c>b-c</c> and <c>a-b</c>/<c>c</c> did before); the ownership tags keep that
/// safe: the second object is told the role belongs to the first, and never uses or deletes it.
/// </remarks>
public sealed record OwnedRoleSpec(string Name, string TrustedService, IReadOnlyList<string> ManagedPolicyArns)
{
    /// <summary>IAM's limit on role names.</summary>
    public const int MaxNameLength = 64;

    private const int HashLength = 8;

    /// <summary>
    /// Names earlier operator versions gave this role (repeated prefix, or cut at 64 characters without a hash), when
    /// different from <see cref="Name"/>. A role of this owner under such a name is reused rather than duplicated, and
    /// deleted with the resource, so an operator upgrade neither orphans nor recreates it.
    /// </summary>
    public IReadOnlyList<string> FormerNames { get; init; } = [];

    /// <summary>
    /// The cluster role; with <paramref name="autoMode"/> it also carries the four Auto Mode policies and lets EKS tag
    /// its sessions (sts:TagSession), which Auto Mode needs (EKS User Guide, auto-cluster-iam-role). An existing role
    /// gains both when Auto Mode is turned on; turning it off takes nothing away.
    /// </summary>
    public static OwnedRoleSpec ClusterRole(string clusterName, bool autoMode = false)
    {
        var role = new OwnedRoleSpec(Fit(clusterName, "-eks-cluster", clusterName), "eks.amazonaws.com", ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"])
            .WithFormerName(Cut($"{clusterName}-eks-cluster"));
        return autoMode
            ? role with { ManagedPolicyArns = [.. role.ManagedPolicyArns, .. AutoModeClusterPolicies], TrustedActions = ["sts:AssumeRole", "sts:TagSession"] }
            : role;
    }

    /// <summary>The policies an Auto Mode cluster role needs beyond AmazonEKSClusterPolicy.</summary>
    public static IReadOnlyList<string> AutoModeClusterPolicies { get; } =
    [
        "arn:aws:iam::aws:policy/AmazonEKSComputePolicy",
        "arn:aws:iam::aws:policy/AmazonEKSBlockStoragePolicy",
        "arn:aws:iam::aws:policy/AmazonEKSLoadBalancingPolicy",
        "arn:aws:iam::aws:policy/AmazonEKSNetworkingPolicy",
    ];

    /// <summary>The role of the nodes EKS Auto Mode launches, <c>&lt;cluster&gt;-eks-auto-node</c>.</summary>
    public static OwnedRoleSpec AutoModeNodeRole(string clusterName) =>
        new(Fit(clusterName, "-eks-auto-node", clusterName), "ec2.amazonaws.com",
        [
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy",
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        ]);

    public static OwnedRoleSpec NodeRole(string clusterName, string nodegroupName) =>
        new OwnedRoleSpec(ChildRoleName(clusterName, nodegroupName, "-node"), "ec2.amazonaws.com",
        [
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        ]).WithFormerName(Cut($"{clusterName}-{nodegroupName}-node"));

    public static OwnedRoleSpec FargateRole(string clusterName, string profileName) =>
        new OwnedRoleSpec(ChildRoleName(clusterName, profileName, "-fargate"), "eks-fargate-pods.amazonaws.com",
            ["arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy"])
            .WithFormerName(Cut($"{clusterName}-{profileName}-fargate"));

    /// <summary>
    /// A role for the pods of one service account through EKS Pod Identity: trusted by pods.eks.amazonaws.com for
    /// sts:AssumeRole and sts:TagSession, with exactly the policies the spec lists (others are detached) and the
    /// administrators' permissions boundary. <paramref name="subject"/> names what it is for (namespace and service
    /// account, or add-on and service account).
    /// </summary>
    public static OwnedRoleSpec PodIdentityRole(string clusterName, string subject, IReadOnlyList<string> policyArns, string? permissionsBoundaryArn) =>
        WorkloadRole(ChildRoleName(clusterName, subject, "-pod"), policyArns, permissionsBoundaryArn);

    /// <summary>
    /// The role of one service account of an add-on, <c>&lt;cluster&gt;-&lt;addon&gt;-&lt;serviceAccount&gt;</c> (design/api.md), trusted and
    /// scoped as <see cref="PodIdentityRole"/>.
    /// </summary>
    public static OwnedRoleSpec AddonRole(string clusterName, string addonName, string serviceAccount, IReadOnlyList<string> policyArns, string? permissionsBoundaryArn) =>
        WorkloadRole(Fit($"{clusterName}-{addonName}-{serviceAccount}", "", $"{clusterName}/{addonName}/{serviceAccount}"), policyArns, permissionsBoundaryArn);

    /// <summary>
    /// The role of an EKS capability, <c>&lt;cluster&gt;-&lt;capability&gt;-capability</c>: trusted by capabilities.eks.amazonaws.com for
    /// sts:AssumeRole and sts:TagSession (UG capability-role), with no policies (Argo CD needs none for the basics; what
    /// ACK may manage is the administrators' to attach), and the administrators' permissions boundary.
    /// </summary>
    public static OwnedRoleSpec CapabilityRole(string clusterName, string capabilityName, string? permissionsBoundaryArn) =>
        new(ChildRoleName(clusterName, capabilityName, "-capability"), "capabilities.eks.amazonaws.com", [])
        {
            TrustedActions = ["sts:AssumeRole", "sts:TagSession"],
            PermissionsBoundaryArn = permissionsBoundaryArn,
        };

    /// <summary>The trust, policy rule and boundary every Pod Identity role shares; only the name differs.</summary>
    private static OwnedRoleSpec WorkloadRole(string name, IReadOnlyList<string> policyArns, string? permissionsBoundaryArn) =>
        new(name, "pods.eks.amazonaws.com", policyArns)
        {
            TrustedActions = ["sts:AssumeRole", "sts:TagSession"],
            DetachUnlisted = true,
            PermissionsBoundaryArn = permissionsBoundaryArn,
        };

    /// <summary>What the trusted service may do with the role (sts:AssumeRole; Pod Identity also tags the session).</summary>
    public IReadOnlyList<string> TrustedActions { get; init; } = ["sts:AssumeRole"];

    /// <summary>
    /// True when the role must carry exactly <see cref="ManagedPolicyArns"/> (a user chose them and may remove one);
    /// false for the fixed roles of clusters and nodes, whose extra policies an administrator may have added.
    /// </summary>
    public bool DetachUnlisted { get; init; }

    /// <summary>The permissions boundary a new role is created with (Aws:OwnedRoleBoundaryArn).</summary>
    public string? PermissionsBoundaryArn { get; init; }

    public string TrustPolicy => TrustedActions is [var single]
        ? $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"{{TrustedService}}"},"Action":"{{single}}"}]}"""
        : $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"{{TrustedService}}"},"Action":[{{string.Join(",", TrustedActions.Select(a => $"\"{a}\""))}}]}]}""";

    /// <summary>This name and the former ones, the current first.</summary>
    public IEnumerable<string> AllNames => [Name, .. FormerNames];

    private OwnedRoleSpec WithFormerName(string former) =>
        string.Equals(former, Name, StringComparison.OrdinalIgnoreCase) ? this : this with { FormerNames = [former] };

    private static string ChildRoleName(string clusterName, string childName, string suffix)
    {
        var alreadyPrefixed = childName == clusterName || childName.StartsWith(clusterName + "-", StringComparison.Ordinal);
        return Fit(alreadyPrefixed ? childName : $"{clusterName}-{childName}", suffix, $"{clusterName}/{childName}");
    }

    /// <summary><paramref name="stem"/> + <paramref name="suffix"/>, or when that is too long the cut stem, a hash of <paramref name="identity"/>, the suffix.</summary>
    private static string Fit(string stem, string suffix, string identity)
    {
        if (stem.Length + suffix.Length <= MaxNameLength)
        {
            return stem + suffix;
        }

        // '/' cannot occur in EKS names, so "cluster/child" tells apart pairs whose joined names look alike.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..HashLength];
        var kept = stem[..(MaxNameLength - suffix.Length - HashLength - 1)].TrimEnd('-', '_');
        return $"{kept}-{hash}{suffix}";
    }

    /// <summary>How names were made before: the joined name cut at 64 characters, suffix and all.</summary>
    private static string Cut(string name) => name.Length <= MaxNameLength ? name : name[..MaxNameLength];
}
