using System.Net;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// The newer cluster settings: EKS Auto Mode (compute, block storage and load balancing, which EKS takes only together
/// and equal), zonal shift, the control plane tier and hybrid (remote) networks, at create and as their own update
/// types, with the errors EKS gives for partial or no-op Auto Mode requests.
/// </summary>
internal sealed partial class EksService
{
    private const string AutoModeAllOrNothing =
        "For EKS Auto Mode, please ensure that all required configs, including computeConfig, kubernetesNetworkConfig, and blockStorage are all either fully enabled or fully disabled.";

    private const string UpdateTypeMissing = "The type for cluster update was not provided.";

    private static readonly string[] ControlPlaneTiers = ["standard", "tier-xl", "tier-2xl", "tier-4xl", "tier-8xl"];
    private static readonly string[] BuiltInNodePools = ["general-purpose", "system"];

    /// <summary>What a CreateCluster asks of the newer settings, checked before anything is made.</summary>
    private sealed record ClusterSettings(AutoModeRequest? AutoMode, bool? ZonalShift, string? Tier, (List<string> Nodes, List<string> Pods)? Remote);

    private sealed record AutoModeRequest(bool Enabled, List<string> NodePools, string? NodeRoleArn);

    private ClusterSettings ParseCreateSettings(JsonObject? body, string name, string version, string authMode, string vpcId, string serviceCidr)
    {
        var auto = Json.Obj(body, "computeConfig") is null && Json.Obj(body, "storageConfig") is null && Json.Obj(Json.Obj(body, "kubernetesNetworkConfig"), "elasticLoadBalancing") is null
            ? null
            : ParseAutoMode(body, name, version, authMode);
        var remote = Json.Obj(body, "remoteNetworkConfig") is { } r ? ParseRemote(r, name, vpcId, serviceCidr) : ((List<string>, List<string>)?)null;
        return new(auto, Json.Bool(Json.Obj(body, "zonalShiftConfig"), "enabled"), Json.Obj(body, "controlPlaneScalingConfig") is { } s ? ParseTier(s, name) : null, remote);
    }

    private static void ApplySettings(Cluster c, ClusterSettings settings)
    {
        if (settings.AutoMode is { } auto) ApplyAutoMode(c, auto);
        c.ZonalShiftEnabled = settings.ZonalShift;
        c.ControlPlaneTier = settings.Tier;
        if (settings.Remote is { } remote) (c.RemoteNodeCidrs, c.RemotePodCidrs) = remote;
    }

    /// <summary>The update type of the newer settings a request carries, in the order EKS checks a partial Auto Mode body.</summary>
    private static IEnumerable<string> SettingsUpdateKinds(JsonObject? body)
    {
        var compute = body?.ContainsKey("computeConfig") == true;
        var storageOrElb = body?.ContainsKey("storageConfig") == true || Json.Obj(body, "kubernetesNetworkConfig")?.ContainsKey("elasticLoadBalancing") == true;
        if (storageOrElb && !compute)
        {
            // What EKS answers when computeConfig is left out (terraform-aws-eks#3362, #3457).
            throw AwsErrorException.InvalidParameter(UpdateTypeMissing);
        }

        if (compute) yield return "AutoModeUpdate";
        if (body?.ContainsKey("zonalShiftConfig") == true) yield return "ZonalShiftConfigUpdate";
        if (body?.ContainsKey("remoteNetworkConfig") == true) yield return "RemoteNetworkConfigUpdate";
        if (body?.ContainsKey("controlPlaneScalingConfig") == true) yield return "ControlPlaneScalingConfigUpdate";
    }

