using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using Microsoft.Extensions.DependencyInjection;
using AwsCluster = EksOperator.Aws.Eks.Cluster;

namespace EksOperator.Controllers.Kinds.Clusters;

internal static class ClusterRegistration
{
    public static KindRegistration Kind { get; } = new(
        typeof(EksCluster),
        "EksCluster",
        "eksclusters",
        KindRegistration.BaseVerbs,
        d => new Dictionary<string, TimeSpan>
        {
            [ConditionReasons.Creating] = d.ClusterCreate,
            [ConditionReasons.UpgradingControlPlane] = d.ClusterVersionUpdate,
            [ConditionReasons.Updating] = d.ClusterConfigUpdate,
            [ConditionReasons.Deleting] = d.ClusterDelete,
            // Add-ons update in tens of seconds to about two minutes (aws-api-additions.md §1.6).
            [ConditionReasons.UpgradingAddons] = TimeSpan.FromMinutes(1),
        },
        [
            "eks:CreateCluster", "eks:DescribeCluster", "eks:UpdateClusterConfig", "eks:UpdateClusterVersion", "eks:AssociateEncryptionConfig",
            "eks:DescribeUpdate", "eks:DeleteCluster", "eks:ListNodegroups", "eks:ListFargateProfiles", "eks:DescribeClusterVersions",
            "eks:ListInsights", "eks:DescribeInsight", "eks:StartInsightsRefresh", "eks:DescribeInsightsRefresh", "eks:DescribeAddonVersions",
            "eks:TagResource", "eks:UntagResource", "ec2:DescribeSubnets",
        ],
        [
            new("VERSION", o => ((EksCluster)o).Status?.Version),
            new("STATUS", o => o.CommonStatus?.AwsStatus),
        ],
        json => k8s.KubernetesJson.Deserialize<EksCluster>(json),
        KindRegistry.HasUid<EksCluster>,
        runtime =>
        {
            runtime.Services.AddSingleton<KubeconfigWriter>();
            runtime.Services.AddSingleton<UpgradePreflight>();
            runtime.Services.AddSingleton<ClusterUpgrade>();
            runtime.Services.AddSingleton<ClusterChildren>();
            runtime.Services.AddSingleton<AutoModeRoles>();
            runtime.Services.AddSingleton<ClusterOidcProvider>();
            // Every child kind's change wakes its cluster: deletion and upgrades wait on them.
            runtime.AddAwsKind<EksCluster, AwsCluster, ClusterKind>(c => KindRegistry.All
                .Select(k => k.ChildOfCluster).OfType<ClusterChild>()
                .Aggregate(c, (builder, child) => child.WakeCluster(builder)));
        });
}
