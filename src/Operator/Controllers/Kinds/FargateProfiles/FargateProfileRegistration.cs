using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using AwsProfile = EksOperator.Aws.Eks.FargateProfile;

namespace EksOperator.Controllers.Kinds.FargateProfiles;

internal static class FargateProfileRegistration
{
    public static KindRegistration Kind { get; } = new(
        typeof(FargateProfile),
        "FargateProfile",
        "fargateprofiles",
        [.. KindRegistration.BaseVerbs, "delete"], // deleted by their cluster (no garbage collector needed)
        d => new Dictionary<string, TimeSpan>
        {
            [ConditionReasons.Creating] = d.FargateProfileCreate,
            [ConditionReasons.Deleting] = d.FargateProfileDelete,
        },
        ["eks:CreateFargateProfile", "eks:DescribeFargateProfile", "eks:DeleteFargateProfile", "eks:TagResource", "eks:UntagResource"],
        [
            new("CLUSTER", o => ((FargateProfile)o).Spec.ClusterRef.Name),
            new("STATUS", o => o.CommonStatus?.AwsStatus),
        ],
        json => k8s.KubernetesJson.Deserialize<FargateProfile>(json),
        KindRegistry.HasUid<FargateProfile>,
        runtime => runtime.AddAwsKind<FargateProfile, AwsProfile, FargateProfileKind>(c => c
            .Watches<EksCluster>((cluster, cache) => ClusterIndex.Dependents<FargateProfile>(cluster, cache))),
        ClusterChild.Of<FargateProfile>(fp => fp.Spec.ClusterRef));
}
