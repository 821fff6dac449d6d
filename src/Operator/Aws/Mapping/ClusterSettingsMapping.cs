using EksOperator.Aws.Eks;
using EksOperator.Entities.V1Alpha1;
using EksCluster = EksOperator.Aws.Eks.Cluster;

namespace EksOperator.Aws.Mapping;

/// <summary>
/// The newer cluster settings ⇄ EKS: Auto Mode, zonal shift, the control-plane tier and hybrid networks. What EKS
/// reports for a setting nobody set (absent, null, false, standard) compares equal to its off value, and a setting
/// the spec leaves out is never compared: neither may ever produce an update EKS answers "No changes needed".
/// </summary>
public static class ClusterSettingsMapping
{
    /// <summary>The node pools Auto Mode gets when the spec names none.</summary>
    public static readonly IReadOnlyList<AutoModeNodePool> DefaultNodePools = [AutoModeNodePool.GeneralPurpose, AutoModeNodePool.System];

    public static IReadOnlyList<string> NodePools(AutoMode autoMode) => [.. ((IEnumerable<AutoModeNodePool>?)autoMode.NodePools ?? DefaultNodePools).Select(ClusterMapping.EnumName).Distinct(StringComparer.Ordinal)];

    /// <summary>Whether Auto Mode launches nodes with a role (only with built-in node pools: EKS refuses a role without them).</summary>
    public static bool NeedsNodeRole(AutoMode? autoMode) => autoMode is { Enabled: true } a && NodePools(a).Count > 0;

    public static bool AutoModeOn(EksCluster observed) => observed.ComputeConfig?.Enabled == true;

    /// <summary>The create request with the newer settings the spec sets (Auto Mode only when enabled: off is EKS's default).</summary>
    public static CreateClusterRequest WithSettings(CreateClusterRequest request, EksClusterSpec spec, string? autoModeNodeRoleArn)
    {
        var auto = spec.AutoMode is { Enabled: true } a ? a : null;
        return request with
        {
            ComputeConfig = auto is null ? null : Compute(auto, autoModeNodeRoleArn),
            StorageConfig = auto is null ? null : Storage(true),
            KubernetesNetworkConfig = auto is null ? request.KubernetesNetworkConfig
                : (request.KubernetesNetworkConfig ?? new KubernetesNetworkConfigRequest()) with { ElasticLoadBalancing = new ElasticLoadBalancing { Enabled = true } },
            ZonalShiftConfig = spec.ZonalShift is { } shift ? new ZonalShiftConfig { Enabled = shift.Enabled } : null,
            ControlPlaneScalingConfig = spec.ControlPlaneScaling is { } scaling ? new ControlPlaneScalingConfig { Tier = ClusterMapping.EnumName(scaling.Tier) } : null,
            RemoteNetworkConfig = spec.RemoteNetwork is { } remote ? Remote(remote) : null,
        };
    }

    /// <summary>The changes of the newer settings, one UpdateClusterConfig each (EKS takes one update type per call).</summary>
    public static IEnumerable<ClusterChange> Changes(string name, EksClusterSpec spec, EksCluster observed, string? autoModeNodeRoleArn)
    {
        if (AutoModeChange(name, spec.AutoMode, observed, autoModeNodeRoleArn) is { } auto) yield return auto;

        if (spec.ZonalShift is { } shift && shift.Enabled != (observed.ZonalShiftConfig?.Enabled ?? false))
        {
            yield return new("spec.zonalShift.enabled", shift.Enabled.ToString(), (observed.ZonalShiftConfig?.Enabled ?? false).ToString(),
                new UpdateClusterConfigRequest { Name = name, ZonalShiftConfig = new ZonalShiftConfig { Enabled = shift.Enabled } });
        }

        if (spec.ControlPlaneScaling is { } scaling && ClusterMapping.EnumName(scaling.Tier) is var tier && tier != ActualTier(observed))
        {
            yield return new("spec.controlPlaneScaling.tier", tier, ActualTier(observed),
                new UpdateClusterConfigRequest { Name = name, ControlPlaneScalingConfig = new ControlPlaneScalingConfig { Tier = tier } });
        }

        if (spec.RemoteNetwork is { } remote)
        {
            var (nodes, pods) = (Cidrs(remote.RemoteNodeNetworks), Cidrs(remote.RemotePodNetworks));
            var actual = observed.RemoteNetworkConfig;
            var (haveNodes, havePods) = (Cidrs(actual?.RemoteNodeNetworks), Cidrs(actual?.RemotePodNetworks));
            if (!nodes.SetEquals(haveNodes) || !pods.SetEquals(havePods))
            {
                yield return new("spec.remoteNetwork", $"nodes={ClusterMapping.Show(nodes)}, pods={ClusterMapping.Show(pods)}",
                    $"nodes={ClusterMapping.Show(haveNodes)}, pods={ClusterMapping.Show(havePods)}",
                    new UpdateClusterConfigRequest { Name = name, RemoteNetworkConfig = Remote(remote) });
            }
        }
    }

