using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>EKS restJson1: the route table, and the world's lock around every call. The operations live in the other parts, by resource.</summary>
internal sealed partial class EksService(World world)
{
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
        new("POST", "clusters/{name}/addons", "CreateAddon", (eks, call) => eks.CreateAddon(call.Path[0], call.Body)),
        new("GET", "clusters/{name}/addons", "ListAddons", (eks, call) => eks.ListAddons(call.Path[0], call.Query)),
        new("GET", "clusters/{name}/addons/{addonName}", "DescribeAddon", (eks, call) => new JsonObject { ["addon"] = eks.AddonJson(eks.GetAddon(call.Path[0], call.Path[1])) }),
        new("DELETE", "clusters/{name}/addons/{addonName}", "DeleteAddon", (eks, call) => eks.DeleteAddon(call.Path[0], call.Path[1], call.Query)),
        new("POST", "clusters/{name}/addons/{addonName}/update", "UpdateAddon", (eks, call) => eks.UpdateAddon(call.Path[0], call.Path[1], call.Body)),
        new("GET", "addons/supported-versions", "DescribeAddonVersions", (eks, call) => eks.DescribeAddonVersions(call.Query)),
        new("GET", "addons/configuration-schemas", "DescribeAddonConfiguration", (eks, call) => eks.DescribeAddonConfiguration(call.Query)),
        new("POST", "clusters/{name}/access-entries", "CreateAccessEntry", (eks, call) => eks.CreateAccessEntry(call.Path[0], call.Body)),
        new("GET", "clusters/{name}/access-entries", "ListAccessEntries", (eks, call) => eks.ListAccessEntries(call.Path[0], call.Query)),
        new("GET", "clusters/{name}/access-entries/{principalArn}", "DescribeAccessEntry",
            (eks, call) => new JsonObject { ["accessEntry"] = AccessEntryJson(eks.GetAccessEntry(call.Path[0], call.Path[1])) }),
        new("POST", "clusters/{name}/access-entries/{principalArn}", "UpdateAccessEntry", (eks, call) => eks.UpdateAccessEntry(call.Path[0], call.Path[1], call.Body)),
        new("DELETE", "clusters/{name}/access-entries/{principalArn}", "DeleteAccessEntry", (eks, call) => eks.DeleteAccessEntry(call.Path[0], call.Path[1])),
        new("POST", "clusters/{name}/access-entries/{principalArn}/access-policies", "AssociateAccessPolicy",
            (eks, call) => eks.AssociateAccessPolicy(call.Path[0], call.Path[1], call.Body)),
        new("GET", "clusters/{name}/access-entries/{principalArn}/access-policies", "ListAssociatedAccessPolicies",
            (eks, call) => eks.ListAssociatedAccessPolicies(call.Path[0], call.Path[1], call.Query)),
        new("DELETE", "clusters/{name}/access-entries/{principalArn}/access-policies/{policyArn}", "DisassociateAccessPolicy",
            (eks, call) => eks.DisassociateAccessPolicy(call.Path[0], call.Path[1], call.Path[2])),
        new("GET", "access-policies", "ListAccessPolicies", (_, call) => ListAccessPolicies(call.Query)),
        new("POST", "clusters/{name}/pod-identity-associations", "CreatePodIdentityAssociation", (eks, call) => eks.CreatePodIdentityAssociation(call.Path[0], call.Body)),
        new("GET", "clusters/{name}/pod-identity-associations", "ListPodIdentityAssociations", (eks, call) => eks.ListPodIdentityAssociations(call.Path[0], call.Query)),
        new("GET", "clusters/{name}/pod-identity-associations/{associationId}", "DescribePodIdentityAssociation",
            (eks, call) => eks.DescribePodIdentityAssociation(call.Path[0], call.Path[1])),
        new("POST", "clusters/{name}/pod-identity-associations/{associationId}", "UpdatePodIdentityAssociation",
            (eks, call) => eks.UpdatePodIdentityAssociation(call.Path[0], call.Path[1], call.Body)),
        new("DELETE", "clusters/{name}/pod-identity-associations/{associationId}", "DeletePodIdentityAssociation",
            (eks, call) => eks.DeletePodIdentityAssociation(call.Path[0], call.Path[1])),
        new("POST", "clusters/{name}/capabilities", "CreateCapability", (eks, call) => eks.CreateCapability(call.Path[0], call.Body)),
        new("GET", "clusters/{name}/capabilities", "ListCapabilities", (eks, call) => eks.ListCapabilities(call.Path[0], call.Query)),
        new("GET", "clusters/{name}/capabilities/{capabilityName}", "DescribeCapability",
            (eks, call) => new JsonObject { ["capability"] = CapabilityJson(eks.GetCapability(call.Path[0], call.Path[1])) }),
        new("POST", "clusters/{name}/capabilities/{capabilityName}", "UpdateCapability", (eks, call) => eks.UpdateCapability(call.Path[0], call.Path[1], call.Body)),
        new("DELETE", "clusters/{name}/capabilities/{capabilityName}", "DeleteCapability", (eks, call) => eks.DeleteCapability(call.Path[0], call.Path[1])),
        new("POST", "tags/{resourceArn}", "TagResource", (eks, call) => eks.TagResource(call.Path[0], call.Body)),
        new("DELETE", "tags/{resourceArn}", "UntagResource", (eks, call) => eks.UntagResource(call.Path[0], call.Query)),
        new("GET", "tags/{resourceArn}", "ListTagsForResource", (eks, call) => new JsonObject { ["tags"] = Json.Map(eks.TagsOf(call.Path[0])) }),
        new("GET", "cluster-versions", "DescribeClusterVersions", (eks, call) => eks.DescribeClusterVersions(call.Query)),
        new("POST", "clusters/{name}/insights", "ListInsights", (eks, call) => eks.ListInsights(call.Path[0], call.Body)),
        new("GET", "clusters/{name}/insights/{id}", "DescribeInsight", (eks, call) => eks.DescribeInsight(call.Path[0], call.Path[1])),
        new("POST", "clusters/{name}/insights-refresh", "StartInsightsRefresh", (eks, call) => eks.StartInsightsRefresh(call.Path[0])),
        new("GET", "clusters/{name}/insights-refresh", "DescribeInsightsRefresh", (eks, call) => eks.DescribeInsightsRefresh(call.Path[0])),
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
        ["clusters", var c, "addons"] when body?["addonName"] is not null => $"{c}/{body["addonName"]}",
        ["clusters", var c, "access-entries"] => $"{c}/{body?["principalArn"]}",
        ["clusters", var c, "capabilities"] when body?["capabilityName"] is not null => $"{c}/{body["capabilityName"]}",
        ["clusters", var c, "pod-identity-associations"] => $"{c}/{body?["namespace"]}/{body?["serviceAccount"]}",
        ["clusters", var c, "node-groups" or "fargate-profiles" or "addons" or "access-entries" or "pod-identity-associations" or "capabilities", var child, ..] => $"{c}/{child}",
        ["clusters", var c, ..] => c,
        ["tags", var arn] => arn,
        _ => null,
    };

    private AwsLifecycleDurations Durations => world.Options.Durations;

    public JsonNode Handle(EksRoute route, EksCall call)
    {
        lock (world.Gate)
        {
            world.Tick();
            var response = route.Handler(this, call);
            if (route.Mutating)
            {
                // So that an insight's lastTransitionTime is the call that changed its status, not the next read of it.
                InsightBook.ObserveAll(world);
            }

            return response;
        }
    }
}