    /// <summary>The parameters and the effect of an update of the newer settings; null for another update type.</summary>
    private Action? SettingsUpdate(Cluster c, string type, JsonObject? body, List<KeyValuePair<string, string>> parameters)
    {
        var name = c.Name;
        switch (type)
        {
            case "AutoModeUpdate":
            {
                var auto = ParseAutoMode(body, name, c.Version, c.AuthenticationMode);
                if (auto.Enabled && c.ComputeEnabled == true && c.NodeRoleArn is { } current && auto.NodeRoleArn is { } wanted && wanted != current)
                {
                    throw AwsErrorException.InvalidParameter("Compute Config nodeRoleArn cannot be changed after the compute capability of EKS Auto Mode is enabled.", name);
                }

                var same = auto.Enabled == (c.ComputeEnabled ?? false) && auto.Enabled == (c.BlockStorageEnabled ?? false) && auto.Enabled == (c.ElasticLoadBalancingEnabled ?? false)
                    && (!auto.Enabled || (auto.NodePools.Order(StringComparer.Ordinal).SequenceEqual(c.NodePools.Order(StringComparer.Ordinal)) && (auto.NodeRoleArn ?? c.NodeRoleArn) == c.NodeRoleArn));
                if (same)
                {
                    // An error, not a no-op (terraform-aws-eks#3516, #3522): declarative clients must diff first.
                    throw AwsErrorException.InvalidRequest("No changes needed for EKS Auto Mode configuration provided", name);
                }

                parameters.Add(new("ComputeConfig", body!["computeConfig"]!.ToJsonString()));
                parameters.Add(new("StorageConfig", body["storageConfig"]!.ToJsonString()));
                parameters.Add(new("KubernetesNetworkConfig", body["kubernetesNetworkConfig"]!.ToJsonString()));
                return () => ApplyAutoMode(c, auto);
            }

            case "ZonalShiftConfigUpdate":
            {
                var enabled = Json.Bool(Json.Obj(body, "zonalShiftConfig"), "enabled") ?? throw AwsErrorException.InvalidParameter("zonalShiftConfig.enabled is required", name);
                if (enabled == (c.ZonalShiftEnabled ?? false))
                {
                    throw AwsErrorException.InvalidParameter("No changes needed for the zonal shift config provided", name);
                }

                parameters.Add(new("ZonalShiftConfig", new JsonObject { ["enabled"] = enabled }.ToJsonString()));
                return () => c.ZonalShiftEnabled = enabled;
            }

            case "ControlPlaneScalingConfigUpdate":
            {
                var tier = ParseTier(Json.Obj(body, "controlPlaneScalingConfig"), name);
                var previous = c.ControlPlaneTier ?? "standard";
                if (tier == previous)
                {
                    throw AwsErrorException.InvalidParameter($"Cluster is already at control plane scaling tier {tier}", name);
                }

                parameters.Add(new("UpdatedTier", tier));
                parameters.Add(new("PreviousTier", previous));
                return () => c.ControlPlaneTier = tier;
            }

            case "RemoteNetworkConfigUpdate":
            {
                var (nodes, pods) = ParseRemote(Json.Obj(body, "remoteNetworkConfig"), name, c.VpcId, c.ServiceIpv4Cidr);
                if (nodes.ToHashSet(StringComparer.Ordinal).SetEquals(c.RemoteNodeCidrs) && pods.ToHashSet(StringComparer.Ordinal).SetEquals(c.RemotePodCidrs))
                {
                    throw AwsErrorException.InvalidParameter("No changes needed for the remote network config provided", name);
                }

                parameters.Add(new("RemoteNetworkConfig", body!["remoteNetworkConfig"]!.ToJsonString()));
                return () => (c.RemoteNodeCidrs, c.RemotePodCidrs) = (nodes, pods);
            }

            default:
                return null;
        }
    }

    /// <summary>The three capabilities, sent together and equal, and the node pool / node role pairing.</summary>
    private AutoModeRequest ParseAutoMode(JsonObject? body, string name, string version, string authMode)
    {
        var compute = Json.Obj(body, "computeConfig");
        if (compute is not null && !compute.ContainsKey("enabled"))
        {
            // {"nodePools": []} alone (awsdocs/amazon-eks-user-guide#819).
            throw AwsErrorException.InvalidParameter(UpdateTypeMissing, name);
        }

        var enabled = Json.Bool(compute, "enabled");
        var storage = Json.Bool(Json.Obj(Json.Obj(body, "storageConfig"), "blockStorage"), "enabled");
        var elb = Json.Bool(Json.Obj(Json.Obj(body, "kubernetesNetworkConfig"), "elasticLoadBalancing"), "enabled");
        if (enabled is null || storage is null || elb is null || enabled != storage || enabled != elb)
        {
            throw AwsErrorException.InvalidParameter(AutoModeAllOrNothing, name);
        }

        var pools = Json.StrList(compute, "nodePools") ?? [];
        var role = Json.Str(compute, "nodeRoleArn") is { Length: > 0 } r ? r : null;
        if (!enabled.Value) return new(false, pools, role);

        if (pools.Count > 0 && role is null)
        {
            throw AwsErrorException.InvalidParameter("When Compute Config nodeRoleArn is null or empty, nodePool list cannot be populated.", name);
        }

        if (role is not null && pools.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("When Compute Config nodeRoleArn is not null or empty, nodePool value(s) must be provided.", name);
        }

        if (pools.FirstOrDefault(p => !BuiltInNodePools.Contains(p)) is { } unknown)
        {
            throw AwsErrorException.InvalidParameter($"Unsupported node pool {unknown}; built-in node pools are general-purpose and system", name);
        }

        if (Minor(version) < 29)
        {
            throw AwsErrorException.InvalidParameter($"EKS Auto Mode requires Kubernetes version 1.29 or later; the cluster runs {version}", name);
        }

        if (authMode == "CONFIG_MAP")
        {
            throw AwsErrorException.InvalidParameter("EKS Auto Mode requires the authentication mode API or API_AND_CONFIG_MAP", name);
        }

        if (role is not null) CheckAssumable(role, "ec2.amazonaws.com", name, null);
        return new(true, pools, role);
    }