    /// <summary>
    /// The Auto Mode change, always the whole trio (computeConfig, storageConfig.blockStorage,
    /// kubernetesNetworkConfig.elasticLoadBalancing), or null. Absent and enabled:false both match a cluster without
    /// Auto Mode, whatever EKS returns for it (computeConfig null, elasticLoadBalancing false or absent).
    /// </summary>
    private static ClusterChange? AutoModeChange(string name, AutoMode? wanted, EksCluster observed, string? nodeRoleArn)
    {
        if (wanted is null) return null;
        var on = AutoModeOn(observed);
        var actualPools = observed.ComputeConfig?.NodePools ?? [];
        var actual = on ? $"enabled=true, nodePools={ClusterMapping.Show(actualPools)}" : "enabled=false";
        if (!wanted.Enabled)
        {
            return on ? Trio(name, "enabled=false", actual, new ComputeConfig { Enabled = false }, false) : null;
        }

        var pools = NodePools(wanted);
        if (on && ClusterMapping.SetEquals(pools, actualPools)) return null;
        // Once compute is on EKS keeps its node role: a pool change sends the role it has.
        var role = on ? observed.ComputeConfig?.NodeRoleArn ?? nodeRoleArn : nodeRoleArn;
        return Trio(name, $"enabled=true, nodePools={ClusterMapping.Show(pools)}", actual, Compute(wanted, role), true);
    }

    private static ClusterChange Trio(string name, string desired, string actual, ComputeConfig compute, bool enabled) =>
        new("spec.autoMode", desired, actual, new UpdateClusterConfigRequest
        {
            Name = name,
            ComputeConfig = compute,
            StorageConfig = Storage(enabled),
            KubernetesNetworkConfig = new KubernetesNetworkConfigRequest { ElasticLoadBalancing = new ElasticLoadBalancing { Enabled = enabled } },
        });

    /// <summary>Differences EKS cannot change in place: the Auto Mode node role once compute is on.</summary>
    public static IEnumerable<DriftEntry> ImmutableDrift(EksClusterSpec spec, EksCluster observed, string? autoModeNodeRoleArn)
    {
        if (spec.AutoMode is { Enabled: true } && AutoModeOn(observed) && autoModeNodeRoleArn is not null
            && observed.ComputeConfig?.NodeRoleArn is { Length: > 0 } actual && actual != autoModeNodeRoleArn)
        {
            yield return new DriftEntry { Field = "spec.autoMode.nodeRoleArn", Desired = autoModeNodeRoleArn, Actual = actual };
        }
    }

    private static ComputeConfig Compute(AutoMode autoMode, string? nodeRoleArn)
    {
        var pools = NodePools(autoMode);
        // EKS: a node role needs node pools and node pools need a role.
        return new ComputeConfig { Enabled = true, NodePools = pools, NodeRoleArn = pools.Count > 0 ? nodeRoleArn : null };
    }

    private static StorageConfig Storage(bool enabled) => new() { BlockStorage = new BlockStorage { Enabled = enabled } };

    private static string ActualTier(EksCluster observed) => observed.ControlPlaneScalingConfig?.Tier ?? "standard";

    private static RemoteNetworkConfig Remote(RemoteNetwork remote) => new()
    {
        RemoteNodeNetworks = [.. (remote.RemoteNodeNetworks ?? []).Select(n => new RemoteNetworkCidrs { Cidrs = [.. n.Cidrs] })],
        RemotePodNetworks = [.. (remote.RemotePodNetworks ?? []).Select(n => new RemoteNetworkCidrs { Cidrs = [.. n.Cidrs] })],
    };

    private static HashSet<string> Cidrs(IEnumerable<RemoteCidrs>? networks) => (networks ?? []).SelectMany(n => n.Cidrs).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Cidrs(IEnumerable<RemoteNetworkCidrs>? networks) => (networks ?? []).SelectMany(n => n.Cidrs ?? []).ToHashSet(StringComparer.Ordinal);
}
