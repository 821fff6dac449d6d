using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.NodeGroups;

internal static class NodeGroupRegistration
{
    public static KindRegistration Kind { get; } = new(
        typeof(ManagedNodeGroup),
        "ManagedNodeGroup",
        "managednodegroups",
        [.. KindRegistration.BaseVerbs, "delete"], // deleted by their cluster (no garbage collector needed)
        d => new Dictionary<string, TimeSpan>
        {
            [ConditionReasons.Creating] = d.NodegroupCreate,
            [ConditionReasons.Updating] = d.NodegroupConfigUpdate,
            [ConditionReasons.UpgradingNodeGroups] = d.NodegroupVersionUpdate,
            [ConditionReasons.Deleting] = d.NodegroupDelete,
        },
        [
            "eks:CreateNodegroup", "eks:DescribeNodegroup", "eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion",
            "eks:DescribeUpdate", "eks:DeleteNodegroup", "eks:TagResource", "eks:UntagResource",
        ],
        [
            new("CLUSTER", o => ((ManagedNodeGroup)o).Spec.ClusterRef.Name),
            new("VERSION", o => ((ManagedNodeGroup)o).Status?.Version),
            new("STATUS", o => o.CommonStatus?.AwsStatus),
            new("DESIRED", o => ((ManagedNodeGroup)o).Status?.DesiredSize?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ],
        json => k8s.KubernetesJson.Deserialize<ManagedNodeGroup>(json),
        KindRegistry.HasUid<ManagedNodeGroup>,
        runtime => runtime.AddAwsKind<ManagedNodeGroup, Nodegroup, NodeGroupKind>(c => c
            .Watches<EksCluster>((cluster, cache) => ClusterIndex.Dependents<ManagedNodeGroup>(cluster, cache))),
        ClusterChild.Of<ManagedNodeGroup>(ng => ng.Spec.ClusterRef));
}