    private static void ApplyAutoMode(Cluster c, AutoModeRequest auto)
    {
        (c.ComputeEnabled, c.BlockStorageEnabled, c.ElasticLoadBalancingEnabled) = (auto.Enabled, auto.Enabled, auto.Enabled);
        if (!auto.Enabled) return; // EKS keeps the node role and pools of a disabled Auto Mode
        c.NodePools = auto.NodePools;
        c.NodeRoleArn = auto.NodeRoleArn ?? c.NodeRoleArn;
    }

    private static string ParseTier(JsonObject? config, string name)
    {
        var tier = Json.Str(config, "tier");
        return tier is not null && ControlPlaneTiers.Contains(tier)
            ? tier
            : throw AwsErrorException.InvalidParameter($"1 validation error detected: Value '{tier}' at 'controlPlaneScalingConfig.tier' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", ControlPlaneTiers)}]", name);
    }

    /// <summary>At most one entry of each kind, up to 15 RFC 1918 CIDRs (/8 to /32) each, none overlapping the VPC or the service network.</summary>
    private (List<string> Nodes, List<string> Pods) ParseRemote(JsonObject? config, string name, string vpcId, string serviceCidr)
    {
        List<string> Cidrs(string member)
        {
            if (config?[member] is not JsonArray entries) return [];
            if (entries.Count > 1)
            {
                throw AwsErrorException.InvalidParameter($"1 validation error detected: Value at 'remoteNetworkConfig.{member}' failed to satisfy constraint: Member must have length less than or equal to 1", name);
            }

            var cidrs = Json.StrList(entries.FirstOrDefault() as JsonObject, "cidrs") ?? [];
            if (cidrs.Count > 15)
            {
                throw AwsErrorException.InvalidParameter($"{member} can have at most 15 CIDR blocks", name);
            }

            foreach (var cidr in cidrs)
            {
                CheckRemoteCidr(cidr, member, name, vpcId, serviceCidr);
            }

            return cidrs;
        }

        var (nodes, pods) = (Cidrs("remoteNodeNetworks"), Cidrs("remotePodNetworks"));
        if (pods.Count > 0 && nodes.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("remotePodNetworks requires remoteNodeNetworks", name);
        }

        return (nodes, pods);
    }

    private void CheckRemoteCidr(string cidr, string member, string name, string vpcId, string serviceCidr)
    {
        if (!IPNetwork.TryParse(cidr, out var network) || network.BaseAddress.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || network.PrefixLength < 8)
        {
            throw AwsErrorException.InvalidParameter($"Invalid CIDR {cidr} in {member}: it must be an IPv4 block between /8 and /32", name);
        }

        string[] rfc1918 = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
        if (!rfc1918.Any(r => IPNetwork.Parse(r).Contains(network.BaseAddress)))
        {
            throw AwsErrorException.InvalidParameter($"Invalid CIDR {cidr} in {member}: it must be within an RFC 1918 range", name);
        }

        var vpc = world.Vpcs.TryGetValue(vpcId, out var v) ? v.CidrBlock : null;
        foreach (var other in new[] { vpc, serviceCidr }.OfType<string>())
        {
            var taken = IPNetwork.Parse(other);
            if (taken.Contains(network.BaseAddress) || network.Contains(taken.BaseAddress))
            {
                throw AwsErrorException.InvalidParameter($"The CIDR {cidr} in {member} overlaps with {other} of the cluster's VPC or service network", name);
            }
        }
    }

    /// <summary>The newer settings in a DescribeCluster: only what was ever set, as EKS leaves the rest out.</summary>
    private static void SettingsJson(Cluster c, JsonObject o)
    {
        if (c.ComputeEnabled is { } compute)
        {
            var config = new JsonObject { ["enabled"] = compute, ["nodePools"] = Json.Array(c.NodePools) };
            if (c.NodeRoleArn is not null) config["nodeRoleArn"] = c.NodeRoleArn;
            o["computeConfig"] = config;
        }

        if (c.BlockStorageEnabled is { } storage)
        {
            o["storageConfig"] = new JsonObject { ["blockStorage"] = new JsonObject { ["enabled"] = storage } };
        }

        if (c.ZonalShiftEnabled is { } shift)
        {
            o["zonalShiftConfig"] = new JsonObject { ["enabled"] = shift };
        }

        if (c.RemoteNodeCidrs.Count > 0)
        {
            var remote = new JsonObject { ["remoteNodeNetworks"] = new JsonArray(new JsonObject { ["cidrs"] = Json.Array(c.RemoteNodeCidrs) }) };
            remote["remotePodNetworks"] = c.RemotePodCidrs.Count > 0 ? new JsonArray(new JsonObject { ["cidrs"] = Json.Array(c.RemotePodCidrs) }) : new JsonArray();
            o["remoteNetworkConfig"] = remote;
        }

        if (c.ControlPlaneTier is { } tier)
        {
            o["controlPlaneScalingConfig"] = new JsonObject { ["tier"] = tier };
        }
    }
}
