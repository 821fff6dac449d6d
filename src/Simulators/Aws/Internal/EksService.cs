using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>EKS restJson1: routing, rules and lifecycles of clusters, node groups and Fargate profiles.</summary>
internal sealed partial class EksService(World world)
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

    private AwsLifecycleDurations Durations => world.Options.Durations;

    /// <summary>
    /// The operations EKS answers here, matched in order against the method and the decoded path segments; one table
    /// so that the route, the operation's name and its handler cannot drift apart.
    /// </summary>
    private static readonly EksRoute[] Routes =
    [
        new("GET", "clusters", "ListClusters", (eks, call) => eks.ListClusters(call.Query)),
        new("POST", "clusters", "CreateCluster", (eks, call) => eks.CreateCluster(call.Body)),
        new("GET", "clusters/{name}", "DescribeCluster", (eks, call) => new JsonObject { ["cluster"] = eks.ClusterJson(eks.GetCluster(call.Path[0])) }),
        new("DELETE", "clusters/{name}", "DeleteCluster", (eks, call) => eks.DeleteCluster(call.Path[0])),
        new("POST", "clusters/{name}/update-config", "UpdateClusterConfig", (eks, call) => eks.UpdateClusterConfig(call.Path[0], call.Body)),
        new("POST", "clusters/{name}/encryption-config/associate", "AssociateEncryptionConfig", (eks, call) => eks.AssociateEncryptionConfig(call.Path[0], call.Body)),
        new("POST", "clusters/{name}/updates", "UpdateClusterVersion", (eks, call) => eks.UpdateClusterVersion(call.Path[0], call.Body)),
        new("GET", "clusters/{name}/updates", "ListUpdates", (eks, call) => eks.ListUpdates(call.Path[0], call.Query)),
        new("GET", "clusters/{name}/updates/{updateId}", "DescribeUpdate", (eks, call) => eks.DescribeUpdate(call.Path[0], call.Path[1], call.Query)),
        new("POST", "clusters/{clusterName}/node-groups", "CreateNodegroup", (eks, call) => eks.CreateNodegroup(call.Path[0], call.Body)),
        new("GET", "clusters/{clusterName}/node-groups", "ListNodegroups", (eks, call) => eks.ListNodegroups(call.Path[0], call.Query)),
        new("GET", "clusters/{clusterName}/node-groups/{nodegroupName}", "DescribeNodegroup",
            (eks, call) => new JsonObject { ["nodegroup"] = NodegroupJson(eks.GetNodegroup(call.Path[0], call.Path[1])) }),
        new("DELETE", "clusters/{clusterName}/node-groups/{nodegroupName}", "DeleteNodegroup", (eks, call) => eks.DeleteNodegroup(call.Path[0], call.Path[1])),
        new("POST", "clusters/{clusterName}/node-groups/{nodegroupName}/update-config", "UpdateNodegroupConfig",
            (eks, call) => eks.UpdateNodegroupConfig(call.Path[0], call.Path[1], call.Body)),
        new("POST", "clusters/{clusterName}/node-groups/{nodegroupName}/update-version", "UpdateNodegroupVersion",
            (eks, call) => eks.UpdateNodegroupVersion(call.Path[0], call.Path[1], call.Body)),
        new("POST", "clusters/{clusterName}/fargate-profiles", "CreateFargateProfile", (eks, call) => eks.CreateFargateProfile(call.Path[0], call.Body)),
        new("GET", "clusters/{clusterName}/fargate-profiles", "ListFargateProfiles", (eks, call) => eks.ListFargateProfiles(call.Path[0], call.Query)),
        new("GET", "clusters/{clusterName}/fargate-profiles/{fargateProfileName}", "DescribeFargateProfile",
            (eks, call) => new JsonObject { ["fargateProfile"] = ProfileJson(eks.GetProfile(call.Path[0], call.Path[1])) }),
        new("DELETE", "clusters/{clusterName}/fargate-profiles/{fargateProfileName}", "DeleteFargateProfile",
            (eks, call) => eks.DeleteFargateProfile(call.Path[0], call.Path[1])),
        new("POST", "tags/{resourceArn}", "TagResource", (eks, call) => eks.TagResource(call.Path[0], call.Body)),
        new("DELETE", "tags/{resourceArn}", "UntagResource", (eks, call) => eks.UntagResource(call.Path[0], call.Query)),
        new("GET", "tags/{resourceArn}", "ListTagsForResource", (eks, call) => new JsonObject { ["tags"] = Json.Map(eks.TagsOf(call.Path[0])) }),
        new("GET", "cluster-versions", "DescribeClusterVersions", (eks, call) => eks.DescribeClusterVersions(call.Query)),
    ];

    /// <summary>The route for a method and decoded path segments, or null when EKS has no such route.</summary>
    public static EksRoute? Route(string method, IReadOnlyList<string> segments) =>
        Array.Find(Routes, r => r.Matches(method, segments));

    /// <summary>The resource a call is about, for the call log.</summary>
    public static string? ResourceOf(IReadOnlyList<string> seg, JsonObject? body) => seg switch
    {
        ["clusters"] => body?["name"]?.ToString(),
        ["clusters", var c, "node-groups"] => $"{c}/{body?["nodegroupName"]}",
        ["clusters", var c, "fargate-profiles"] => $"{c}/{body?["fargateProfileName"]}",
        ["clusters", var c, "node-groups" or "fargate-profiles", var child, ..] => $"{c}/{child}",
        ["clusters", var c, ..] => c,
        ["tags", var arn] => arn,
        _ => null,
    };

    public JsonNode Handle(EksRoute route, EksCall call)
    {
        lock (world.Gate)
        {
            world.Tick();
            return route.Handler(this, call);
        }
    }

    // ---------------------------------------------------------------- clusters

    private JsonObject CreateCluster(JsonObject? body)
    {
        var name = Json.Required(body, "name");
        if (name.Length > 100 || !ClusterNamePattern().IsMatch(name))
        {
            throw AwsErrorException.InvalidParameter($"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9A-Za-z][A-Za-z0-9\\-_]* and have length between 1 and 100", name);
        }

        var token = Json.Str(body, "clientRequestToken");
        if (token is not null && token.Length is < 33 or > 126)
        {
            throw AwsErrorException.InvalidParameter("The client request token parameter must be between 33 and 126 characters.", name);
        }

        if (Replay("CreateCluster", name, token, body) is { } replay)
        {
            return replay;
        }

        if (world.Clusters.ContainsKey(name))
        {
            throw AwsErrorException.InUse($"Cluster already exists with name: {name}", name);
        }

        if (world.Clusters.Count >= world.Options.ClusterQuota)
        {
            throw AwsErrorException.LimitExceeded($"Cluster limit exceeded for account {world.Account} in region {world.Region}: {world.Options.ClusterQuota}", name);
        }

        var version = Json.Str(body, "version") ?? world.Options.DefaultVersion;
        if (!world.Options.SupportedVersions.Contains(version))
        {
            throw AwsErrorException.InvalidParameter("unsupported Kubernetes version", name);
        }

        var roleArn = Json.Required(body, "roleArn", name);
        CheckAssumable(roleArn, "eks.amazonaws.com", name, null);

        var vpcConfig = Json.Obj(body, "resourcesVpcConfig") ?? throw AwsErrorException.InvalidParameter("resourcesVpcConfig is required.", name);
        var subnetIds = Json.StrList(vpcConfig, "subnetIds") ?? [];
        var vpcId = CheckClusterSubnets(subnetIds, name, requiredVpc: null);
        var securityGroupIds = Json.StrList(vpcConfig, "securityGroupIds") ?? [];
        CheckSecurityGroups(securityGroupIds, vpcId, name);
        var publicCidrs = Json.StrList(vpcConfig, "publicAccessCidrs") ?? ["0.0.0.0/0"];
        CheckPublicCidrs(publicCidrs, name);
        var publicAccess = Json.Bool(vpcConfig, "endpointPublicAccess") ?? true;
        var privateAccess = Json.Bool(vpcConfig, "endpointPrivateAccess") ?? false;
        CheckEndpointAccess(publicAccess, privateAccess, name);

        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, name, forTagApi: false);

        var network = Json.Obj(body, "kubernetesNetworkConfig");
        var serviceCidr = Json.Str(network, "serviceIpv4Cidr") ?? "10.100.0.0/16";
        CheckServiceCidr(serviceCidr, name);
        var ipFamily = Json.Str(network, "ipFamily") ?? "ipv4";
        if (ipFamily is not ("ipv4" or "ipv6"))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported ipFamily {ipFamily}", name);
        }

        var access = Json.Obj(body, "accessConfig");
        var authMode = Json.Str(access, "authenticationMode") ?? "CONFIG_MAP";
        if (!AuthModes.Contains(authMode))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported authentication mode {authMode}", name);
        }

        var supportType = Json.Str(Json.Obj(body, "upgradePolicy"), "supportType") ?? "EXTENDED";
        if (supportType is not ("STANDARD" or "EXTENDED"))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported support type {supportType}", name);
        }

        var logTypes = new SortedSet<string>(StringComparer.Ordinal);
        ApplyLogging(logTypes, Json.Obj(body, "logging"), name);
        if (body?["encryptionConfig"] is JsonArray { Count: > 1 })
        {
            throw AwsErrorException.InvalidParameter("Only one encryption configuration is allowed.", name);
        }

        var now = world.Now;
        var clusterSg = world.AddSecurityGroup(
            $"eks-cluster-sg-{name}-{world.NewHex(10)}",
            "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
            vpcId,
            ingressFromSelf: true,
            new(StringComparer.Ordinal) { ["aws:eks:cluster-name"] = name, [$"kubernetes.io/cluster/{name}"] = "owned", ["Name"] = $"eks-cluster-sg-{name}" });
        var cluster = new Cluster
        {
            Name = name,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:cluster/{name}",
            Id = world.NewHex(32, upper: true),
            CreatedAt = now,
            Version = version,
            PlatformVersion = world.Versions.PlatformVersionOf(version),
            RoleArn = roleArn,
            TransitionAt = world.Schedule(now + world.Scaled(Durations.ClusterCreate)),
            SubnetIds = subnetIds,
            SecurityGroupIds = securityGroupIds,
            EndpointPublicAccess = publicAccess,
            EndpointPrivateAccess = privateAccess,
            PublicAccessCidrs = publicCidrs,
            ClusterSecurityGroupId = clusterSg.Id,
            VpcId = vpcId,
            ServiceIpv4Cidr = serviceCidr,
            IpFamily = ipFamily,
            ElasticLoadBalancing = network?["elasticLoadBalancing"]?.DeepClone(),
            EnabledLogTypes = logTypes,
            AuthenticationMode = authMode,
            BootstrapClusterCreatorAdminPermissions = Json.Bool(access, "bootstrapClusterCreatorAdminPermissions") ?? true,
            SupportType = supportType,
            EncryptionConfig = body?["encryptionConfig"]?.DeepClone(),
            DeletionProtection = Json.Bool(body, "deletionProtection") ?? false,
            BootstrapSelfManagedAddons = Json.Bool(body, "bootstrapSelfManagedAddons"),
            ClientRequestToken = token,
            Tags = tags,
        };
        world.Clusters[name] = cluster;
        var response = new JsonObject { ["cluster"] = ClusterJson(cluster) };
        Remember("CreateCluster", name, token, body, response, () => world.Clusters.TryGetValue(name, out var c) ? new JsonObject { ["cluster"] = ClusterJson(c) } : null);
        return response;
    }

    private JsonObject ListClusters(IReadOnlyDictionary<string, List<string>> query)
    {
        var (page, next) = Page([.. world.Clusters.Keys], query);
        return new JsonObject { ["clusters"] = Json.Array(page), ["nextToken"] = next };
    }

    /// <summary>
    /// GET /cluster-versions. Without includeAll only versions still in (standard or extended) support are listed;
    /// naming versions (clusterVersions) or a status shows them whatever their support (inferred: EKS does not say).
    /// </summary>
    private JsonObject DescribeClusterVersions(IReadOnlyDictionary<string, List<string>> query)
    {
        var now = world.Now;
        var clusterType = query.GetValueOrDefault("clusterType")?[0];
        var defaultOnly = QueryBool(query, "defaultOnly");
        var includeAll = QueryBool(query, "includeAll");
        var named = query.GetValueOrDefault("clusterVersions");
        var wantedStatus = VersionStatusFilter(query);

        var rows = world.Versions.Rows.Where(r =>
            (clusterType is null || clusterType == "eks") // the only cluster type EKS lists (inferred)
            && (!defaultOnly || r.Version == world.Options.DefaultVersion)
            && (named is null || named.Contains(r.Version, StringComparer.Ordinal))
            && (wantedStatus is null ? includeAll || named is not null || r.StatusAt(now) != "UNSUPPORTED" : r.StatusAt(now) == wantedStatus)).ToList();
        var (page, next) = Page([.. rows.Select(r => r.Version)], query);
        var items = new JsonArray();
        foreach (var row in page.Select(v => world.Versions.Find(v)!))
        {
            var status = row.StatusAt(now);
            items.Add(new JsonObject
            {
                ["clusterVersion"] = row.Version,
                ["clusterType"] = "eks",
                ["defaultPlatformVersion"] = row.PlatformVersion,
                ["defaultVersion"] = row.Version == world.Options.DefaultVersion,
                ["releaseDate"] = Json.Epoch(row.ReleaseDate),
                ["endOfStandardSupportDate"] = Json.Epoch(row.EndOfStandardSupport),
                ["endOfExtendedSupportDate"] = Json.Epoch(row.EndOfExtendedSupport),
                // The deprecated status carries versionStatus's spelling, not its own model enum's lower-case one: the
                // reason the model gives for deprecating it is that only versionStatus matches between input and output.
                ["status"] = status,
                ["versionStatus"] = status,
                ["kubernetesPatchVersion"] = row.KubernetesPatchVersion,
            });
        }

        return new JsonObject { ["clusterVersions"] = items, ["nextToken"] = next };
    }

    /// <summary>versionStatus (UNSUPPORTED…) or the deprecated status (unsupported, standard-support, extended-support), as a VersionStatus.</summary>
    private static string? VersionStatusFilter(IReadOnlyDictionary<string, List<string>> query)
    {
        if (query.GetValueOrDefault("versionStatus")?[0] is { } versionStatus)
        {
            return versionStatus is "UNSUPPORTED" or "STANDARD_SUPPORT" or "EXTENDED_SUPPORT"
                ? versionStatus
                : throw AwsErrorException.InvalidParameter($"Invalid versionStatus: {versionStatus}. Valid values: UNSUPPORTED, STANDARD_SUPPORT, EXTENDED_SUPPORT");
        }

        return query.GetValueOrDefault("status")?[0] switch
        {
            null => null,
            "unsupported" => "UNSUPPORTED",
            "standard-support" => "STANDARD_SUPPORT",
            "extended-support" => "EXTENDED_SUPPORT",
            var other => throw AwsErrorException.InvalidParameter($"Invalid status: {other}. Valid values: unsupported, standard-support, extended-support"),
        };
    }

    private static bool QueryBool(IReadOnlyDictionary<string, List<string>> query, string name) =>
        query.GetValueOrDefault(name)?[0] switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw AwsErrorException.InvalidParameter($"Invalid value for {name}: {other}. It must be true or false."),
        };

    private JsonObject DeleteCluster(string name)
    {
        var c = GetCluster(name);
        if (c.Status == "DELETING")
        {
            return new JsonObject { ["cluster"] = ClusterJson(c) };
        }

        if (c.DeletionProtection)
        {
            throw AwsErrorException.InvalidRequest($"Cluster {name} has deletion protection enabled; disable it with UpdateClusterConfig before deleting", name);
        }

        if (c.Nodegroups.Count > 0)
        {
            throw AwsErrorException.InUse("Cluster has nodegroups attached", name, c.Nodegroups.Keys.First());
        }

        if (c.FargateProfiles.Count > 0)
        {
            throw AwsErrorException.InUse("Cluster has fargate profiles attached", name);
        }

        if (c.Status == "CREATING")
        {
            throw AwsErrorException.InUse($"Cannot delete cluster {name} while it is in CREATING state", name);
        }

        if (c.InFlightClusterUpdate is { } inFlight)
        {
            throw AwsErrorException.InUse($"Cannot delete because cluster {name} currently has update {inFlight.Id} in progress", name);
        }

        c.Status = "DELETING";
        c.TransitionAt = world.Schedule(world.Now + world.Scaled(Durations.ClusterDelete));
        return new JsonObject { ["cluster"] = ClusterJson(c) };
    }

    // Secrets encryption can only be added, once (EKS: AssociateEncryptionConfig, update type AssociateEncryptionConfig).
    private JsonObject AssociateEncryptionConfig(string name, JsonObject? body)
    {
        var c = GetCluster(name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("AssociateEncryptionConfig", name, token, body) is { } replay)
        {
            return replay;
        }

        if (body?["encryptionConfig"] is not JsonArray { Count: 1 } config)
        {
            throw AwsErrorException.InvalidParameter("encryptionConfig must contain exactly one configuration", name);
        }

        if (c.EncryptionConfig is not null)
        {
            throw AwsErrorException.InvalidParameter($"Cluster {name} already has encryption configured; it cannot be changed", name);
        }

        RequireUpdatable(c, "AssociateEncryptionConfig");
        var update = StartUpdate(c, "AssociateEncryptionConfig", [new("EncryptionConfig", config.ToJsonString())],
            world.Scaled(Durations.ClusterConfigUpdate), () => c.EncryptionConfig = config.DeepClone(), nodegroup: null);
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("AssociateEncryptionConfig", name, token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    private JsonObject UpdateClusterConfig(string name, JsonObject? body)
    {
        var c = GetCluster(name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateClusterConfig", name, token, body) is { } replay)
        {
            return replay;
        }

        var vpc = Json.Obj(body, "resourcesVpcConfig");
        var kinds = new List<string>();
        if (vpc is not null && (vpc.ContainsKey("endpointPublicAccess") || vpc.ContainsKey("endpointPrivateAccess") || vpc.ContainsKey("publicAccessCidrs")))
        {
            kinds.Add("EndpointAccessUpdate");
        }

        if (vpc is not null && (vpc.ContainsKey("subnetIds") || vpc.ContainsKey("securityGroupIds")))
        {
            kinds.Add("VpcConfigUpdate");
        }

        if (body?.ContainsKey("logging") == true)
        {
            kinds.Add("LoggingUpdate");
        }

        if (body?.ContainsKey("accessConfig") == true)
        {
            kinds.Add("AccessConfigUpdate");
        }

        if (body?.ContainsKey("upgradePolicy") == true)
        {
            kinds.Add("UpgradePolicyUpdate");
        }

        if (body?.ContainsKey("deletionProtection") == true)
        {
            kinds.Add("DeletionProtectionUpdate");
        }

        if (kinds.Count > 1)
        {
            throw AwsErrorException.InvalidParameter("Only one type of update can be allowed.", name);
        }

        if (kinds.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("No changes needed for the cluster config provided", name);
        }

        var type = kinds[0];
        RequireUpdatable(c, type);
        var parameters = new List<KeyValuePair<string, string>>();
        Action apply;
        switch (type)
        {
            case "EndpointAccessUpdate":
            {
                var pub = Json.Bool(vpc, "endpointPublicAccess") ?? c.EndpointPublicAccess;
                var priv = Json.Bool(vpc, "endpointPrivateAccess") ?? c.EndpointPrivateAccess;
                var cidrs = Json.StrList(vpc, "publicAccessCidrs") ?? c.PublicAccessCidrs;
                CheckEndpointAccess(pub, priv, name);
                CheckPublicCidrs(cidrs, name);
                if (pub == c.EndpointPublicAccess && priv == c.EndpointPrivateAccess && cidrs.SequenceEqual(c.PublicAccessCidrs))
                {
                    throw AwsErrorException.InvalidParameter(
                        $"Cluster is already at the desired configuration with endpointPrivateAccess: {Lower(priv)} , endpointPublicAccess: {Lower(pub)}, and Public Endpoint Restrictions: [{string.Join(", ", cidrs)}]", name);
                }

                parameters.Add(new("EndpointPublicAccess", Lower(pub)));
                parameters.Add(new("EndpointPrivateAccess", Lower(priv)));
                parameters.Add(new("PublicAccessCidrs", Json.Array(cidrs).ToJsonString()));
                apply = () => (c.EndpointPublicAccess, c.EndpointPrivateAccess, c.PublicAccessCidrs) = (pub, priv, cidrs);
                break;
            }

            case "VpcConfigUpdate":
            {
                var subnets = Json.StrList(vpc, "subnetIds") ?? c.SubnetIds;
                var groups = Json.StrList(vpc, "securityGroupIds") ?? c.SecurityGroupIds;
                CheckClusterSubnets(subnets, name, c.VpcId);
                CheckSecurityGroups(groups, c.VpcId, name);
                if (vpc!.ContainsKey("subnetIds"))
                {
                    parameters.Add(new("Subnets", Json.Array(subnets).ToJsonString()));
                }

                if (vpc.ContainsKey("securityGroupIds"))
                {
                    parameters.Add(new("SecurityGroups", Json.Array(groups).ToJsonString()));
                }

                apply = () => (c.SubnetIds, c.SecurityGroupIds) = (subnets, groups);
                break;
            }

            case "LoggingUpdate":
            {
                var types = new SortedSet<string>(c.EnabledLogTypes, StringComparer.Ordinal);
                ApplyLogging(types, Json.Obj(body, "logging"), name);
                if (types.SetEquals(c.EnabledLogTypes))
                {
                    throw AwsErrorException.InvalidParameter("No changes needed for the logging config provided", name);
                }

                var logging = LoggingJson(types);
                parameters.Add(new("ClusterLogging", logging["clusterLogging"]!.ToJsonString()));
                apply = () => c.EnabledLogTypes = types;
                break;
            }

            case "AccessConfigUpdate":
            {
                var mode = Json.Str(Json.Obj(body, "accessConfig"), "authenticationMode");
                if (mode is null || !AuthModes.Contains(mode))
                {
                    throw AwsErrorException.InvalidParameter($"Unsupported authentication mode {mode}", name);
                }

                // One-way street: CONFIG_MAP → API_AND_CONFIG_MAP → API.
                if (Array.IndexOf(AuthModes, mode) <= Array.IndexOf(AuthModes, c.AuthenticationMode))
                {
                    throw AwsErrorException.InvalidParameter($"Unsupported authentication mode update from {c.AuthenticationMode} to {mode}", name);
                }

                parameters.Add(new("AuthenticationMode", mode));
                apply = () => c.AuthenticationMode = mode;
                break;
            }

            case "DeletionProtectionUpdate":
            {
                var protection = Json.Bool(body, "deletionProtection") ?? false;
                if (protection == c.DeletionProtection)
                {
                    throw AwsErrorException.InvalidParameter($"Cluster already has deletion protection {Lower(protection)}", name);
                }

                parameters.Add(new("DeletionProtection", Lower(protection)));
                apply = () => c.DeletionProtection = protection;
                break;
            }

            default:
            {
                var support = Json.Str(Json.Obj(body, "upgradePolicy"), "supportType");
                if (support is not ("STANDARD" or "EXTENDED"))
                {
                    throw AwsErrorException.InvalidParameter($"Unsupported support type {support}", name);
                }

                if (support == c.SupportType)
                {
                    throw AwsErrorException.InvalidParameter($"Cluster already has upgrade policy support type {support}", name);
                }

                parameters.Add(new("UpgradePolicy", new JsonObject { ["supportType"] = support }.ToJsonString()));
                apply = () => c.SupportType = support;
                break;
            }
        }

        var update = StartUpdate(c, type, parameters, world.Scaled(Durations.ClusterConfigUpdate), apply, nodegroup: null);
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateClusterConfig", name, token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    private JsonObject UpdateClusterVersion(string name, JsonObject? body)
    {
        var c = GetCluster(name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateClusterVersion", name, token, body) is { } replay)
        {
            return replay;
        }

        var version = Json.Required(body, "version", name);
        RequireUpdatable(c, "VersionUpdate");
        if (!world.Options.SupportedVersions.Contains(version))
        {
            throw AwsErrorException.InvalidParameter("unsupported Kubernetes version", name);
        }

        if (Minor(version) != Minor(c.Version) + 1 || Major(version) != Major(c.Version))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported Kubernetes minor version update from {c.Version} to {version}", name);
        }

        var behind = c.Nodegroups.Values.Where(n => n.Status != "DELETING" && n.Version != c.Version).Select(n => n.Name).ToList();
        if (behind.Count > 0)
        {
            throw AwsErrorException.InvalidParameter(
                $"Nodegroups {string.Join(", ", behind)} must be updated to match cluster version {c.Version} before updating cluster version", name, behind[0]);
        }

        var platformVersion = world.Versions.PlatformVersionOf(version);
        var parameters = new List<KeyValuePair<string, string>> { new("Version", version), new("PlatformVersion", platformVersion) };
        var update = StartUpdate(c, "VersionUpdate", parameters, world.Scaled(Durations.ClusterVersionUpdate), () =>
        {
            c.Version = version;
            c.PlatformVersion = platformVersion;
        }, nodegroup: null);
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateClusterVersion", name, token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    private JsonObject ListUpdates(string name, IReadOnlyDictionary<string, List<string>> query)
    {
        var c = GetCluster(name);
        var nodegroup = query.TryGetValue("nodegroupName", out var ng) ? ng[0] : null;
        if (nodegroup is not null)
        {
            GetNodegroup(name, nodegroup);
        }

        var ids = c.Updates.Where(u => u.Nodegroup == nodegroup).Select(u => u.Id).ToList();
        var (page, next) = Page(ids, query);
        return new JsonObject { ["updateIds"] = Json.Array(page), ["nextToken"] = next };
    }

    private JsonObject DescribeUpdate(string name, string updateId, IReadOnlyDictionary<string, List<string>> query)
    {
        var c = GetCluster(name);
        var nodegroup = query.TryGetValue("nodegroupName", out var ng) ? ng[0] : null;
        var update = c.Updates.Find(u => u.Id == updateId && u.Nodegroup == nodegroup)
            ?? throw AwsErrorException.NotFound($"No update found for ID: {updateId}", name, nodegroup);
        return new JsonObject { ["update"] = UpdateJson(update) };
    }

    // ---------------------------------------------------------------- node groups

    private JsonObject CreateNodegroup(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var name = Json.Required(body, "nodegroupName", clusterName);
        CheckChildName(name, "nodegroupName", clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreateNodegroup", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        if (c.Nodegroups.ContainsKey(name))
        {
            throw AwsErrorException.InUse($"NodeGroup already exists with name {name} and cluster name {clusterName}", clusterName, name);
        }

        if (c.Status is not ("ACTIVE" or "UPDATING"))
        {
            throw AwsErrorException.InvalidRequest($"Cluster '{clusterName}' is not in ACTIVE status", clusterName, name);
        }

        if (c.Nodegroups.Count >= MaxNodegroupsPerCluster)
        {
            throw AwsErrorException.LimitExceeded($"Nodegroups limit of {MaxNodegroupsPerCluster} reached for cluster {clusterName}", clusterName, name);
        }

        var version = Json.Str(body, "version") ?? c.Version;
        if (version != c.Version)
        {
            throw AwsErrorException.InvalidParameter(
                $"Nodegroup Kubernetes version should be equal to Cluster kubernetes version {c.Version} or NodeGroup kubernetes version {c.Version}", clusterName, name);
        }

        var nodeRole = Json.Required(body, "nodeRole", clusterName);
        CheckAssumable(nodeRole, "ec2.amazonaws.com", clusterName, name);
        var subnets = Json.StrList(body, "subnets") ?? throw AwsErrorException.InvalidParameter("subnets is required.", clusterName, name);
        if (subnets.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("Subnets are required", clusterName, name);
        }

        foreach (var s in subnets)
        {
            if (!world.Subnets.TryGetValue(s, out var subnet) || subnet.VpcId != c.VpcId)
            {
                throw AwsErrorException.InvalidParameter($"The subnet ID '{s}' does not exist", clusterName, name);
            }
        }

        var scaling = Json.Obj(body, "scalingConfig");
        var (min, max, desired) = (Json.Int(scaling, "minSize") ?? 1, Json.Int(scaling, "maxSize") ?? 2, Json.Int(scaling, "desiredSize") ?? Json.Int(scaling, "minSize") ?? 2);
        CheckScaling(min, max, desired, clusterName, name);

        var launchTemplate = Json.Obj(body, "launchTemplate");
        var amiType = Json.Str(body, "amiType") ?? (launchTemplate is null ? "AL2023_x86_64_STANDARD" : "CUSTOM");
        if (!AmiTypes.Contains(amiType))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported AMI type {amiType}", clusterName, name);
        }

        if (amiType.StartsWith("AL2_", StringComparison.Ordinal) && Minor(version) >= 33)
        {
            throw AwsErrorException.InvalidParameter($"AMI Type {amiType} is only supported for kubernetes versions 1.32 or earlier", clusterName, name);
        }

        var capacityType = Json.Str(body, "capacityType") ?? "ON_DEMAND";
        if (!CapacityTypes.Contains(capacityType))
        {
            throw AwsErrorException.InvalidParameter($"Unsupported capacity type {capacityType}", clusterName, name);
        }

        var labels = Json.StrMap(body, "labels") ?? new(StringComparer.Ordinal);
        CheckLabels(labels.Keys, labels.Values, clusterName, name);
        var taints = ParseTaints(body?["taints"], clusterName, name);
        if (taints.Count > 50)
        {
            throw AwsErrorException.InvalidParameter("A nodegroup can have at most 50 taints", clusterName, name);
        }

        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        var updateConfig = Json.Obj(body, "updateConfig");
        var (maxUnavailable, maxUnavailablePct) = ParseUpdateConfig(updateConfig, clusterName, name);
        var releaseVersion = Json.Str(body, "releaseVersion") ?? LatestRelease(version);

        var now = world.Now;
        var uuid = world.NewUuid();
        var ng = new Nodegroup
        {
            Name = name,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:nodegroup/{clusterName}/{name}/{uuid}",
            ClusterName = clusterName,
            Uuid = uuid,
            Version = version,
            ReleaseVersion = releaseVersion,
            CreatedAt = now,
            ModifiedAt = now,
            TransitionAt = world.Schedule(now + world.Scaled(Durations.NodegroupCreate)),
            CapacityType = capacityType,
            MinSize = min,
            MaxSize = max,
            DesiredSize = desired,
            InstanceTypes = Json.StrList(body, "instanceTypes") ?? (launchTemplate is null ? ["t3.medium"] : null),
            Subnets = subnets,
            RemoteAccess = body?["remoteAccess"]?.DeepClone(),
            AmiType = amiType,
            NodeRole = nodeRole,
            Labels = labels,
            Taints = taints,
            DiskSize = Json.Int(body, "diskSize") ?? (launchTemplate is null ? (amiType.StartsWith("WINDOWS", StringComparison.Ordinal) ? 50 : 20) : null),
            MaxUnavailable = maxUnavailable ?? (maxUnavailablePct is null ? 1 : null),
            MaxUnavailablePercentage = maxUnavailablePct,
            UpdateStrategy = Json.Str(updateConfig, "updateStrategy"),
            LaunchTemplate = launchTemplate?.DeepClone(),
            NodeRepairConfig = body?["nodeRepairConfig"]?.DeepClone(),
            Tags = tags,
        };
        c.Nodegroups[name] = ng;
        var response = new JsonObject { ["nodegroup"] = NodegroupJson(ng) };
        Remember("CreateNodegroup", $"{clusterName}/{name}", token, body, response,
            () => c.Nodegroups.TryGetValue(name, out var current) ? new JsonObject { ["nodegroup"] = NodegroupJson(current) } : null);
        return response;
    }

    private JsonObject ListNodegroups(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var (page, next) = Page([.. GetCluster(clusterName).Nodegroups.Keys], query);
        return new JsonObject { ["nodegroups"] = Json.Array(page), ["nextToken"] = next };
    }

    private JsonObject DeleteNodegroup(string clusterName, string name)
    {
        var c = GetCluster(clusterName);
        var ng = GetNodegroup(clusterName, name);
        if (ng.Status != "DELETING")
        {
            foreach (var u in c.Updates.Where(u => u.Nodegroup == name && u.Status == "InProgress"))
            {
                u.Status = "Cancelled";
            }

            ng.Status = "DELETING";
            ng.ModifiedAt = world.Now;
            ng.TransitionAt = world.Schedule(world.Now + world.Scaled(Durations.NodegroupDelete));
        }

        return new JsonObject { ["nodegroup"] = NodegroupJson(ng) };
    }

    private JsonObject UpdateNodegroupConfig(string clusterName, string name, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var ng = GetNodegroup(clusterName, name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateNodegroupConfig", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        RequireNodegroupUpdatable(c, ng);
        var parameters = new List<KeyValuePair<string, string>>();
        var apply = new List<Action>();

        if (Json.Obj(body, "scalingConfig") is { } scaling)
        {
            var min = Json.Int(scaling, "minSize") ?? ng.MinSize;
            var max = Json.Int(scaling, "maxSize") ?? ng.MaxSize;
            var desired = Json.Int(scaling, "desiredSize") ?? ng.DesiredSize;
            CheckScaling(min, max, desired, clusterName, name);
            AddIfPresent(parameters, scaling, "minSize", "MinSize");
            AddIfPresent(parameters, scaling, "maxSize", "MaxSize");
            AddIfPresent(parameters, scaling, "desiredSize", "DesiredSize");
            apply.Add(() => (ng.MinSize, ng.MaxSize, ng.DesiredSize) = (min, max, desired));
        }

        if (Json.Obj(body, "labels") is { } labels)
        {
            var add = Json.StrMap(labels, "addOrUpdateLabels") ?? new(StringComparer.Ordinal);
            var remove = Json.StrList(labels, "removeLabels") ?? [];
            CheckLabels(add.Keys, add.Values, clusterName, name);
            if (add.Keys.Intersect(remove, StringComparer.Ordinal).Any())
            {
                throw AwsErrorException.InvalidParameter("The same label key cannot be both added and removed", clusterName, name);
            }

            if (add.Count > 0)
            {
                parameters.Add(new("LabelsToAdd", Json.Map(add).ToJsonString()));
            }

            if (remove.Count > 0)
            {
                parameters.Add(new("LabelsToRemove", Json.Array(remove).ToJsonString()));
            }

            apply.Add(() =>
            {
                foreach (var key in remove)
                {
                    ng.Labels.Remove(key);
                }

                foreach (var (k, v) in add)
                {
                    ng.Labels[k] = v;
                }
            });
        }

        if (Json.Obj(body, "taints") is { } taints)
        {
            var add = ParseTaints(taints["addOrUpdateTaints"], clusterName, name);
            var remove = ParseTaints(taints["removeTaints"], clusterName, name);
            var merged = ng.Taints.Where(t => !remove.Exists(r => r.Key == t.Key && r.Effect == t.Effect) && !add.Exists(a => a.Key == t.Key && a.Effect == t.Effect)).Concat(add).ToList();
            if (merged.Count > 50)
            {
                throw AwsErrorException.InvalidParameter("A nodegroup can have at most 50 taints", clusterName, name);
            }

            if (add.Count > 0)
            {
                parameters.Add(new("TaintsToAdd", TaintsJson(add).ToJsonString()));
            }

            if (remove.Count > 0)
            {
                parameters.Add(new("TaintsToRemove", TaintsJson(remove).ToJsonString()));
            }

            apply.Add(() => ng.Taints = merged);
        }

        if (Json.Obj(body, "updateConfig") is { } updateConfig)
        {
            var (mu, mup) = ParseUpdateConfig(updateConfig, clusterName, name);
            var strategy = Json.Str(updateConfig, "updateStrategy");
            AddIfPresent(parameters, updateConfig, "maxUnavailable", "MaxUnavailable");
            AddIfPresent(parameters, updateConfig, "maxUnavailablePercentage", "MaxUnavailablePercentage");
            AddIfPresent(parameters, updateConfig, "updateStrategy", "UpdateStrategy");
            apply.Add(() =>
            {
                if (mu is not null || mup is not null)
                {
                    (ng.MaxUnavailable, ng.MaxUnavailablePercentage) = (mu, mup);
                }

                ng.UpdateStrategy = strategy ?? ng.UpdateStrategy;
            });
        }

        if (body?["nodeRepairConfig"] is JsonObject repair)
        {
            parameters.Add(new("NodeRepairConfig", repair.ToJsonString()));
            var copy = repair.DeepClone();
            apply.Add(() => ng.NodeRepairConfig = copy);
        }

        if (parameters.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("No changes needed for the nodegroup config provided", clusterName, name);
        }

        var update = StartUpdate(c, "ConfigUpdate", parameters, world.Scaled(Durations.NodegroupConfigUpdate), () =>
        {
            apply.ForEach(a => a());
            ng.ModifiedAt = world.Now;
        }, nodegroup: name);
        ng.Status = "UPDATING";
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateNodegroupConfig", $"{clusterName}/{name}", token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    private JsonObject UpdateNodegroupVersion(string clusterName, string name, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var ng = GetNodegroup(clusterName, name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateNodegroupVersion", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        RequireNodegroupUpdatable(c, ng);
        if (c.InFlightClusterUpdate is { Type: "VersionUpdate" } clusterUpdate)
        {
            throw AwsErrorException.InUse($"Cannot update nodegroup {name} because cluster {clusterName} currently has update {clusterUpdate.Id} in progress", clusterName, name);
        }

        var version = Json.Str(body, "version") ?? c.Version;
        if (Minor(version) > Minor(c.Version) || Major(version) != Major(c.Version))
        {
            throw AwsErrorException.InvalidParameter(
                $"Nodegroup Kubernetes version should be equal to Cluster kubernetes version {c.Version} or NodeGroup kubernetes version {ng.Version}", clusterName, name);
        }

        if (Minor(version) < Minor(ng.Version))
        {
            throw AwsErrorException.InvalidParameter($"Requested Nodegroup version {version} is older than current Nodegroup version {ng.Version}", clusterName, name);
        }

        var releaseVersion = Json.Str(body, "releaseVersion") ?? LatestRelease(version);
        if (!releaseVersion.StartsWith(version + ".", StringComparison.Ordinal))
        {
            throw AwsErrorException.InvalidParameter($"Release version {releaseVersion} does not match Kubernetes version {version}", clusterName, name);
        }

        var launchTemplate = Json.Obj(body, "launchTemplate");
        if (launchTemplate is not null && ng.LaunchTemplate is null)
        {
            throw AwsErrorException.InvalidParameter("A launch template cannot be added to a nodegroup that was created without one", clusterName, name);
        }

        var parameters = new List<KeyValuePair<string, string>> { new("Version", version), new("ReleaseVersion", releaseVersion) };
        if (Json.Str(launchTemplate, "version") is { } ltVersion)
        {
            parameters.Add(new("LaunchTemplateVersion", ltVersion));
        }

        var duration = world.Scaled(Durations.NodegroupVersionUpdate + (Durations.NodegroupVersionUpdatePerNode * ng.DesiredSize));
        var update = StartUpdate(c, "VersionUpdate", parameters, duration, () =>
        {
            ng.Version = version;
            ng.ReleaseVersion = releaseVersion;
            if (launchTemplate is not null && ng.LaunchTemplate is JsonObject lt && Json.Str(launchTemplate, "version") is { } v)
            {
                lt["version"] = v;
            }

            ng.ModifiedAt = world.Now;
        }, nodegroup: name);
        ng.Status = "UPDATING";
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateNodegroupVersion", $"{clusterName}/{name}", token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    // ---------------------------------------------------------------- Fargate profiles

    private JsonObject CreateFargateProfile(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var name = Json.Required(body, "fargateProfileName", clusterName);
        CheckChildName(name, "fargateProfileName", clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreateFargateProfile", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        if (c.FargateProfiles.ContainsKey(name))
        {
            throw AwsErrorException.InUse("A Fargate Profile already exists with this name in this cluster.", clusterName);
        }

        if (c.Status is not ("ACTIVE" or "UPDATING"))
        {
            throw AwsErrorException.InvalidRequest($"Cluster '{clusterName}' is not in ACTIVE status", clusterName);
        }

        if (c.FargateProfiles.Values.FirstOrDefault(p => p.Status is "CREATING" or "DELETING") is { } busy)
        {
            throw AwsErrorException.InUse($"Cannot create Fargate Profile {name} because cluster {clusterName} currently has Fargate profile {busy.Name} in status {busy.Status}", clusterName);
        }

        if (c.FargateProfiles.Count >= MaxFargateProfilesPerCluster)
        {
            throw AwsErrorException.LimitExceeded($"Fargate profile limit of {MaxFargateProfilesPerCluster} reached for cluster {clusterName}", clusterName);
        }

        var roleArn = Json.Required(body, "podExecutionRoleArn", clusterName);
        CheckAssumable(roleArn, "eks-fargate-pods.amazonaws.com", clusterName, null);

        var selectors = body?["selectors"] as JsonArray ?? [];
        if (selectors.Count is 0 or > 5)
        {
            throw AwsErrorException.InvalidParameter("A Fargate Profile must have between 1 and 5 selectors", clusterName, profile: name);
        }

        foreach (var selector in selectors)
        {
            var sel = selector as JsonObject;
            if (string.IsNullOrEmpty(Json.Str(sel, "namespace")))
            {
                throw AwsErrorException.InvalidParameter("Fargate Profile selector must specify a namespace", clusterName, profile: name);
            }

            if ((Json.StrMap(sel, "labels")?.Count ?? 0) > 5)
            {
                throw AwsErrorException.InvalidParameter("A Fargate Profile selector can have at most 5 labels", clusterName, profile: name);
            }
        }

        var subnets = Json.StrList(body, "subnets") ?? [.. c.SubnetIds.Where(s => world.Subnets.TryGetValue(s, out var sn) && sn.Private)];
        if (subnets.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("Fargate Profile requires at least one private subnet", clusterName, profile: name);
        }

        foreach (var s in subnets)
        {
            if (!world.Subnets.TryGetValue(s, out var subnet) || subnet.VpcId != c.VpcId)
            {
                throw AwsErrorException.InvalidParameter($"The subnet ID '{s}' does not exist", clusterName, profile: name);
            }

            if (!subnet.Private)
            {
                throw AwsErrorException.InvalidParameter($"Subnet {s} provided in Fargate Profile is not a private subnet", clusterName, profile: name);
            }
        }

        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        var now = world.Now;
        var profile = new FargateProfile
        {
            Name = name,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:fargateprofile/{clusterName}/{name}/{world.NewUuid()}",
            ClusterName = clusterName,
            CreatedAt = now,
            PodExecutionRoleArn = roleArn,
            Subnets = subnets,
            Selectors = (JsonArray)selectors.DeepClone(),
            TransitionAt = world.Schedule(now + world.Scaled(Durations.FargateProfileCreate)),
            Tags = tags,
        };
        c.FargateProfiles[name] = profile;
        var response = new JsonObject { ["fargateProfile"] = ProfileJson(profile) };
        Remember("CreateFargateProfile", $"{clusterName}/{name}", token, body, response,
            () => c.FargateProfiles.TryGetValue(name, out var p) ? new JsonObject { ["fargateProfile"] = ProfileJson(p) } : null);
        return response;
    }

    private JsonObject ListFargateProfiles(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var (page, next) = Page([.. GetCluster(clusterName).FargateProfiles.Keys], query);
        return new JsonObject { ["fargateProfileNames"] = Json.Array(page), ["nextToken"] = next };
    }

    private JsonObject DeleteFargateProfile(string clusterName, string name)
    {
        var c = GetCluster(clusterName);
        var profile = GetProfile(clusterName, name);
        if (profile.Status != "DELETING")
        {
            if (c.FargateProfiles.Values.FirstOrDefault(p => p != profile && p.Status is "CREATING" or "DELETING") is { } busy)
            {
                throw AwsErrorException.InUse($"Cannot delete Fargate Profile {name} because cluster {clusterName} currently has Fargate profile {busy.Name} in status {busy.Status}", clusterName);
            }

            profile.Status = "DELETING";
            profile.TransitionAt = world.Schedule(world.Now + world.Scaled(Durations.FargateProfileDelete));
        }

        return new JsonObject { ["fargateProfile"] = ProfileJson(profile) };
    }

    // ---------------------------------------------------------------- tags

    private JsonObject TagResource(string arn, JsonObject? body)
    {
        var tags = TagsOf(arn);
        var add = Json.StrMap(body, "tags") ?? throw new AwsErrorException(400, "BadRequestException", "tags is required.");
        if (add.Count == 0)
        {
            throw new AwsErrorException(400, "BadRequestException", "At least one tag is required.");
        }

        var merged = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        foreach (var (k, v) in add)
        {
            merged[k] = v;
        }

        CheckTags(add, null, forTagApi: true);
        CheckTags(merged, null, forTagApi: true);
        foreach (var (k, v) in add)
        {
            tags[k] = v;
        }

        return [];
    }

    private JsonObject UntagResource(string arn, IReadOnlyDictionary<string, List<string>> query)
    {
        var tags = TagsOf(arn);
        if (!query.TryGetValue("tagKeys", out var keys) || keys.Count == 0)
        {
            throw new AwsErrorException(400, "BadRequestException", "tagKeys is required.");
        }

        foreach (var key in keys)
        {
            tags.Remove(key);
        }

        return [];
    }

    private Dictionary<string, string> TagsOf(string arn)
    {
        var m = EksArnPattern().Match(arn);
        if (!m.Success)
        {
            throw new AwsErrorException(400, "BadRequestException", $"Invalid ARN: {arn}");
        }

        var notFound = new AwsErrorException(404, "NotFoundException", $"Resource {arn} not found");
        if (m.Groups["region"].Value != world.Region || m.Groups["account"].Value != world.Account || !world.Clusters.TryGetValue(m.Groups["cluster"].Value, out var c))
        {
            throw notFound;
        }

        return m.Groups["kind"].Value switch
        {
            "cluster" when m.Groups["child"].Success => throw new AwsErrorException(400, "BadRequestException", $"Invalid ARN: {arn}"),
            "cluster" => c.Tags,
            "nodegroup" when c.Nodegroups.TryGetValue(m.Groups["child"].Value, out var ng) && ng.Arn == arn => ng.Tags,
            "fargateprofile" when c.FargateProfiles.TryGetValue(m.Groups["child"].Value, out var fp) && fp.Arn == arn => fp.Tags,
            _ => throw notFound,
        };
    }

    // ---------------------------------------------------------------- rules

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

    private static void RequireUpdatable(Cluster c, string updateType)
    {
        if (c.InFlightClusterUpdate is { } inFlight)
        {
            throw AwsErrorException.InUse($"Cannot {updateType} because cluster {c.Name} currently has update {inFlight.Id} in progress", c.Name);
        }

        if (c.Status != "ACTIVE")
        {
            throw AwsErrorException.InvalidRequest($"Cluster {c.Name} is in {c.Status} state; updates are allowed only for ACTIVE clusters", c.Name);
        }
    }

    private static void RequireNodegroupUpdatable(Cluster c, Nodegroup ng)
    {
        if (c.Updates.Find(u => u.Nodegroup == ng.Name && u.Status == "InProgress") is { } inFlight)
        {
            throw AwsErrorException.InUse($"Nodegroup {ng.Name} in cluster {c.Name} currently has update {inFlight.Id} in progress", c.Name, ng.Name);
        }

        if (ng.Status != "ACTIVE")
        {
            throw AwsErrorException.InvalidRequest($"Nodegroup {ng.Name} is in {ng.Status} state; updates are allowed only for ACTIVE node groups", c.Name, ng.Name);
        }
    }

    private EksUpdate StartUpdate(Cluster c, string type, List<KeyValuePair<string, string>> parameters, TimeSpan duration, Action apply, string? nodegroup)
    {
        var now = world.Now;
        var update = new EksUpdate
        {
            Id = world.NewUuid(),
            Type = type,
            Params = parameters,
            CreatedAt = now,
            CompletesAt = world.Schedule(now + duration),
            Nodegroup = nodegroup,
            Apply = apply,
        };
        if (nodegroup is null)
        {
            world.Schedule(now + world.Scaled(Durations.ClusterUpdatingVisibleAfter));
        }

        c.Updates.Add(update);
        return update;
    }

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

        return (mu, mup);
    }

    private static void CheckTags(Dictionary<string, string> tags, string? cluster, bool forTagApi)
    {
        string? problem = null;
        if (tags.Count > 50)
        {
            problem = "A resource can have at most 50 tags";
        }
        else if (tags.Keys.FirstOrDefault(k => k.Length is 0 or > 128) is { } longKey)
        {
            problem = $"Tag key {longKey} must be between 1 and 128 characters";
        }
        else if (tags.FirstOrDefault(t => t.Value.Length > 256) is { Key: not null } longValue)
        {
            problem = $"Tag value for key {longValue.Key} must be at most 256 characters";
        }
        else if (tags.Keys.FirstOrDefault(k => k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            problem = $"Tag key {reserved} uses the reserved prefix aws:";
        }

        if (problem is not null)
        {
            throw forTagApi ? new AwsErrorException(400, "BadRequestException", problem) : AwsErrorException.InvalidParameter(problem, cluster);
        }
    }

    private static void AddIfPresent(List<KeyValuePair<string, string>> parameters, JsonObject source, string member, string paramType)
    {
        if (source[member] is { } value)
        {
            parameters.Add(new(paramType, value.ToString()));
        }
    }

    // ---------------------------------------------------------------- idempotency and paging

    private static string Fingerprint(JsonObject? body)
    {
        if (body is null)
        {
            return string.Empty;
        }

        var copy = (JsonObject)body.DeepClone();
        copy.Remove("clientRequestToken");
        return copy.ToJsonString();
    }

    /// <summary>Same token and same request: the original outcome; same token, other request: an error.</summary>
    private JsonObject? Replay(string operation, string scope, string? token, JsonObject? body)
    {
        if (token is null || !world.Tokens.TryGetValue($"{operation}|{scope}|{token}", out var record))
        {
            return null;
        }

        if (record.Fingerprint != Fingerprint(body))
        {
            throw AwsErrorException.InvalidParameter($"The clientRequestToken {token} has already been used with different parameters", scope.Split('/')[0]);
        }

        return (JsonObject?)record.Replay();
    }

    private void Remember(string operation, string scope, string? token, JsonObject? body, JsonObject original, Func<JsonObject?> current)
    {
        if (token is null)
        {
            return;
        }

        var snapshot = original.DeepClone();
        world.Tokens[$"{operation}|{scope}|{token}"] = new IdempotencyRecord(Fingerprint(body), () => current() ?? snapshot.DeepClone());
    }

    private static (List<string> Page, string? NextToken) Page(List<string> all, IReadOnlyDictionary<string, List<string>> query)
    {
        var max = 100;
        if (query.TryGetValue("maxResults", out var m))
        {
            if (!int.TryParse(m[0], NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 100)
            {
                throw AwsErrorException.InvalidParameter("maxResults must be between 1 and 100");
            }
        }

        var start = 0;
        if (query.TryGetValue("nextToken", out var t))
        {
            try
            {
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(t[0])), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw AwsErrorException.InvalidParameter("The nextToken provided is invalid");
            }
        }

        var page = all.Skip(start).Take(max).ToList();
        var next = start + max < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + max).ToString(CultureInfo.InvariantCulture))) : null;
        return (page, next);
    }

    // ---------------------------------------------------------------- shapes

    private JsonObject ClusterJson(Cluster c)
    {
        var active = c.Status != "CREATING";
        var o = new JsonObject
        {
            ["name"] = c.Name,
            ["arn"] = c.Arn,
            ["createdAt"] = Json.Epoch(c.CreatedAt),
            ["version"] = c.Version,
        };
        if (active)
        {
            o["endpoint"] = world.Options.ClusterEndpoint?.ToString().TrimEnd('/') ?? $"https://{c.Id}.gr7.{world.Region}.eks.amazonaws.com";
        }

        o["roleArn"] = c.RoleArn;
        o["resourcesVpcConfig"] = new JsonObject
        {
            ["subnetIds"] = Json.Array(c.SubnetIds),
            ["securityGroupIds"] = Json.Array(c.SecurityGroupIds),
            ["clusterSecurityGroupId"] = c.ClusterSecurityGroupId,
            ["vpcId"] = c.VpcId,
            ["endpointPublicAccess"] = c.EndpointPublicAccess,
            ["endpointPrivateAccess"] = c.EndpointPrivateAccess,
            ["publicAccessCidrs"] = Json.Array(c.PublicAccessCidrs),
        };
        var network = new JsonObject { ["serviceIpv4Cidr"] = c.ServiceIpv4Cidr, ["ipFamily"] = c.IpFamily };
        if (c.ElasticLoadBalancing is not null)
        {
            network["elasticLoadBalancing"] = c.ElasticLoadBalancing.DeepClone();
        }

        o["kubernetesNetworkConfig"] = network;
        o["logging"] = LoggingJson(c.EnabledLogTypes);
        if (active)
        {
            o["identity"] = new JsonObject { ["oidc"] = new JsonObject { ["issuer"] = $"https://oidc.eks.{world.Region}.amazonaws.com/id/{c.Id}" } };
        }

        o["status"] = c.Status;
        o["certificateAuthority"] = active ? new JsonObject { ["data"] = world.Options.ClusterCertificateAuthorityData ?? FakeCertificate(c) } : new JsonObject();
        if (c.ClientRequestToken is not null)
        {
            o["clientRequestToken"] = c.ClientRequestToken;
        }

        o["platformVersion"] = c.PlatformVersion;
        o["tags"] = Json.Map(c.Tags);
        if (c.EncryptionConfig is not null)
        {
            o["encryptionConfig"] = c.EncryptionConfig.DeepClone();
        }

        o["deletionProtection"] = c.DeletionProtection;
        o["health"] = new JsonObject { ["issues"] = new JsonArray() };
        o["accessConfig"] = new JsonObject
        {
            ["bootstrapClusterCreatorAdminPermissions"] = c.BootstrapClusterCreatorAdminPermissions,
            ["authenticationMode"] = c.AuthenticationMode,
        };
        o["upgradePolicy"] = new JsonObject { ["supportType"] = c.SupportType };
        return o;
    }

    private static JsonObject LoggingJson(SortedSet<string> enabled)
    {
        var entries = new JsonArray();
        var on = LogTypes.Where(enabled.Contains).ToList();
        var off = LogTypes.Where(t => !enabled.Contains(t)).ToList();
        if (on.Count > 0)
        {
            entries.Add(new JsonObject { ["types"] = Json.Array(on), ["enabled"] = true });
        }

        if (off.Count > 0)
        {
            entries.Add(new JsonObject { ["types"] = Json.Array(off), ["enabled"] = false });
        }

        return new JsonObject { ["clusterLogging"] = entries };
    }

    private static string FakeCertificate(Cluster c)
    {
        var der = Convert.ToBase64String(Encoding.ASCII.GetBytes("simulated-eks-ca:" + c.Arn + ":" + c.Id));
        return Convert.ToBase64String(Encoding.ASCII.GetBytes($"-----BEGIN CERTIFICATE-----\n{der}\n-----END CERTIFICATE-----\n"));
    }

    private static JsonObject NodegroupJson(Nodegroup ng)
    {
        var o = new JsonObject
        {
            ["nodegroupName"] = ng.Name,
            ["nodegroupArn"] = ng.Arn,
            ["clusterName"] = ng.ClusterName,
            ["version"] = ng.Version,
            ["releaseVersion"] = ng.ReleaseVersion,
            ["createdAt"] = Json.Epoch(ng.CreatedAt),
            ["modifiedAt"] = Json.Epoch(ng.ModifiedAt),
            ["status"] = ng.Status,
            ["capacityType"] = ng.CapacityType,
            ["scalingConfig"] = new JsonObject { ["minSize"] = ng.MinSize, ["maxSize"] = ng.MaxSize, ["desiredSize"] = ng.DesiredSize },
        };
        if (ng.InstanceTypes is not null)
        {
            o["instanceTypes"] = Json.Array(ng.InstanceTypes);
        }

        o["subnets"] = Json.Array(ng.Subnets);
        if (ng.RemoteAccess is not null)
        {
            o["remoteAccess"] = ng.RemoteAccess.DeepClone();
        }

        o["amiType"] = ng.AmiType;
        o["nodeRole"] = ng.NodeRole;
        o["labels"] = Json.Map(ng.Labels);
        if (ng.Taints.Count > 0)
        {
            o["taints"] = TaintsJson(ng.Taints);
        }

        o["resources"] = new JsonObject
        {
            ["autoScalingGroups"] = new JsonArray(new JsonObject { ["name"] = $"eks-{ng.Name}-{ng.Uuid}" }),
        };
        if (ng.DiskSize is { } disk)
        {
            o["diskSize"] = disk;
        }

        o["health"] = new JsonObject { ["issues"] = new JsonArray() };
        var updateConfig = new JsonObject();
        if (ng.MaxUnavailable is { } mu)
        {
            updateConfig["maxUnavailable"] = mu;
        }

        if (ng.MaxUnavailablePercentage is { } mup)
        {
            updateConfig["maxUnavailablePercentage"] = mup;
        }

        if (ng.UpdateStrategy is { } strategy)
        {
            updateConfig["updateStrategy"] = strategy;
        }

        o["updateConfig"] = updateConfig;
        if (ng.NodeRepairConfig is not null)
        {
            o["nodeRepairConfig"] = ng.NodeRepairConfig.DeepClone();
        }

        if (ng.LaunchTemplate is not null)
        {
            o["launchTemplate"] = ng.LaunchTemplate.DeepClone();
        }

        o["tags"] = Json.Map(ng.Tags);
        return o;
    }

    private static JsonArray TaintsJson(IEnumerable<Taint> taints)
    {
        var array = new JsonArray();
        foreach (var t in taints)
        {
            var o = new JsonObject { ["key"] = t.Key };
            if (t.Value is not null)
            {
                o["value"] = t.Value;
            }

            o["effect"] = t.Effect;
            array.Add(o);
        }

        return array;
    }

    private static JsonObject ProfileJson(FargateProfile p) => new()
    {
        ["fargateProfileName"] = p.Name,
        ["fargateProfileArn"] = p.Arn,
        ["clusterName"] = p.ClusterName,
        ["createdAt"] = Json.Epoch(p.CreatedAt),
        ["podExecutionRoleArn"] = p.PodExecutionRoleArn,
        ["subnets"] = Json.Array(p.Subnets),
        ["selectors"] = p.Selectors.DeepClone(),
        ["status"] = p.Status,
        ["tags"] = Json.Map(p.Tags),
        ["health"] = new JsonObject { ["issues"] = new JsonArray() },
    };

    private static JsonObject UpdateJson(EksUpdate u)
    {
        var parameters = new JsonArray();
        foreach (var (type, value) in u.Params)
        {
            parameters.Add(new JsonObject { ["type"] = type, ["value"] = value });
        }

        return new JsonObject
        {
            ["id"] = u.Id,
            ["status"] = u.Status,
            ["type"] = u.Type,
            ["params"] = parameters,
            ["createdAt"] = Json.Epoch(u.CreatedAt),
            ["errors"] = new JsonArray(),
        };
    }

    private static string LatestRelease(string version) =>
        $"{version}.{(Minor(version) % 10) + 4}-20261115";

    private static int Major(string version) =>
        int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1;

    private static int Minor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : -1;
    }

    private static string Lower(bool value) => value ? "true" : "false";

    [GeneratedRegex(@"^[0-9A-Za-z][A-Za-z0-9\-_]*$")]
    private static partial Regex ClusterNamePattern();

    [GeneratedRegex(@"^arn:aws:eks:(?<region>[a-z0-9-]+):(?<account>\d{12}):(?<kind>cluster|nodegroup|fargateprofile)/(?<cluster>[^/]+)(/(?<child>[^/]+)/[0-9a-f-]+)?$")]
    private static partial Regex EksArnPattern();
}
