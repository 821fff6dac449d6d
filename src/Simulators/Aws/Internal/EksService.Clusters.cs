using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Clusters: create, list, delete, and the updates EKS makes to one (config, encryption, version).</summary>
internal sealed partial class EksService
{
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

        var settings = ParseCreateSettings(body, name, version, authMode, vpcId, serviceCidr);
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
        ApplySettings(cluster, settings);
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
        DeleteAddonsOf(c);
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
        var kinds = new List<string>(SettingsUpdateKinds(body));
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
            case "AutoModeUpdate" or "ZonalShiftConfigUpdate" or "RemoteNetworkConfigUpdate" or "ControlPlaneScalingConfigUpdate":
                apply = SettingsUpdate(c, type, body, parameters)!;
                break;

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

        CheckUpgradeReadiness(c, version, Json.Bool(body, "force") ?? false);

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
}
