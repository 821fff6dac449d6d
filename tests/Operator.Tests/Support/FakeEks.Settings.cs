using EksOperator.Aws;
using EksOperator.Aws.Eks;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// The newer cluster settings in the fake, with EKS's Auto Mode rules (section 5.2 of the AWS reference): the trio
/// together and equal, no partial body, no request that changes nothing. An adapter bug fails the test here.
/// </summary>
internal sealed partial class FakeEks
{
    public const string AutoModeAllOrNothing =
        "For EKS Auto Mode, please ensure that all required configs, including computeConfig, kubernetesNetworkConfig, and blockStorage are all either fully enabled or fully disabled.";

    private static void CheckAutoModeCreate(CreateClusterRequest r)
    {
        var trio = new[] { r.ComputeConfig?.Enabled, r.StorageConfig?.BlockStorage?.Enabled, r.KubernetesNetworkConfig?.ElasticLoadBalancing?.Enabled };
        if (trio.Any(b => b is not null) && (trio.Any(b => b is null) || trio.Distinct().Count() > 1))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", AutoModeAllOrNothing);
        }

        CheckPools(r.ComputeConfig);
    }

    private static Cluster WithCreateSettings(Cluster c, CreateClusterRequest r) => c with
    {
        ComputeConfig = r.ComputeConfig,
        StorageConfig = r.StorageConfig,
        KubernetesNetworkConfig = new KubernetesNetworkConfigResponse
        {
            ServiceIpv4Cidr = r.KubernetesNetworkConfig?.ServiceIpv4Cidr ?? "10.100.0.0/16",
            IpFamily = r.KubernetesNetworkConfig?.IpFamily ?? "ipv4",
            ElasticLoadBalancing = r.KubernetesNetworkConfig?.ElasticLoadBalancing,
        },
        ZonalShiftConfig = r.ZonalShiftConfig,
        ControlPlaneScalingConfig = r.ControlPlaneScalingConfig,
        RemoteNetworkConfig = r.RemoteNetworkConfig,
    };

    /// <summary>The update type of a newer-settings request, or null; throws what EKS answers to a bad Auto Mode body.</summary>
    private static string? SettingsUpdateType(UpdateClusterConfigRequest r, Cluster current)
    {
        if (r.ComputeConfig is null && (r.StorageConfig is not null || r.KubernetesNetworkConfig is not null))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "The type for cluster update was not provided.");
        }

        if (r.ComputeConfig is { } compute)
        {
            var (on, storage, elb) = (compute.Enabled, r.StorageConfig?.BlockStorage?.Enabled, r.KubernetesNetworkConfig?.ElasticLoadBalancing?.Enabled);
            if (on is null) throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "The type for cluster update was not provided.");
            if (storage != on || elb != on) throw Error(AwsErrorKind.Invalid, "InvalidParameterException", AutoModeAllOrNothing);
            CheckPools(compute);
            var was = current.ComputeConfig?.Enabled == true;
            var samePools = (compute.NodePools ?? []).Order(StringComparer.Ordinal).SequenceEqual((current.ComputeConfig?.NodePools ?? []).Order(StringComparer.Ordinal));
            if (on == was && (on == false || samePools))
            {
                throw Error(AwsErrorKind.Invalid, "InvalidRequestException", "No changes needed for EKS Auto Mode configuration provided");
            }

            return "AutoModeUpdate";
        }

        return r switch
        {
            { ZonalShiftConfig: not null } => "ZonalShiftConfigUpdate",
            { ControlPlaneScalingConfig: not null } => "ControlPlaneScalingConfigUpdate",
            { RemoteNetworkConfig: not null } => "RemoteNetworkConfigUpdate",
            _ => null,
        };
    }

    private static Cluster ApplySettings(Cluster c, UpdateClusterConfigRequest r)
    {
        if (r.ComputeConfig is { } compute)
        {
            c = c with
            {
                ComputeConfig = compute with { NodeRoleArn = compute.NodeRoleArn ?? c.ComputeConfig?.NodeRoleArn, NodePools = compute.Enabled == true ? compute.NodePools : c.ComputeConfig?.NodePools },
                StorageConfig = r.StorageConfig,
                KubernetesNetworkConfig = (c.KubernetesNetworkConfig ?? new KubernetesNetworkConfigResponse()) with { ElasticLoadBalancing = r.KubernetesNetworkConfig!.ElasticLoadBalancing },
            };
        }

        if (r.ZonalShiftConfig is { } shift) c = c with { ZonalShiftConfig = shift };
        if (r.ControlPlaneScalingConfig is { } tier) c = c with { ControlPlaneScalingConfig = tier };
        if (r.RemoteNetworkConfig is { } remote) c = c with { RemoteNetworkConfig = remote };
        return c;
    }

    private static void CheckPools(ComputeConfig? compute)
    {
        if (compute is not { Enabled: true }) return;
        var pools = compute.NodePools ?? [];
        if (pools.Count > 0 && string.IsNullOrEmpty(compute.NodeRoleArn))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "When Compute Config nodeRoleArn is null or empty, nodePool list cannot be populated.");
        }

        if (pools.Count == 0 && !string.IsNullOrEmpty(compute.NodeRoleArn))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "When Compute Config nodeRoleArn is not null or empty, nodePool value(s) must be provided.");
        }
    }
}
