using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.Capabilities;

internal static class CapabilityRegistration
{
    public static KindRegistration Kind { get; } = new(
        typeof(Capability),
        "Capability",
        OperatorApi.Plurals.Capabilities,
        [.. KindRegistration.BaseVerbs, "delete"], // deleted by their cluster
        // EKS installs the capability's CRDs in "some minutes" (aws-api-additions.md §7; no figure published).
        _ => new Dictionary<string, TimeSpan>
        {
            [ConditionReasons.Creating] = TimeSpan.FromMinutes(2),
            [ConditionReasons.Updating] = TimeSpan.FromSeconds(30),
            [ConditionReasons.Deleting] = TimeSpan.FromMinutes(1),
        },
        [
            "eks:CreateCapability", "eks:DescribeCapability", "eks:UpdateCapability", "eks:DeleteCapability", "eks:DescribeUpdate",
            "eks:TagResource", "eks:UntagResource",
        ],
        [
            new("CLUSTER", o => ((Capability)o).Spec.ClusterRef.Name),
            new("TYPE", o => Aws.Mapping.CapabilityMapping.TypeName(((Capability)o).Spec.Type)),
            new("STATUS", o => o.CommonStatus?.AwsStatus),
        ],
        json => k8s.KubernetesJson.Deserialize<Capability>(json),
        KindRegistry.HasUid<Capability>,
        runtime => runtime.AddAwsKind<Capability, EksCapability, CapabilityKind>(c => c
            .Watches<EksCluster>((cluster, cache) => ClusterIndex.Dependents<Capability>(cluster, cache))),
        ClusterChild.Of<Capability>(capability => capability.Spec.ClusterRef));
}
