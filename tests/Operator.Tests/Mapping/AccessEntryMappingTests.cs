using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Operator.Tests.Mapping;

/// <summary>AccessEntryMapping: policy names, scopes, the create body, and what counts as a difference.</summary>
public sealed class AccessEntryMappingTests
{
    private static readonly Owner Owner = new("uid-1", "team-a", "ae1");

    private static AccessEntrySpec Spec(AccessEntryType? type = null, string[]? groups = null, string? username = null) => new()
    {
        ClusterRef = new ClusterReference { Name = "c1" },
        PrincipalArn = "arn:aws:iam::111122223333:role/dev",
        Type = type,
        KubernetesGroups = groups,
        Username = username,
    };

    [Theory]
    [InlineData("AmazonEKSViewPolicy", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy")]
    [InlineData("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy")]
    [InlineData("arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy", "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy")]
    public void A_short_policy_name_becomes_its_ARN_and_an_ARN_is_kept(string policy, string arn) =>
        Assert.Equal(arn, AccessEntryMapping.PolicyArn(policy));

    [Fact]
    public void A_namespace_scope_is_sent_sorted_and_a_cluster_scope_without_namespaces()
    {
        var ns = AccessEntryMapping.ScopeOf(new AccessScope { Type = AccessScopeType.Namespace, Namespaces = ["prod", "dev-*", "ci"] });
        Assert.Equal(("namespace", "ci,dev-*,prod"), (ns.Type, string.Join(",", ns.Namespaces!)));
        var cluster = AccessEntryMapping.ScopeOf(new AccessScope { Type = AccessScopeType.Cluster, Namespaces = ["ignored"] });
        Assert.Equal(("cluster", (IReadOnlyList<string>?)null), (cluster.Type, cluster.Namespaces));
    }

    [Fact]
    public void Scopes_are_described_the_same_whatever_the_order_EKS_reports()
    {
        Assert.Equal("namespace[a,b]", AccessEntryMapping.Describe(new EksAccessScope { Type = "namespace", Namespaces = ["b", "a"] }));
        Assert.Equal("cluster", AccessEntryMapping.Describe(new EksAccessScope { Type = "cluster" }));
        Assert.Equal("(none)", AccessEntryMapping.Describe(null));
    }

    [Fact]
    public void The_create_body_carries_type_groups_username_ownership_tags_and_a_stable_token()
    {
        var spec = Spec(groups: ["devs"], username: "dev-user");
        spec.Tags = new Dictionary<string, string> { ["team"] = "web", [OwnershipTags.OwnerUid] = "forged" };

        var body = AccessEntryMapping.ToCreateBody(spec, Owner);

        Assert.Equal(("arn:aws:iam::111122223333:role/dev", "STANDARD", "dev-user"), (body.PrincipalArn, body.Type, body.Username));
        Assert.Equal(["devs"], body.KubernetesGroups);
        Assert.Equal(("web", "uid-1", "team-a", "ae1"), (body.Tags!["team"], body.Tags[OwnershipTags.OwnerUid], body.Tags[OwnershipTags.Namespace], body.Tags[OwnershipTags.Name]));
        Assert.Equal("access-entry-uid-1", body.ClientRequestToken);
        Assert.Null(AccessEntryMapping.ToCreateBody(Spec(groups: []), Owner).KubernetesGroups);
        Assert.Equal("FARGATE_LINUX", AccessEntryMapping.ToCreateBody(Spec(AccessEntryType.FargateLinux), Owner).Type);
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, new[] { "b", "a" }, false)]
    [InlineData(new[] { "a", "b" }, new[] { "a" }, true)]
    [InlineData(new string[0], null, false)]
    [InlineData(null, new[] { "a" }, true)]
    public void Groups_differ_as_sets(string[]? wanted, string[]? reported, bool differ) =>
        Assert.Equal(differ, AccessEntryMapping.GroupsDiffer(Spec(groups: wanted), new EksAccessEntry { KubernetesGroups = reported }));

    [Theory]
    [InlineData(AccessEntryType.Ec2Linux)]
    [InlineData(AccessEntryType.Ec2Windows)]
    [InlineData(AccessEntryType.FargateLinux)]
    [InlineData(AccessEntryType.HybridLinux)]
    public void Node_and_Fargate_types_compare_neither_groups_nor_username(AccessEntryType type)
    {
        var reported = new EksAccessEntry { KubernetesGroups = ["system:nodes"], Username = "system:node:{{EC2PrivateDNSName}}" };
        Assert.False(AccessEntryMapping.GroupsDiffer(Spec(type, groups: ["x"]), reported));
        Assert.False(AccessEntryMapping.UsernameDiffers(Spec(type, username: "x"), reported));
        Assert.True(AccessEntryMapping.GroupsDiffer(Spec(AccessEntryType.Standard, groups: ["x"]), reported));
    }

    [Fact]
    public void An_unset_username_never_differs_and_a_set_one_does_when_EKS_reports_another()
    {
        var reported = new EksAccessEntry { Username = "chosen-by-eks" };
        Assert.False(AccessEntryMapping.UsernameDiffers(Spec(), reported));
        Assert.True(AccessEntryMapping.UsernameDiffers(Spec(username: "dev-user"), reported));
        Assert.False(AccessEntryMapping.UsernameDiffers(Spec(username: "chosen-by-eks"), reported));
    }

    [Fact]
    public void Groups_are_shown_sorted() => Assert.Equal("[a,b,c]", AccessEntryMapping.Groups(["c", "a", "b"]));
}
