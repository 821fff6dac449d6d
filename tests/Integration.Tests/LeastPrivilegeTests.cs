using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EksOperator.Controllers.Kinds;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Hosting;
using EksOperator.Simulators.Kubernetes.Admission;

namespace EksOperator.Integration.Tests;

/// <summary>
/// The RBAC rules and the IAM policy we ship, against what the operator actually used through a scenario that
/// creates, changes, upgrades, replaces and deletes: nothing missing, nothing extra beyond documented needs.
/// </summary>
public sealed class LeastPrivilegeTests
{
    // Granted but not exercised here, each for a documented reason.
    private static readonly HashSet<string> RbacExtras =
    [
        "update eks.operator.dev/eksclusters/finalizers",      // OwnerReferencesPermissionEnforcement: blockOwnerDeletion on owned Secrets
        "update eks.operator.dev/fargateprofiles/finalizers",
        "update eks.operator.dev/managednodegroups/finalizers",
        "update eks.operator.dev/addons/finalizers",
        "update eks.operator.dev/accessentries/finalizers",
        "update eks.operator.dev/podidentityassociations/finalizers",
        "update eks.operator.dev/capabilities/finalizers",
        "patch core/secrets",                                   // Token-mode kubeconfigs are rewritten every 10 minutes
        "patch eks.operator.dev/awsidentities/status",          // an AwsIdentity's status (AccountsTests; this scenario has none)
    ];

    private static readonly HashSet<string> IamExtras =
    [
        "eks:ListTagsForResource", "eks:ListUpdates", "eks:ListClusters", // used on paths this scenario does not take
        "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
        "iam:TagRole",                                          // adoption of an untagged owned-name role
        "iam:UntagRole",                                        // reclaiming a role that deletionPolicy Retain released
        "iam:TagOpenIDConnectProvider",                         // adopting an untagged IRSA provider (eks.operator.dev/adopt)
        "iam:UpdateAssumeRolePolicy",                           // Auto Mode turned on later for an owned cluster role (AutoModeIntegrationTests)
        "iam:PassRole", "iam:CreateServiceLinkedRole",          // evaluated by AWS inside CreateCluster/CreateNodegroup, never called
        "kms:DescribeKey", "kms:CreateGrant",                   // secrets encryption, evaluated by EKS
        "sts:GetCallerIdentity",                                // presigned for Token-mode kubeconfigs, called by the cluster
        "sts:AssumeRole",                                       // AwsIdentity roles in other accounts (AccountsTests)
    ];

