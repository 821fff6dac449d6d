namespace EksOperator.Aws.Eks;

/// <summary>Where a Kubernetes version is in EKS's support calendar.</summary>
public enum KubernetesVersionSupport
{
    /// <summary>A status AWS added after this client was written, or none reported.</summary>
    Unknown = 0,
    Standard,
    Extended,
    Unsupported,
}

/// <summary>A Kubernetes version EKS offers for new clusters and upgrades (DescribeClusterVersions).</summary>
/// <param name="Version">Kubernetes minor as EKS spells it, e.g. "1.34".</param>
/// <param name="Support">Standard or extended support (extended support costs more).</param>
/// <param name="IsDefault">The version CreateCluster picks when the request names none.</param>
public sealed record ClusterVersionInfo(string Version, KubernetesVersionSupport Support, bool IsDefault)
{
    public DateTimeOffset? EndOfStandardSupport { get; init; }

    public DateTimeOffset? EndOfExtendedSupport { get; init; }

    /// <summary>e.g. "eks.7": what a cluster created at this version starts on.</summary>
    public string? DefaultPlatformVersion { get; init; }
}
