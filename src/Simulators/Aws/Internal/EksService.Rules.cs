using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>The validation rules EKS applies to requests: names, roles, networks, logging, scaling, labels and taints, with the limits they check.</summary>
internal sealed partial class EksService
{
    private static readonly string[] LogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
    private static readonly string[] TaintEffects = ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"];
    private static readonly string[] CapacityTypes = ["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"];
    private static readonly string[] AuthModes = ["CONFIG_MAP", "API_AND_CONFIG_MAP", "API"];
    private static readonly string[] ReservedLabelPrefixes = ["kubernetes.io/", "k8s.io/", "eks.amazonaws.com/"];
    private static readonly string[] AmiTypes =
    [
        "AL2_x86_64", "AL2_x86_64_GPU", "AL2_ARM_64", "CUSTOM", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64",
        "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_FIPS", "BOTTLEROCKET_ARM_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA",
        "BOTTLEROCKET_ARM_64_NVIDIA_FIPS", "BOTTLEROCKET_x86_64_NVIDIA_FIPS", "WINDOWS_CORE_2019_x86_64", "WINDOWS_FULL_2019_x86_64",
        "WINDOWS_CORE_2022_x86_64", "WINDOWS_FULL_2022_x86_64", "WINDOWS_CORE_2025_x86_64", "WINDOWS_FULL_2025_x86_64",
        "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NEURON", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA",
    ];

    private const int MaxNodegroupsPerCluster = 30;
    private const int MaxFargateProfilesPerCluster = 10;
    private const int MaxNodesPerNodegroup = 450;

    private Cluster GetCluster(string name) =>
        world.Clusters.TryGetValue(name, out var c) ? c : throw AwsErrorException.NotFound($"No cluster found for name: {name}.", name);

    private Nodegroup GetNodegroup(string clusterName, string name) =>
        GetCluster(clusterName).Nodegroups.TryGetValue(name, out var ng)
            ? ng
            : throw AwsErrorException.NotFound($"No node group found for name: {name}.", clusterName, name);

    private FargateProfile GetProfile(string clusterName, string name) =>
        GetCluster(clusterName).FargateProfiles.TryGetValue(name, out var p)
            ? p
            : throw AwsErrorException.NotFound($"No Fargate Profile found with name: {name}.", clusterName, profile: name);

    /// <summary>IAM is eventually consistent and EKS checks the trust policy: both surface as this error.</summary>
    private void CheckAssumable(string roleArn, string principal, string? cluster, string? nodegroup)
    {
        var name = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var usable = roleArn.StartsWith($"arn:aws:iam::{world.Account}:role/", StringComparison.Ordinal)
            && world.Roles.TryGetValue(name, out var role)
            && role.Arn == roleArn
            && world.Now >= role.UsableAt
            && role.AssumeRolePolicyDocument.Contains(principal, StringComparison.Ordinal);
        if (!usable)
        {
            throw AwsErrorException.InvalidParameter($"Role with arn: {roleArn}, could not be assumed because it does not exist or the trusted entity is not correct", cluster, nodegroup);
        }
    }

    private string CheckClusterSubnets(List<string> subnetIds, string cluster, string? requiredVpc)
    {
        var zones = new HashSet<string>(StringComparer.Ordinal);
        string? vpc = requiredVpc;
        foreach (var id in subnetIds)
        {
            if (!world.Subnets.TryGetValue(id, out var subnet))
            {
                throw AwsErrorException.InvalidParameter($"The subnet ID '{id}' does not exist", cluster);
            }

            vpc ??= subnet.VpcId;
            if (subnet.VpcId != vpc)
            {
                throw AwsErrorException.InvalidParameter("Subnets must all belong to the same VPC", cluster);
            }

            zones.Add(subnet.AvailabilityZone);
        }

        if (zones.Count < 2)
        {
            throw AwsErrorException.InvalidParameter("Subnets specified must be in at least two different AZs", cluster);
        }

        return vpc!;
    }

    private void CheckSecurityGroups(List<string> ids, string vpcId, string cluster)
    {
        if (ids.Count > 5)
        {
            throw AwsErrorException.InvalidParameter("At most 5 security groups can be specified", cluster);
        }

        foreach (var id in ids)
        {
            if (!world.SecurityGroups.TryGetValue(id, out var sg) || sg.VpcId != vpcId)
            {
                throw AwsErrorException.InvalidParameter($"The security group '{id}' does not exist", cluster);
            }
        }
    }

    private static void CheckPublicCidrs(List<string> cidrs, string cluster)
    {
        if (cidrs.Count > 40)
        {
            throw AwsErrorException.InvalidParameter("At most 40 public access CIDR blocks can be specified", cluster);
        }

        foreach (var cidr in cidrs)
        {
            if (!System.Net.IPNetwork.TryParse(cidr, out _))
            {
                throw AwsErrorException.InvalidParameter($"The following CIDRs are invalid in publicAccessCidrs: [{cidr}]", cluster);
            }
        }
    }

    private static void CheckEndpointAccess(bool publicAccess, bool privateAccess, string cluster)
    {
        if (!publicAccess && !privateAccess)
        {
            throw AwsErrorException.InvalidParameter("Cluster must have at least one of endpointPublicAccess or endpointPrivateAccess enabled", cluster);
        }
    }

    private static void CheckServiceCidr(string cidr, string cluster)
    {
        if (!System.Net.IPNetwork.TryParse(cidr, out var network) || network.PrefixLength is < 12 or > 24
            || !(System.Net.IPNetwork.Parse("10.0.0.0/8").Contains(network.BaseAddress) || System.Net.IPNetwork.Parse("172.16.0.0/12").Contains(network.BaseAddress)
                || System.Net.IPNetwork.Parse("192.168.0.0/16").Contains(network.BaseAddress)))
        {
            throw AwsErrorException.InvalidParameter($"The specified serviceIpv4Cidr {cidr} is invalid: it must be a private range with a prefix between /12 and /24", cluster);
        }
    }

