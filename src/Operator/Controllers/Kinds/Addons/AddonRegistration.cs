using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.Addons;

internal static class AddonRegistration
{
    public static KindRegistration Kind { get; } = new(
        typeof(Addon),
        "Addon",
        "addons",
        [.. KindRegistration.BaseVerbs, "delete"], // deleted by their cluster
        // EKS: "tens of seconds to about 2 minutes" to create, seconds to minutes to update (aws-api-additions.md §1.6).
        _ => new Dictionary<string, TimeSpan>
        {
            [ConditionReasons.Creating] = TimeSpan.FromMinutes(1),
            [ConditionReasons.Updating] = TimeSpan.FromSeconds(45),
            [ConditionReasons.Deleting] = TimeSpan.FromSeconds(30),
        },
        [
            "eks:CreateAddon", "eks:DescribeAddon", "eks:UpdateAddon", "eks:DeleteAddon", "eks:DescribeUpdate",
            "eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration", "eks:TagResource", "eks:UntagResource",
        ],
        [
            new("CLUSTER", o => ((Addon)o).Spec.ClusterRef.Name),
            new("ADDON", o => AddonKind.AwsName((Addon)o)),
            new("VERSION", o => ((Addon)o).Status?.Version),
            new("STATUS", o => o.CommonStatus?.AwsStatus),
        ],
        json => k8s.KubernetesJson.Deserialize<Addon>(json),
        KindRegistry.HasUid<Addon>,
        runtime => runtime.AddAwsKind<Addon, EksAddon, AddonKind>(c => c
            .Watches<EksCluster>((cluster, cache) => ClusterIndex.Dependents<Addon>(cluster, cache))),
        ClusterChild.Of<Addon>(addon => addon.Spec.ClusterRef));
}
