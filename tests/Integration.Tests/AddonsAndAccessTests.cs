using System.Text.Json.Nodes;
using EksOperator.Entities.V1Alpha1;
using k8s.Models;

namespace EksOperator.Integration.Tests;

/// <summary>
/// Add-ons, access entries and Pod Identity associations against both simulators over real HTTP: created, changed in
/// place, and deleted with their cluster, owned roles and all.
/// </summary>
public sealed class AddonsAndAccessTests
{
    private const string CniPolicy = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy";
    private const string CloudWatchPolicy = "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy";
    private const string Admins = "arn:aws:iam::210987654321:role/platform-admins";

    [Fact]
    public async Task Add_ons_access_entries_and_associations_converge_change_in_place_and_go_with_their_cluster()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("apps", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ApiAndConfigMap };
        await env.CreateAsync(cluster);
        await env.CreateAsync(Addon("apps-vpc-cni", "vpc-cni", a =>
        {
            a.ConfigurationValues = (JsonObject)JsonNode.Parse("""{"env":{"WARM_ENI_TARGET":"2"}}""")!;
            a.PodIdentityAssociations = [new AddonPodIdentity { ServiceAccount = "aws-node", PolicyArns = [CniPolicy] }];
        }));
        await env.CreateAsync(Addon("apps-coredns", "coredns", a => a.Version = "latest"));
        await env.CreateAsync(new PodIdentityAssociation
        {
            Metadata = new V1ObjectMeta { Name = "apps-metrics" },
            Spec = new PodIdentityAssociationSpec
            {
                ClusterRef = new ClusterReference { Name = "apps" },
                Namespace = "monitoring",
                ServiceAccount = "metrics",
                PolicyArns = [CloudWatchPolicy],
            },
        });
        await env.CreateAsync(new AccessEntry
        {
            Metadata = new V1ObjectMeta { Name = "apps-admins" },
            Spec = new AccessEntrySpec
            {
                ClusterRef = new ClusterReference { Name = "apps" },
                PrincipalArn = Admins,
                KubernetesGroups = ["platform"],
                AccessPolicies =
                [
                    new AccessPolicyAssociation { Policy = "AmazonEKSClusterAdminPolicy", Scope = new AccessScope { Type = AccessScopeType.Cluster } },
                    new AccessPolicyAssociation { Policy = "AmazonEKSEditPolicy", Scope = new AccessScope { Type = AccessScopeType.Namespace, Namespaces = ["dev-*"] } },
                ],
            },
        });

        var cni = await env.ReadyAsync<Addon>("apps-vpc-cni");
        var coredns = await env.ReadyAsync<Addon>("apps-coredns");
        var metrics = await env.ReadyAsync<PodIdentityAssociation>("apps-metrics");
        var admins = await env.ReadyAsync<AccessEntry>("apps-admins");

        Assert.Equal("default", cni.Status!.ResolvedFrom);
        Assert.Equal("latest", coredns.Status!.ResolvedFrom);
        Assert.Equal(coredns.Status.CompatibleVersions![0], coredns.Status.Version); // newest first
        Assert.Single(cni.Status.PodIdentityAssociationArns!);
        Assert.Equal("Missing", metrics.Status!.PodIdentityAgent); // no eks-pod-identity-agent add-on here: Ready, with a warning
        Assert.True(metrics.Status.RoleCreated);
        Assert.Equal(
            ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"],
            admins.Status!.AccessPolicies!.Select(p => p.PolicyArn));
        Assert.Equal(["platform"], admins.Status.KubernetesGroups);

        var state = Cluster(await env.AwsStateAsync(), "apps");
        Assert.Equal(["coredns", "vpc-cni"], state["addons"]!.AsArray().Select(a => (string)a!["name"]!).Order(StringComparer.Ordinal));
        var roles = (await env.AwsStateAsync())["roles"]!.AsArray();
        var cniRole = Assert.Single(roles, r => (string)r!["name"]! == "apps-vpc-cni-aws-node")!;
        Assert.Equal([CniPolicy], cniRole["attachedPolicies"]!.AsArray().Select(p => (string)p!));
        var podRole = Assert.Single(roles, r => ((string)r!["name"]!).EndsWith("-pod", StringComparison.Ordinal))!;
        Assert.Equal([CloudWatchPolicy], podRole["attachedPolicies"]!.AsArray().Select(p => (string)p!));
        var association = Assert.Single(state["podIdentityAssociations"]!.AsArray(), a => (string)a!["serviceAccount"]! == "metrics")!;
        Assert.Equal((string)podRole["arn"]!, (string)association["roleArn"]!);
        Assert.Equal(1, env.Calls("eks:CreateAccessEntry"));
        Assert.Equal(2, env.Calls("eks:AssociateAccessPolicy"));
        Assert.Equal(2, env.Calls("eks:CreateAddon"));
        Assert.Equal(0, env.Calls("eks:UpdateAddon")); // no false drift from EKS's own fields

        // In place: one policy goes and one changes scope; the association stops sending session tags; vpc-cni pins another version.
        await env.PatchSpecAsync<AccessEntry>("apps-admins", new
        {
            accessPolicies = new[] { new { policy = "AmazonEKSEditPolicy", scope = new { type = "namespace", namespaces = new[] { "dev-*", "staging" } } } },
        });
        await env.PatchSpecAsync<PodIdentityAssociation>("apps-metrics", new { disableSessionTags = true });
        var other = cni.Status.CompatibleVersions!.First(v => v != cni.Status.Version);
        await env.PatchSpecAsync<Addon>("apps-vpc-cni", new { version = other });

        admins = await env.EventuallyReadyAtAsync<AccessEntry>("apps-admins", e => e.Status?.AccessPolicies is [{ Namespaces.Count: 2 }]);
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", Assert.Single(admins.Status!.AccessPolicies!).PolicyArn);
        Assert.Equal(1, env.Calls("eks:DisassociateAccessPolicy"));
        await env.EventuallyReadyAtAsync<PodIdentityAssociation>("apps-metrics", p => p.Metadata.Generation == p.Status?.ObservedGeneration);
        Assert.Equal(1, env.Calls("eks:UpdatePodIdentityAssociation"));
        cni = await env.EventuallyReadyAtAsync<Addon>("apps-vpc-cni", a => a.Status?.Version == other);
        Assert.Equal("pinned", cni.Status!.ResolvedFrom);
        Assert.Equal(1, env.Calls("eks:UpdateAddon"));

        await env.DeleteAsync<EksCluster>("apps");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("apps"), c => c is null, "the EksCluster to be gone", TimeSpan.FromSeconds(90));
        Assert.Null(await env.GetAsync<Addon>("apps-vpc-cni"));
        Assert.Null(await env.GetAsync<AccessEntry>("apps-admins"));
        Assert.Null(await env.GetAsync<PodIdentityAssociation>("apps-metrics"));
        var after = await env.AwsStateAsync();
        Assert.Empty(after["clusters"]!.AsArray());
        Assert.Empty(after["roles"]!.AsArray()); // the cluster role, and the owned add-on and association roles
    }

    private static Addon Addon(string name, string addonName, Action<AddonSpec> configure)
    {
        var addon = new Addon { Metadata = new V1ObjectMeta { Name = name }, Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = "apps" }, Name = addonName } };
        configure(addon.Spec);
        return addon;
    }

    private static JsonNode Cluster(JsonObject state, string name) => state["clusters"]!.AsArray().Single(c => (string)c!["name"]! == name)!;
}
