using EksOperator.Entities.V1Alpha1;
using k8s.Models;

namespace EksOperator.Integration.Tests;

/// <summary>An EKS capability (managed Argo CD) against both simulators over real HTTP: created with an owned role, changed in place, gone with its cluster.</summary>
public sealed class CapabilityTests
{
    [Fact]
    public async Task An_Argo_CD_capability_becomes_ACTIVE_changes_its_role_mappings_in_place_and_goes_with_its_cluster_and_role()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("gitops", env.Aws.DefaultNetwork.PrivateSubnetIds));
        await env.CreateAsync(new Capability
        {
            Metadata = new V1ObjectMeta { Name = "gitops-argocd" },
            Spec = new CapabilitySpec
            {
                ClusterRef = new ClusterReference { Name = "gitops" },
                Name = "argocd",
                Type = CapabilityType.ArgoCd,
                Configuration = new CapabilityConfiguration
                {
                    ArgoCd = new ArgoCdConfiguration
                    {
                        AwsIdc = new ArgoCdAwsIdc { IdcInstanceArn = "arn:aws:sso:::instance/ssoins-1234567890abcdef" },
                        RbacRoleMappings = [new ArgoCdRoleMapping { Role = ArgoCdRole.Admin, Identities = [new SsoIdentity { Id = "g-admins", Type = SsoIdentityType.Group }] }],
                    },
                },
            },
        });

        var ready = await env.ReadyAsync<Capability>("gitops-argocd", TimeSpan.FromSeconds(90));
        Assert.Equal(("ACTIVE", "ARGOCD", "3.1.8-eks-1", true), (ready.Status!.AwsStatus, ready.Status.Type, ready.Status.Version, ready.Status.RoleCreated));
        Assert.StartsWith("https://", ready.Status.ServerUrl, StringComparison.Ordinal);
        var roles = (await env.AwsStateAsync())["roles"]!.AsArray();
        Assert.Contains(roles, r => (string?)r!["name"] == "gitops-argocd-capability" && (string?)r["arn"] == ready.Status.RoleArn);
        Assert.Equal(1, env.Calls("eks:CreateCapability"));
        Assert.Equal(0, env.Calls("eks:UpdateCapability")); // what EKS fills in (namespace, region, URL) is not drift

        await env.PatchSpecAsync<Capability>("gitops-argocd", new
        {
            configuration = new
            {
                argoCd = new
                {
                    awsIdc = new { idcInstanceArn = "arn:aws:sso:::instance/ssoins-1234567890abcdef" },
                    rbacRoleMappings = new[] { new { role = "VIEWER", identities = new[] { new { id = "u-1", type = "SSO_USER" } } } },
                },
            },
        });
        await env.EventuallyReadyAtAsync<Capability>("gitops-argocd", c => c.Metadata.Generation == c.Status?.ObservedGeneration, TimeSpan.FromSeconds(60));
        Assert.Equal(1, env.Calls("eks:UpdateCapability"));
        var capability = Assert.Single(Cluster(await env.AwsStateAsync(), "gitops")["capabilities"]!.AsArray())!;
        Assert.Equal("""[{"role":"VIEWER","identities":[{"id":"u-1","type":"SSO_USER"}]}]""", capability["configuration"]!["argoCd"]!["rbacRoleMappings"]!.ToJsonString());

        await env.DeleteAsync<EksCluster>("gitops");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("gitops"), c => c is null, "the EksCluster to be gone", TimeSpan.FromSeconds(90));
        Assert.Null(await env.GetAsync<Capability>("gitops-argocd"));
        Assert.Equal(1, env.Calls("eks:DeleteCapability"));
        var after = await env.AwsStateAsync();
        Assert.Empty(after["clusters"]!.AsArray());
        Assert.Empty(after["roles"]!.AsArray()); // the cluster role and the capability's owned role
    }

    private static System.Text.Json.Nodes.JsonNode Cluster(System.Text.Json.Nodes.JsonObject state, string name) =>
        state["clusters"]!.AsArray().Single(c => (string)c!["name"]! == name)!;
}
