using System.Text;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Wire shapes: the JSON EKS writes for clusters, node groups, Fargate profiles and updates.</summary>
internal sealed partial class EksService
{
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
        // A cluster that never had Auto Mode still reports load balancing as off (ACK community#3046 looped on this).
        network["elasticLoadBalancing"] = new JsonObject { ["enabled"] = c.ElasticLoadBalancingEnabled ?? false };

        o["kubernetesNetworkConfig"] = network;
        SettingsJson(c, o);
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
        o["health"] = new JsonObject
        {
            ["issues"] = new JsonArray([.. c.HealthIssues.Select(i => (JsonNode)new JsonObject { ["code"] = i.Code, ["message"] = i.Message, ["resourceIds"] = Json.Array(i.ResourceIds) })]),
        };
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
            ["errors"] = new JsonArray([.. u.Errors.Select(e => new JsonObject
            {
                ["errorCode"] = e.Code, ["errorMessage"] = e.Message, ["resourceIds"] = Json.Array(e.ResourceIds),
            })]),
        };
    }

    private static string Lower(bool value) => value ? "true" : "false";
}
