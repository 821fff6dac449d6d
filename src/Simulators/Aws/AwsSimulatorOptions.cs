namespace EksOperator.Simulators.Aws;

/// <summary>How an <see cref="AwsSimulator"/> listens, which identity it pretends to be and how fast time runs.</summary>
public sealed record AwsSimulatorOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    public string Region { get; init; } = "us-west-2";

    public string AccountId { get; init; } = "123456789012";

    public string AccessKeyId { get; init; } = "AKIDEXAMPLE";

    public string SecretAccessKey { get; init; } = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// <summary>
    /// How many accounts the simulator holds (default 1). The first is <see cref="AccountId"/> with <see cref="AccessKeyId"/>
    /// and <see cref="SecretAccessKey"/>; each further one gets a deterministic id and key pair (<see cref="AwsSimulator.Accounts"/>)
    /// and its own IAM, EKS and EC2 state with its own default VPC. Requests are answered from the account of their signing key.
    /// </summary>
    public int Accounts { get; init; } = 1;

    /// <summary>Regions served besides <see cref="Region"/>, each with its own EKS and EC2 state per account (IAM is global per account).</summary>
    public IReadOnlyList<string> AdditionalRegions { get; init; } = [];

    /// <summary>Multiplies every lifecycle duration (0.001 turns a 12-minute cluster create into 0.72 s).</summary>
    public double TimeScale { get; init; } = 1.0;

    /// <summary>Drives every lifecycle; tests pass a FakeTimeProvider.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public bool VerifySignatures { get; init; } = true;

    /// <summary>Kubernetes versions CreateCluster/UpdateClusterVersion accept (real: DescribeClusterVersions).</summary>
    public IReadOnlyList<string> SupportedVersions { get; init; } = ["1.31", "1.32", "1.33", "1.34", "1.35"];

    /// <summary>Version CreateCluster uses when the request names none (DescribeClusterVersions: defaultVersion true).</summary>
    public string DefaultVersion { get; init; } = "1.34";

    /// <summary>
    /// Support dates DescribeClusterVersions reports, per version. Versions not listed get dates on EKS's cadence,
    /// anchored on the simulator's clock at start so that <see cref="SupportedVersions"/> stay supported (README).
    /// </summary>
    public IReadOnlyDictionary<string, AwsVersionSupport> VersionSupport { get; init; } = new Dictionary<string, AwsVersionSupport>();

    /// <summary>Clusters per region before CreateCluster answers ResourceLimitExceededException (EKS's default quota is 100; raised on request).</summary>
    public int ClusterQuota { get; init; } = 100;

    /// <summary>
    /// CreateAddon refuses resolveConflicts PRESERVE, as EKS did in 2022; the model now allows it and whether the
    /// service still refuses it is unconfirmed (reference §1.5), so it is accepted unless this is set.
    /// </summary>
    public bool RejectPreserveOnCreateAddon { get; init; }

    /// <summary>
    /// Pod Identity associations per cluster before CreatePodIdentityAssociation answers ResourceLimitExceededException
    /// (the user guide has said 1,000 and, later, 5,000; which is current is unconfirmed).
    /// </summary>
    public int PodIdentityAssociationQuota { get; init; } = 1000;

    /// <summary>
    /// UpdateClusterVersion refuses an upgrade while an UPGRADE_READINESS insight for the target version is ERROR, unless
    /// force is set. EKS enforced this for one day in March 2025 and rolled it back (reference §4.3), hence off by default.
    /// </summary>
    public bool EnforceUpgradeInsights { get; init; }

    /// <summary>Unscaled lifecycle durations (before <see cref="TimeScale"/>).</summary>
    public AwsLifecycleDurations Durations { get; init; } = new();

    /// <summary>When set, ACTIVE clusters report this API endpoint (e.g. a Kubernetes simulator) instead of a made-up one.</summary>
    public Uri? ClusterEndpoint { get; init; }

    /// <summary>When set, ACTIVE clusters report this base64 PEM as certificateAuthority.data.</summary>
    public string? ClusterCertificateAuthorityData { get; init; }
}

/// <summary>One Kubernetes version's calendar, as DescribeClusterVersions reports it; its status follows from the dates and the clock.</summary>
public sealed record AwsVersionSupport
{
    public required DateTimeOffset ReleaseDate { get; init; }

    public required DateTimeOffset EndOfStandardSupport { get; init; }

    public required DateTimeOffset EndOfExtendedSupport { get; init; }

    /// <summary>defaultPlatformVersion, and what new clusters of this version get; default eks.N, N growing with the version's age.</summary>
    public string? PlatformVersion { get; init; }

    /// <summary>kubernetesPatchVersion, e.g. 1.34.8; default the patch the simulator's node AMIs carry.</summary>
    public string? KubernetesPatchVersion { get; init; }
}

/// <summary>Typical AWS durations (reference §3.6); each is multiplied by <see cref="AwsSimulatorOptions.TimeScale"/>.</summary>
public sealed record AwsLifecycleDurations
{
    public TimeSpan ClusterCreate { get; init; } = TimeSpan.FromMinutes(12);
    public TimeSpan ClusterDelete { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ClusterVersionUpdate { get; init; } = TimeSpan.FromMinutes(12);
    public TimeSpan ClusterConfigUpdate { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>EKS flips a cluster to UPDATING only eventually; until then Describe still says ACTIVE.</summary>
    public TimeSpan ClusterUpdatingVisibleAfter { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan NodegroupCreate { get; init; } = TimeSpan.FromMinutes(4);
    public TimeSpan NodegroupDelete { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan NodegroupConfigUpdate { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan NodegroupVersionUpdate { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Added to a node group version update per desired node (rolling replacement).</summary>
    public TimeSpan NodegroupVersionUpdatePerNode { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan FargateProfileCreate { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan FargateProfileDelete { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>An add-on CREATING before ACTIVE (eks-pod-identity-agent: "Creation complete after 46s").</summary>
    public TimeSpan AddonCreate { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>An AddonUpdate InProgress, the add-on UPDATING ("several seconds" to a few minutes).</summary>
    public TimeSpan AddonUpdate { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An add-on DELETING before DescribeAddon answers 404 (unconfirmed: "seconds to ~1 min").</summary>
    public TimeSpan AddonDelete { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A StartInsightsRefresh IN_PROGRESS before COMPLETED (unconfirmed).</summary>
    public TimeSpan InsightsRefresh { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A capability CREATING before ACTIVE (EKS installs its CRDs: "some minutes", unconfirmed).</summary>
    public TimeSpan CapabilityCreate { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A CapabilityUpdate InProgress, the capability UPDATING (unconfirmed).</summary>
    public TimeSpan CapabilityUpdate { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A capability DELETING before DescribeCapability answers 404 (unconfirmed).</summary>
    public TimeSpan CapabilityDelete { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>IAM eventual consistency: a new role cannot be assumed by EKS for this long.</summary>
    public TimeSpan RolePropagation { get; init; } = TimeSpan.FromSeconds(10);
}