    private static void ApplyLogging(SortedSet<string> enabled, JsonObject? logging, string cluster)
    {
        if (logging?["clusterLogging"] is not JsonArray entries)
        {
            return;
        }

        foreach (var entry in entries)
        {
            var setup = entry as JsonObject;
            var on = Json.Bool(setup, "enabled") ?? false;
            foreach (var type in Json.StrList(setup, "types") ?? [])
            {
                if (!LogTypes.Contains(type))
                {
                    throw AwsErrorException.InvalidParameter($"Unsupported log type {type}", cluster);
                }

                _ = on ? enabled.Add(type) : enabled.Remove(type);
            }
        }
    }

    private static void CheckChildName(string name, string member, string cluster)
    {
        if (name.Length > 63 || !ClusterNamePattern().IsMatch(name))
        {
            throw AwsErrorException.InvalidParameter(
                $"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9A-Za-z][A-Za-z0-9\\-_]* and have length between 1 and 63", cluster);
        }
    }

    private static void CheckScaling(int min, int max, int desired, string cluster, string nodegroup)
    {
        if (min < 0 || max < 1 || desired < 0 || max > MaxNodesPerNodegroup)
        {
            throw AwsErrorException.InvalidParameter($"Invalid scaling configuration: minSize must be >= 0, maxSize between 1 and {MaxNodesPerNodegroup}, desiredSize >= 0", cluster, nodegroup);
        }

        if (min > max)
        {
            throw AwsErrorException.InvalidParameter("Minimum capacity cannot be greater than maximum capacity", cluster, nodegroup);
        }

        if (desired > max)
        {
            throw AwsErrorException.InvalidParameter("Desired capacity cannot be greater than maximum capacity", cluster, nodegroup);
        }

        if (desired < min)
        {
            throw AwsErrorException.InvalidParameter("Minimum capacity cannot be greater than desired capacity", cluster, nodegroup);
        }
    }

    private static void CheckLabels(IEnumerable<string> keys, IEnumerable<string> values, string cluster, string nodegroup)
    {
        foreach (var key in keys)
        {
            if (key.Length is 0 or > 63 && !key.Contains('/', StringComparison.Ordinal))
            {
                throw AwsErrorException.InvalidParameter($"Label key {key} must be between 1 and 63 characters", cluster, nodegroup);
            }

            if (ReservedLabelPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
            {
                throw AwsErrorException.InvalidParameter("Label cannot contain reserved prefixes [kubernetes.io/, k8s.io/, eks.amazonaws.com/]", cluster, nodegroup);
            }
        }

        foreach (var value in values)
        {
            if (value.Length is 0 or > 63)
            {
                throw AwsErrorException.InvalidParameter($"Label value {value} must be between 1 and 63 characters", cluster, nodegroup);
            }
        }
    }

    private static List<Taint> ParseTaints(JsonNode? node, string cluster, string nodegroup)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw AwsErrorException.InvalidParameter("taints must be a list", cluster, nodegroup);
        }

        var result = new List<Taint>();
        foreach (var item in array)
        {
            var o = item as JsonObject;
            var key = Json.Str(o, "key");
            var value = Json.Str(o, "value");
            var effect = Json.Str(o, "effect");
            if (key is null || key.Length is 0 or > 63 || value?.Length > 63 || effect is null || !TaintEffects.Contains(effect))
            {
                throw AwsErrorException.InvalidParameter(
                    $"Invalid taint (key: {key}, value: {value}, effect: {effect}); effect must be one of NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE", cluster, nodegroup);
            }

            result.Add(new Taint(key, value, effect));
        }

        return result;
    }

    private static (int? MaxUnavailable, int? MaxUnavailablePercentage) ParseUpdateConfig(JsonObject? config, string cluster, string nodegroup)
    {
        var mu = Json.Int(config, "maxUnavailable");
        var mup = Json.Int(config, "maxUnavailablePercentage");
        if ((mu is not null && mup is not null) || mu is < 1 or > 100 || mup is < 1 or > 100)
        {
            throw AwsErrorException.InvalidParameter("Specify either maxUnavailable or maxUnavailablePercentage, between 1 and 100", cluster, nodegroup);
        }

        if (Json.Str(config, "updateStrategy") is { } strategy && strategy is not ("DEFAULT" or "MINIMAL"))
        {
            throw AwsErrorException.InvalidParameter($"1 validation error detected: Value '{strategy}' at 'updateConfig.updateStrategy' failed to satisfy constraint: Member must satisfy enum value set: [DEFAULT, MINIMAL]", cluster, nodegroup);
        }

        return (mu, mup);
    }

    /// <summary>Node repair: count and percentage thresholds exclude each other.</summary>
    private static void CheckNodeRepair(JsonObject? repair, string cluster, string nodegroup)
    {
        if ((Json.Int(repair, "maxUnhealthyNodeThresholdCount") is not null && Json.Int(repair, "maxUnhealthyNodeThresholdPercentage") is not null)
            || (Json.Int(repair, "maxParallelNodesRepairedCount") is not null && Json.Int(repair, "maxParallelNodesRepairedPercentage") is not null))
        {
            throw AwsErrorException.InvalidParameter("Specify either a count or a percentage for a node repair threshold, not both", cluster, nodegroup);
        }
    }

    [GeneratedRegex(@"^[0-9A-Za-z][A-Za-z0-9\-_]*$")]
    private static partial Regex ClusterNamePattern();
}