    [Fact]
    public async Task Rbac_and_iam_grant_exactly_what_a_full_lifecycle_uses()
    {
        await using var env = await OperatorEnvironment.StartAsync(true,
            "--Runtime:LeaderElection:Enabled=true", "--Runtime:LeaderElection:LeaseNamespace=default");
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        var cluster = Manifests.Cluster("lp", subnets, version: "1.32");
        cluster.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Token, ArgoCd = true };
        cluster.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ApiAndConfigMap };
        cluster.Spec.IamOidcProvider = true;
        await env.CreateAsync(cluster);
        await env.CreateAsync(Manifests.NodeGroup("ng", "lp"));
        await env.CreateAsync(new Addon
        {
            Metadata = new() { Name = "lp-cni" },
            Spec = new AddonSpec { ClusterRef = new() { Name = "lp" }, Name = "vpc-cni", ConfigurationValues = (JsonObject)JsonNode.Parse("""{"env":{"WARM_ENI_TARGET":"1"}}""")! },
        });
        await env.CreateAsync(new Addon { Metadata = new() { Name = "lp-proxy" }, Spec = new AddonSpec { ClusterRef = new() { Name = "lp" }, Name = "kube-proxy" } });
        await env.CreateAsync(new AccessEntry
        {
            Metadata = new() { Name = "lp-admins" },
            Spec = new AccessEntrySpec
            {
                ClusterRef = new() { Name = "lp" },
                PrincipalArn = "arn:aws:iam::210987654321:role/admins",
                AccessPolicies = [new AccessPolicyAssociation { Policy = "AmazonEKSViewPolicy", Scope = new AccessScope { Type = AccessScopeType.Cluster } }],
            },
        });
        await env.CreateAsync(new PodIdentityAssociation
        {
            Metadata = new() { Name = "lp-metrics" },
            Spec = new PodIdentityAssociationSpec
            {
                ClusterRef = new() { Name = "lp" },
                Namespace = "monitoring",
                ServiceAccount = "metrics",
                PolicyArns = ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
            },
        });
        await env.ReadyAsync<Addon>("lp-cni");
        await env.ReadyAsync<AccessEntry>("lp-admins");
        await env.ReadyAsync<PodIdentityAssociation>("lp-metrics");
        await env.PatchSpecAsync<AccessEntry>("lp-admins", new
        {
            kubernetesGroups = new[] { "viewers" },
            accessPolicies = new[] { new { policy = "AmazonEKSEditPolicy", scope = new { type = "cluster" } } },
        });
        await env.PatchSpecAsync<PodIdentityAssociation>("lp-metrics", new { disableSessionTags = true });
        await env.EventuallyReadyAtAsync<AccessEntry>("lp-admins", e => e.Status?.AccessPolicies is [{ PolicyArn: var arn }] && arn.EndsWith("/AmazonEKSEditPolicy", StringComparison.Ordinal)
            && e.Status.KubernetesGroups is ["viewers"]);
        await env.EventuallyReadyAtAsync<PodIdentityAssociation>("lp-metrics", p => p.Status?.ObservedGeneration == p.Metadata.Generation);
        await env.CreateAsync(new Capability
        {
            Metadata = new() { Name = "lp-argocd" },
            Spec = new CapabilitySpec
            {
                ClusterRef = new() { Name = "lp" },
                Type = CapabilityType.ArgoCd,
                Configuration = new CapabilityConfiguration { ArgoCd = new ArgoCdConfiguration { AwsIdc = new ArgoCdAwsIdc { IdcInstanceArn = "arn:aws:sso:::instance/ssoins-1234567890abcdef" } } },
            },
        });
        var profile = Manifests.Profile("fp", "lp", subnets);
        profile.Spec.UpdateStrategy = FargateUpdateStrategy.Replace;
        await env.CreateAsync(profile);
        await env.ReadyAsync<ManagedNodeGroup>("ng");
        await env.ReadyAsync<FargateProfile>("fp");

        // A capability's change is an UpdateCapability followed through DescribeUpdate: here Argo CD's network access.
        await env.ReadyAsync<Capability>("lp-argocd", TimeSpan.FromSeconds(90));
        await env.PatchSpecAsync<Capability>("lp-argocd", new
        {
            configuration = new { argoCd = new { awsIdc = new { idcInstanceArn = "arn:aws:sso:::instance/ssoins-1234567890abcdef" }, networkAccess = new { vpceIds = new[] { "vpce-0123456789abcdef0" } } } },
        });
        await env.EventuallyReadyAtAsync<Capability>("lp-argocd", c => c.Status?.ObservedGeneration == c.Metadata.Generation, TimeSpan.FromSeconds(60));
        Assert.Equal(1, env.Calls("eks:UpdateCapability"));
        await env.PatchSpecAsync<ManagedNodeGroup>("ng", new { scaling = new { minSize = 1, maxSize = 4, desiredSize = 3 } });
        await env.PatchSpecAsync<FargateProfile>("fp", new { selectors = new[] { new { @namespace = "other" } } });
        // Insights two days old, one a warning: the upgrade's preflight refreshes them and reads the warning.
        using (var sim = new HttpClient { BaseAddress = env.Aws.BaseAddress })
        {
            (await sim.PutAsJsonAsync("/_sim/insights/refreshed", new { cluster = "lp", at = DateTimeOffset.UtcNow.AddDays(-2) })).EnsureSuccessStatusCode();
            (await sim.PostAsJsonAsync("/_sim/insights", new
            {
                cluster = "lp", name = "Deprecated APIs removed in Kubernetes v1.33", kubernetesVersion = "1.33", status = "WARNING",
                reason = "Deprecated API usage detected within last 30 days.",
            })).EnsureSuccessStatusCode();
        }

        await env.PatchSpecAsync<EksCluster>("lp", new
        {
            version = "1.33",
            tags = new Dictionary<string, string?> { ["team"] = null, ["env"] = "prod" },
            logging = new[] { "api" },
            encryption = new { kmsKeyArn = "arn:aws:kms:us-west-2:123456789012:key/lp" },
        });
        await env.EventuallyReadyAtAsync<EksCluster>("lp", c => c.Status?.Version == "1.33" && c.Status.Upgrade is null, TimeSpan.FromSeconds(90));
        Assert.Equal(1, env.Calls("eks:AssociateEncryptionConfig"));
        await env.EventuallyReadyAtAsync<ManagedNodeGroup>("ng", g => g.Status?.Version == "1.33");
        // kube-proxy is released per minor: version default moves with the cluster (UpdateAddon, followed by DescribeUpdate).
        await env.EventuallyReadyAtAsync<Addon>("lp-proxy", a => a.Status?.Version?.StartsWith("v1.33.", StringComparison.Ordinal) == true);
        await env.EventuallyReadyAtAsync<FargateProfile>("fp", p => p.Status?.ProfileName != "fp" && p.Status?.ReplacedProfileName is null);
        await env.DeleteAsync<EksCluster>("lp");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("lp"), c => c is null, "deleted", TimeSpan.FromSeconds(90));

        // Kubernetes: the operator's requests (its User-Agent) against config/rbac.
        var used = env.Kube.AccessesBy(OperatorHost.UserAgent)
            .Select(a => $"{a.Verb} {(a.Group.Length == 0 ? "core" : a.Group)}/{a.Resource}{(a.Subresource.Length > 0 ? "/" + a.Subresource : "")}").ToHashSet();
        var granted = Granted("config/rbac/role.yaml").Concat(Granted("config/rbac/leader_election_role.yaml")).Concat(Granted("config/rbac/identity_role.yaml")).ToHashSet();
        Assert.True(used.IsSubsetOf(granted), "used but not granted: " + string.Join(", ", used.Except(granted).Order()));
        var unused = granted.Except(used).Except(RbacExtras).Order().ToList();
        Assert.True(unused.Count == 0, "granted but never used: " + string.Join(", ", unused));

        // AWS: every action the simulator saw against config/iam/operator-policy.json.
        var seen = env.Aws.Calls.Entries().Select(c => $"{c.Service}:{c.Operation}").ToHashSet();
        var allowed = PolicyActions();
        Assert.True(seen.IsSubsetOf(allowed), "called but not allowed: " + string.Join(", ", seen.Except(allowed).Order()));
        var notSeen = allowed.Except(seen).Except(IamExtras).Order().ToList();
        Assert.True(notSeen.Count == 0, "allowed but never called: " + string.Join(", ", notSeen));

        // Every EKS and EC2 call is one a kind registers (IAM and STS calls are the shared role and identity machinery).
        var registered = KindRegistry.All.SelectMany(k => k.AwsActions).ToHashSet();
        var unregistered = seen.Where(a => a.StartsWith("eks:", StringComparison.Ordinal) || a.StartsWith("ec2:", StringComparison.Ordinal)).Except(registered).Order().ToList();
        Assert.True(unregistered.Count == 0, "called but registered by no kind: " + string.Join(", ", unregistered));
    }

    internal static IEnumerable<string> Granted(string file)
    {
        var role = YamlJson.ParseObject(File.ReadAllText(Path.Combine(Root(), file)));
        foreach (var rule in role["rules"]!.AsArray().OfType<JsonObject>())
        {
            foreach (var group in rule["apiGroups"]!.AsArray().Select(g => (string)g!))
            {
                foreach (var resource in rule["resources"]!.AsArray().Select(r => (string)r!))
                {
                    foreach (var verb in rule["verbs"]!.AsArray().Select(v => (string)v!))
                    {
                        yield return $"{verb} {(group.Length == 0 ? "core" : group)}/{resource}";
                    }
                }
            }
        }
    }

    internal static HashSet<string> PolicyActions()
    {
        var policy = JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "config/iam/operator-policy.json")))!;
        return [.. policy["Statement"]!.AsArray().SelectMany(s => s!["Action"] switch
        {
            JsonArray a => a.Select(x => (string)x!),
            JsonNode n => [(string)n!],
            _ => [],
        })];
    }

    internal static string Root()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "EksOperator.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }
}
