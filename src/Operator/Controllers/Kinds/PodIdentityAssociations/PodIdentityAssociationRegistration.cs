using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.PodIdentityAssociations;

internal static class PodIdentityAssociationRegistration
{
    /// <summary>EKS answers association calls at once; they are eventually consistent for a few seconds.</summary>
    private static readonly TimeSpan Settles = TimeSpan.FromSeconds(5);

    public static KindRegistration Kind { get; } = new(
        typeof(PodIdentityAssociation),
        "PodIdentityAssociation",
        "podidentityassociations",
        [.. KindRegistration.BaseVerbs, "delete"], // deleted by their cluster
        _ => new Dictionary<string, TimeSpan>
        {
            [ConditionReasons.Creating] = Settles,
            [ConditionReasons.Updating] = Settles,
            [ConditionReasons.Deleting] = Settles,
        },
        [
            "eks:CreatePodIdentityAssociation", "eks:DescribePodIdentityAssociation", "eks:UpdatePodIdentityAssociation",
            "eks:DeletePodIdentityAssociation", "eks:ListPodIdentityAssociations", "eks:DescribeAddon",
            "eks:TagResource", "eks:UntagResource",
        ],
        [
            new("CLUSTER", o => ((PodIdentityAssociation)o).Spec.ClusterRef.Name),
            new("SERVICEACCOUNT", o => $"{((PodIdentityAssociation)o).Spec.Namespace}/{((PodIdentityAssociation)o).Spec.ServiceAccount}"),
        ],
        json => k8s.KubernetesJson.Deserialize<PodIdentityAssociation>(json),
        KindRegistry.HasUid<PodIdentityAssociation>,
        runtime => runtime.AddAwsKind<PodIdentityAssociation, EksPodIdentityAssociation, PodIdentityAssociationKind>(c => c
            .Watches<EksCluster>((cluster, cache) => ClusterIndex.Dependents<PodIdentityAssociation>(cluster, cache))),
        ClusterChild.Of<PodIdentityAssociation>(pia => pia.Spec.ClusterRef));
}
