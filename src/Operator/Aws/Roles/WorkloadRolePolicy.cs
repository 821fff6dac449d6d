namespace EksOperator.Aws.Roles;

/// <summary>
/// What the roles the operator creates for workloads (Pod Identity associations, add-on service accounts) may carry:
/// only the policies the administrators allow (<c>Aws:OwnedRolePolicies</c>) and, when set, their permissions
/// boundary (<c>Aws:OwnedRoleBoundaryArn</c>). A tenant who may write a PodIdentityAssociation must not obtain broader
/// AWS permissions through the operator than the administrators configured.
/// </summary>
public sealed record WorkloadRolePolicy(IReadOnlyList<string> AllowedPolicyArns, string? PermissionsBoundaryArn)
{
    /// <summary>The AWS managed policies the EKS add-ons document for their service accounts.</summary>
    public static IReadOnlyList<string> DocumentedAddonPolicies { get; } =
    [
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
        "arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy",
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess",
    ];

    public static WorkloadRolePolicy Default { get; } = new(DocumentedAddonPolicies, null);

    /// <summary>The policies of <paramref name="policyArns"/> that are not allowed, in the order given.</summary>
    public IReadOnlyList<string> Disallowed(IEnumerable<string> policyArns) =>
        [.. policyArns.Where(p => !AllowedPolicyArns.Contains(p, StringComparer.Ordinal))];

    /// <summary>
    /// Why <paramref name="policyArns"/> (from the spec field <paramref name="field"/>) cannot go on an owned role, naming
    /// what is allowed and the alternative (<paramref name="instead"/>); null when every policy is allowed.
    /// </summary>
    public string? Refusal(IEnumerable<string> policyArns, string field, string instead) =>
        Disallowed(policyArns.Distinct(StringComparer.Ordinal)) is { Count: > 0 } refused
            ? $"{field}: {string.Join(", ", refused)} may not be given to a role the operator creates (the operator's Aws:OwnedRolePolicies allows " +
              $"{string.Join(", ", AllowedPolicyArns)}); use an allowed policy, or {instead}"
            : null;

    /// <summary>The owned role of one service account's pods on a cluster.</summary>
    public OwnedRoleSpec RoleFor(string clusterName, string subject, IReadOnlyList<string> policyArns) =>
        OwnedRoleSpec.PodIdentityRole(clusterName, subject, policyArns, PermissionsBoundaryArn);

    /// <summary>The owned role of an EKS capability (no policies, the boundary).</summary>
    public OwnedRoleSpec CapabilityRoleFor(string clusterName, string capabilityName) =>
        OwnedRoleSpec.CapabilityRole(clusterName, capabilityName, PermissionsBoundaryArn);

    /// <summary>The owned role of one of an add-on's service accounts.</summary>
    public OwnedRoleSpec AddonRoleFor(string clusterName, string addonName, string serviceAccount, IReadOnlyList<string> policyArns) =>
        OwnedRoleSpec.AddonRole(clusterName, addonName, serviceAccount, policyArns, PermissionsBoundaryArn);
}
