using EksOperator.Entities.V1Alpha1;
using k8s.Models;

namespace EksOperator.Integration.Tests;

/// <summary>Objects the scenarios apply.</summary>
internal static class Manifests
{
    public static EksCluster Cluster(string name, IEnumerable<string> subnets, string version = "1.33") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new EksClusterSpec
        {
            Version = version,
            Vpc = new ClusterVpc { SubnetIds = [.. subnets] },
            Logging = [LogType.Api, LogType.Audit],
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
        },
    };

    public static ManagedNodeGroup NodeGroup(string name, string cluster, int min = 1, int max = 3, int desired = 2) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new ManagedNodeGroupSpec
        {
            ClusterRef = new ClusterReference { Name = cluster },
            Scaling = new NodeGroupScaling { MinSize = min, MaxSize = max, DesiredSize = desired },
            Labels = new Dictionary<string, string> { ["role"] = name },
        },
    };

    public static FargateProfile Profile(string name, string cluster, IEnumerable<string> privateSubnets) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new FargateProfileSpec
        {
            ClusterRef = new ClusterReference { Name = cluster },
            SubnetIds = [.. privateSubnets],
            Selectors = [new FargateSelector { Namespace = "jobs" }],
        },
    };

    /// <summary>An EKS add-on on <paramref name="cluster"/>, named cluster-addon; version null follows EKS's default.</summary>
    public static Addon Addon(string cluster, string name, string? version = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{cluster}-{name}" },
        Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = cluster }, Name = name, Version = version },
    };
}
