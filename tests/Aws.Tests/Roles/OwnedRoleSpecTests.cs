using System.Text.RegularExpressions;
using EksOperator.Aws.Roles;

namespace EksOperator.Aws.Tests.Roles;

public sealed partial class OwnedRoleSpecTests
{
    [Fact]
    public void A_child_named_after_its_cluster_is_not_prefixed_again()
    {
        Assert.Equal("shop-spot-node", OwnedRoleSpec.NodeRole("shop", "shop-spot").Name);
        Assert.Equal("shop-web-fargate", OwnedRoleSpec.FargateRole("shop", "shop-web").Name);
        Assert.Equal("shop-node", OwnedRoleSpec.NodeRole("shop", "shop").Name);
        Assert.Equal("shop-fargate", OwnedRoleSpec.FargateRole("shop", "shop").Name);

        // What earlier versions called them, so that upgrades still find those roles.
        Assert.Equal(["shop-shop-spot-node"], OwnedRoleSpec.NodeRole("shop", "shop-spot").FormerNames);
        Assert.Equal(["shop-shop-web-fargate"], OwnedRoleSpec.FargateRole("shop", "shop-web").FormerNames);
    }

    [Fact]
    public void Other_children_get_the_cluster_prefix_and_keep_their_old_name()
    {
        Assert.Equal("shop-spot-node", OwnedRoleSpec.NodeRole("shop", "spot").Name);
        Assert.Equal("shop-batch-fargate", OwnedRoleSpec.FargateRole("shop", "batch").Name);
        Assert.Equal("shop-eks-cluster", OwnedRoleSpec.ClusterRole("shop").Name);

        // "shopping" only starts with the cluster's name, not with "shop-".
        Assert.Equal("shop-shopping-node", OwnedRoleSpec.NodeRole("shop", "shopping").Name);
        Assert.Empty(OwnedRoleSpec.NodeRole("shop", "spot").FormerNames);
        Assert.Empty(OwnedRoleSpec.ClusterRole("shop").FormerNames);
    }

    [Fact]
    public void Cluster_node_and_pod_execution_roles_never_share_a_name()
    {
        // A node group and a profile named like the cluster, or like another kind's suffix.
        var names = new[]
        {
            OwnedRoleSpec.ClusterRole("shop").Name,
            OwnedRoleSpec.NodeRole("shop", "shop").Name,
            OwnedRoleSpec.FargateRole("shop", "shop").Name,
            OwnedRoleSpec.NodeRole("shop", "eks").Name,
            OwnedRoleSpec.FargateRole("shop", "eks").Name,
            OwnedRoleSpec.NodeRole("shop", "eks-cluster").Name,
            OwnedRoleSpec.ClusterRole("shop-eks").Name,
            OwnedRoleSpec.NodeRole("shop", "eks-eks-cluster").Name,
            OwnedRoleSpec.ClusterRole(new string('c', 100)).Name,
            OwnedRoleSpec.NodeRole(new string('c', 100), new string('c', 63)).Name,
            OwnedRoleSpec.FargateRole(new string('c', 100), new string('c', 63)).Name,
        };

        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(["-eks-cluster", "-node", "-fargate"], names.Take(3).Select(n => n[n.IndexOf('-', StringComparison.Ordinal)..]));
    }

    [Fact]
    public void Long_names_are_cut_to_64_characters_with_a_stable_hash_before_the_kind()
    {
        var cluster = "analytics-production-eu-west-1-primary";                  // 38 characters
        var nodegroup = "gpu-inference-spot-instances-a10g-large";                // 39 characters

        var role = OwnedRoleSpec.NodeRole(cluster, nodegroup);

        Assert.Equal(OwnedRoleSpec.MaxNameLength, role.Name.Length);
        Assert.Matches(IamRoleName(), role.Name);
        Assert.EndsWith("-node", role.Name, StringComparison.Ordinal);
        Assert.StartsWith("analytics-production-eu-west-1-primary-gpu-infere", role.Name, StringComparison.Ordinal);
        // Deletion recomputes the name: it must not change between runs or releases.
        Assert.Equal("analytics-production-eu-west-1-primary-gpu-inferen-b09d05dd-node", role.Name);
        Assert.Equal([$"{cluster}-{nodegroup}-node"[..64]], role.FormerNames);

        Assert.Equal(64, OwnedRoleSpec.ClusterRole(new string('a', 100)).Name.Length);
        Assert.EndsWith("-eks-cluster", OwnedRoleSpec.ClusterRole(new string('a', 100)).Name, StringComparison.Ordinal);
        Assert.Equal(64, OwnedRoleSpec.FargateRole(new string('a', 100), new string('b', 63)).Name.Length);
    }

    [Fact]
    public void Two_long_names_that_differ_only_past_the_cut_stay_distinct()
    {
        var cluster = "analytics-production-eu-west-1-primary";
        var blue = OwnedRoleSpec.NodeRole(cluster, "gpu-inference-spot-instances-a10g-blue");
        var green = OwnedRoleSpec.NodeRole(cluster, "gpu-inference-spot-instances-a10g-green");

        Assert.NotEqual(blue.Name, green.Name);
        Assert.All(new[] { blue.Name, green.Name }, n => Assert.True(n.Length <= 64, n));
        // The old naming cut both to the same 64 characters (and lost "-node").
        Assert.Equal(blue.FormerNames, green.FormerNames);

        // Likewise two clusters whose long names share their first 60 characters.
        var prefix = new string('x', 60);
        Assert.NotEqual(OwnedRoleSpec.ClusterRole(prefix + "-one").Name, OwnedRoleSpec.ClusterRole(prefix + "-two").Name);
    }

    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$")]
    private static partial Regex IamRoleName();
}
