using EksOperator.Aws.Resources;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.AccessEntries;

/// <summary>
/// The AccessEntry adapter: an EKS access entry on its cluster and the access policies associated with it. EKS makes
/// these changes at once (no update to follow): groups and username first, then one policy association or
/// disassociation per pass. An entry needs no IAM role of its own.
/// </summary>
internal sealed class AccessEntryKind(IEksAccessEntries entries, ClusterDependents dependents) : AwsKind<AccessEntry, AccessEntryState>
{
    /// <summary>EKS's answer while the cluster only reads the aws-auth ConfigMap.</summary>
    private const string ConfigMapMode = "CONFIG_MAP";

    private static AccessEntryStatus StatusOf(AccessEntry ae) => ae.EnsureStatus();

    public override Task<Placed> PlaceAsync(AccessEntry ae, bool deleting, CancellationToken ct) =>
        dependents.PlaceAsync(ae, ae.Spec.ClusterRef, deleting, cluster => ($"access entry for {ae.Spec.PrincipalArn} on cluster {cluster}", $"access entry for {ae.Spec.PrincipalArn}"), ct);

    public override string? Inputs(AccessEntry ae) => dependents.Inputs(ae, ae.Spec.ClusterRef);

    /// <summary>
    /// Access entries need the cluster in API or API_AND_CONFIG_MAP mode. The mode EKS reports decides; a change the
    /// cluster's spec asks for and EKS has not made yet is waited for, a cluster meant to stay CONFIG_MAP is the spec's to fix.
    /// </summary>
    public override Task<Outcome?> ValidateAsync(AccessEntry ae, Placement at, CancellationToken ct)
    {
        var cluster = at.Cluster!;
        var reported = cluster.Status?.AuthenticationMode;
        var wanted = cluster.Spec.Access?.AuthenticationMode is { } mode ? Aws.Mapping.ClusterMapping.EnumName(mode) : null;
        // What EKS reports decides; a status from before it was recorded falls back to the spec.
        if (AllowsEntries(reported ?? wanted)) return Task.FromResult<Outcome?>(null);
        if (AllowsEntries(wanted))
        {
            return Task.FromResult<Outcome?>(new Outcome.Progress(ConditionReasons.WaitingForCluster,
                $"waiting for EksCluster {cluster.Metadata.Name} to move to authentication mode {wanted} (EKS reports {reported})", Wait.ForDependency));
        }

        return Task.FromResult<Outcome?>(new Outcome.Stall(ConditionReasons.InvalidSpec,
            $"EksCluster {cluster.Metadata.Name} uses authentication mode {reported ?? ConfigMapMode}, where EKS refuses access entries: " +
            "set its spec.access.authenticationMode to API_AND_CONFIG_MAP (or API)", StallCause.Spec));
    }

    private static bool AllowsEntries(string? mode) => mode is not (null or ConfigMapMode);

    public override Task<AccessEntryState?> ReadAsync(AccessEntry ae, Placement at, CancellationToken ct) => entries.FindAsync(at.ClusterName, ae.Spec.PrincipalArn, ct);

    // Access entries have no status in EKS: one that exists is in effect.
    public override AwsView View(AccessEntryState observed) =>
        new(observed.Entry.AccessEntryArn!, observed.Entry.Tags, Lifecycle.Active, "ACTIVE", "no health issues reported");

    public override void Observe(AccessEntry ae, AccessEntryState observed)
    {
        var status = StatusOf(ae);
        status.Arn = observed.Entry.AccessEntryArn;
        status.AccessEntryArn = observed.Entry.AccessEntryArn;
        status.AwsStatus = "ACTIVE";
        status.Username = observed.Entry.Username;
        status.KubernetesGroups = observed.Entry.KubernetesGroups is { Count: > 0 } groups ? [.. groups] : null;
        status.AccessPolicies = observed.Policies.Count > 0
            ? [.. observed.Policies.Select(p => new AssociatedAccessPolicy
            {
                PolicyArn = p.PolicyArn ?? "",
                ScopeType = p.AccessScope?.Type,
                Namespaces = p.AccessScope?.Namespaces is { Count: > 0 } ns ? [.. ns] : null,
            }).OrderBy(p => p.PolicyArn, StringComparer.Ordinal)]
            : null;
    }

    public override Task<CreatePlan> PlanCreateAsync(AccessEntry ae, Placement at, CancellationToken ct) => Task.FromResult(CreatePlan.Ready());

    public override Task<AccessEntryState> CreateAsync(AccessEntry ae, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct) =>
        entries.CreateAsync(at.ClusterName, ae.Spec, Claims.OwnerOf(ae), ct);

    public override string CreatedText(AccessEntry ae, Placement at, AccessEntryState created) =>
        $"CreateAccessEntry sent for {ae.Spec.PrincipalArn} on {at.ClusterName} ({Aws.Mapping.AccessEntryMapping.TypeName(ae.Spec.Type)})";

    public override IReadOnlyList<PlannedChange> Changes(AccessEntry ae, Placement at, AccessEntryState observed) =>
        [.. entries.ChangesFor(at.ClusterName, ae.Spec, observed).Select(change => PlannedChange.Immediate(change.Drift, token => entries.ApplyAsync(change, token)))];

    public override bool Retains(AccessEntry ae) => dependents.Retains(ae, ae.Spec.ClusterRef);

    public override Task DeleteAsync(AccessEntry ae, Placement at, AccessEntryState observed, CancellationToken ct) => entries.DeleteAsync(at.ClusterName, ae.Spec.PrincipalArn, ct);

    public override string DeleteOperation => "DeleteAccessEntry";
}
