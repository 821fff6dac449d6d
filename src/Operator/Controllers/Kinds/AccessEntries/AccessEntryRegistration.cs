using EksOperator.Aws.Resources;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.AccessEntries;

internal static class AccessEntryRegistration
{
    /// <summary>EKS answers access-entry calls at once; "may take several seconds to be effective" is all the waiting there is.</summary>
    private static readonly TimeSpan Settles = TimeSpan.FromSeconds(5);

    public static KindRegistration Kind { get; } = new(
        typeof(AccessEntry),
        "AccessEntry",
        "accessentries",
        [.. KindRegistration.BaseVerbs, "delete"], // deleted by their cluster
        _ => new Dictionary<string, TimeSpan>
        {
            [ConditionReasons.Creating] = Settles,
            [ConditionReasons.Updating] = Settles,
            [ConditionReasons.Deleting] = Settles,
        },
        [
            "eks:CreateAccessEntry", "eks:DescribeAccessEntry", "eks:UpdateAccessEntry", "eks:DeleteAccessEntry",
            "eks:ListAssociatedAccessPolicies", "eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy",
            "eks:TagResource", "eks:UntagResource",
        ],
        [
            new("CLUSTER", o => ((AccessEntry)o).Spec.ClusterRef.Name),
            new("PRINCIPAL", o => ((AccessEntry)o).Spec.PrincipalArn),
        ],
        json => k8s.KubernetesJson.Deserialize<AccessEntry>(json),
        KindRegistry.HasUid<AccessEntry>,
        runtime => runtime.AddAwsKind<AccessEntry, AccessEntryState, AccessEntryKind>(c => c
            .Watches<EksCluster>((cluster, cache) => ClusterIndex.Dependents<AccessEntry>(cluster, cache))),
        ClusterChild.Of<AccessEntry>(ae => ae.Spec.ClusterRef));
}
