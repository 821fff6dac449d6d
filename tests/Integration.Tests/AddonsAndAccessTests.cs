using System.Text.Json.Nodes;
using EksOperator.Entities;
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
        // No false drift from EKS's own fields (the message names any UpdateAddon and what the add-ons' status said).
        var falseUpdates = env.Aws.Calls.Entries().Where(c => c.Operation == "UpdateAddon").Select(c => $"{c.Time:HH:mm:ss.fff} {c.Resource} {c.StatusCode}").ToList();
        Assert.True(falseUpdates.Count == 0, string.Join("; ", falseUpdates) + " | " + string.Join("; ", state["addons"]!.AsArray().Select(a => a!.ToJsonString())));

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

    [Fact]
    public async Task A_service_account_served_by_an_add_on_and_by_a_Pod_Identity_association_stalls_whichever_comes_second()
    {
        const string EbsPolicy = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("apps", env.Aws.DefaultNetwork.PrivateSubnetIds));

        // The add-on first: its association is EKS's, owned by the add-on; an association object for that service
        // account must not take it over, nor delete it when it goes.
        await env.CreateAsync(Addon("apps-ebs", "aws-ebs-csi-driver",
            a => a.PodIdentityAssociations = [new AddonPodIdentity { ServiceAccount = "ebs-csi-controller-sa", PolicyArns = [EbsPolicy] }]));
        var ebs = await env.ReadyAsync<Addon>("apps-ebs");
        var owned = Assert.Single(Cluster(await env.AwsStateAsync(), "apps")["podIdentityAssociations"]!.AsArray())!;
        Assert.Equal(ebs.Status!.Arn, (string?)owned["ownerArn"]);
        Assert.Equal("ebs-csi-controller-sa", (string?)owned["serviceAccount"]);

        await env.CreateAsync(Association("apps-ebs-sa", "kube-system", "ebs-csi-controller-sa"));
        var refused = await StalledAsync<PodIdentityAssociation>(env, "apps-ebs-sa");
        Assert.Equal(ConditionReasons.AlreadyExists, refused.Reason);
        Assert.Contains($"belongs to add-on {ebs.Status.Arn}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("spec.podIdentityAssociations", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Calls("eks:CreatePodIdentityAssociation"));
        Assert.Equal(0, env.Calls("eks:UpdatePodIdentityAssociation"));
        await env.DeleteAsync<PodIdentityAssociation>("apps-ebs-sa");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<PodIdentityAssociation>("apps-ebs-sa"), p => p is null, "the refused association object to be gone");
        Assert.Equal(0, env.Calls("eks:DeletePodIdentityAssociation"));
        Assert.Equal((string?)owned["id"], (string?)Assert.Single(Cluster(await env.AwsStateAsync(), "apps")["podIdentityAssociations"]!.AsArray())!["id"]);

        // The association first: EKS refuses the add-on that would serve the same service account.
        await env.CreateAsync(Association("apps-node", "kube-system", "aws-node"));
        await env.ReadyAsync<PodIdentityAssociation>("apps-node");
        await env.CreateAsync(Addon("apps-vpc-cni", "vpc-cni",
            a => a.PodIdentityAssociations = [new AddonPodIdentity { ServiceAccount = "aws-node", PolicyArns = [CniPolicy] }]));
        var blocked = await StalledAsync<Addon>(env, "apps-vpc-cni");
        Assert.Equal(ConditionReasons.AlreadyExists, blocked.Reason);
        Assert.Contains("Association already exists", blocked.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Cluster(await env.AwsStateAsync(), "apps")["addons"]!.AsArray(), a => (string?)a!["name"] == "vpc-cni");

        // Everything still goes with the cluster, the refused add-on's owned role too.
        await env.DeleteAsync<EksCluster>("apps");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("apps"), c => c is null, "the EksCluster to be gone", TimeSpan.FromSeconds(90));
        var after = await env.AwsStateAsync();
        Assert.Empty(after["clusters"]!.AsArray());
        Assert.Empty(after["roles"]!.AsArray());
    }

    private static async Task<V1Condition> StalledAsync<T>(OperatorEnvironment env, string name)
        where T : class, IEksResource
    {
        var obj = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<T>(name), o => OperatorEnvironment.HasCondition(o, ConditionTypes.Stalled, "True"), $"{name} Stalled");
        return obj!.CommonStatus!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled);
    }

    private static PodIdentityAssociation Association(string name, string ns, string serviceAccount) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new PodIdentityAssociationSpec
        {
            ClusterRef = new ClusterReference { Name = "apps" },
            Namespace = ns,
            ServiceAccount = serviceAccount,
            PolicyArns = [CloudWatchPolicy],
        },
    };

    private static Addon Addon(string name, string addonName, Action<AddonSpec> configure)
    {
        var addon = new Addon { Metadata = new V1ObjectMeta { Name = name }, Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = "apps" }, Name = addonName } };
        configure(addon.Spec);
        return addon;
    }

    private static JsonNode Cluster(JsonObject state, string name) => state["clusters"]!.AsArray().Single(c => (string)c!["name"]! == name)!;
}
