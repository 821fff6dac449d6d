using EksOperator.Aws.Eks;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.Capabilities;

/// <summary>
/// The Capability adapter: an EKS capability (managed Argo CD, ACK or kro) on its cluster. The role is the one the
/// spec names, or one the operator creates and owns, trusted by capabilities.eks.amazonaws.com. The role, Argo CD's
/// role mappings and its network access change in place through one CapabilityUpdate at a time; the type, the
/// Identity Center instance and the namespace never change, so a capability that differs in them is Stalled.
/// </summary>
internal sealed class CapabilityKind(IEksCapabilities capabilities, ClusterDependents dependents, OwnedRoles roles, WorkloadRolePolicy rolePolicy)
    : AwsKind<Capability, EksCapability>
{
    public static string AwsName(Capability capability) => capability.Spec.Name ?? capability.Metadata.Name;

    private static CapabilityStatus StatusOf(Capability capability) => capability.EnsureStatus();

    public override Task<Placed> PlaceAsync(Capability capability, bool deleting, CancellationToken ct) =>
        dependents.PlaceAsync(capability, capability.Spec.ClusterRef, deleting,
            cluster => ($"capability {AwsName(capability)} on cluster {cluster}", $"capability {AwsName(capability)}"), ct);

    public override string? Inputs(Capability capability) => dependents.Inputs(capability, capability.Spec.ClusterRef);

    public override Task<EksCapability?> ReadAsync(Capability capability, Placement at, CancellationToken ct) =>
        capabilities.FindAsync(at.ClusterName, AwsName(capability), ct);

    public override AwsView View(EksCapability observed) => new(observed.Arn!, observed.Tags, observed.Status switch
    {
        "CREATING" => Lifecycle.Creating,
        "UPDATING" => Lifecycle.Updating,
        "DELETING" => Lifecycle.Deleting,
        "CREATE_FAILED" or "UPDATE_FAILED" or "DELETE_FAILED" or "DEGRADED" => Lifecycle.Failed,
        _ => Lifecycle.Active,
    }, observed.Status ?? "", UpdateTracker.HealthText(observed.Health));

    public override void Observe(Capability capability, EksCapability observed)
    {
        var status = StatusOf(capability);
        status.Arn = observed.Arn;
        status.AwsStatus = observed.Status;
        status.Type = observed.Type;
        status.Version = observed.Version;
        status.Health = UpdateTracker.HealthOf(observed.Health);
        status.ServerUrl = observed.Configuration?.ArgoCd?.ServerUrl;
        status.IdcManagedApplicationArn = observed.Configuration?.ArgoCd?.AwsIdc?.IdcManagedApplicationArn;
        // While the spec asks for the owned role, status keeps its ARN: Changes points the capability at it.
        status.RoleArn = status.RoleCreated == true && capability.Spec.RoleArn is null ? status.RoleArn ?? observed.RoleArn : observed.RoleArn ?? status.RoleArn;
    }

    public override Task<CreatePlan> PlanCreateAsync(Capability capability, Placement at, CancellationToken ct) => Task.FromResult(CreatePlan.Ready());

    public override string? GivenRole(Capability capability) => capability.Spec.RoleArn;

    public override OwnedRoleSpec? OwnedRole(Capability capability, Placement at) =>
        capability.Spec.RoleArn is null ? rolePolicy.CapabilityRoleFor(at.ClusterName, AwsName(capability)) : null;

    /// <summary>The owned role under the name it was created with (cluster and capability name), whatever the spec names now.</summary>
    public override OwnedRoleSpec FormerOwnedRole(Capability capability, Placement at) => rolePolicy.CapabilityRoleFor(at.ClusterName, AwsName(capability));

    public override string? RecordedRole(Capability capability) => capability.Status?.RoleArn;

    public override void RecordRole(Capability capability, string roleArn, bool owned)
    {
        var status = StatusOf(capability);
        status.RoleArn = roleArn;
        status.RoleCreated = owned ? true : null;
    }

    public override string? RoleOf(EksCapability observed) => observed.RoleArn;

    public override Task<EksCapability> CreateAsync(Capability capability, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct) =>
        capabilities.CreateAsync(at.ClusterName, AwsName(capability), capability.Spec, roleArn!, Claims.OwnerOf(capability), ct);

    public override string CreatedText(Capability capability, Placement at, EksCapability created) =>
        $"CreateCapability sent for {AwsName(capability)} ({created.Type}) on {at.ClusterName} (role {created.RoleArn})";

    public override UpdateTarget UpdateTarget(Capability capability, Placement at) => new(at.ClusterName, CapabilityName: AwsName(capability));

    public override IReadOnlyList<DriftEntry> ObservedDrift(Capability capability, Placement at, EksCapability observed) =>
        capabilities.ImmutableDrift(capability.Spec, observed);

    /// <summary>
    /// What no update can change is a refusal (an adopted capability of another type, or another Identity Center);
    /// then the owned role, created when the spec moves from roleArn to none, before the update that names it.
    /// </summary>
    public override async Task<Outcome?> BeforeChangesAsync(Capability capability, Placement at, EksCapability observed, CancellationToken ct)
    {
        if (capabilities.ImmutableDrift(capability.Spec, observed) is [var first, ..] fixedFields)
        {
            var what = string.Join("; ", fixedFields.Select(d => $"{d.Field} is {d.Desired} but {at.Noun} has {d.Actual}"));
            return new Outcome.Stall(ConditionReasons.InvalidSpec,
                $"{what}: EKS cannot change {first.Field} of a capability in place; set it back, or delete the capability and create it again", StallCause.Spec);
        }

        if (capability.Spec.RoleArn is not null || StatusOf(capability).RoleCreated == true) return null;
        var (_, notOurs) = await roles.EnsureAsync(this, capability, at, ct);
        return notOurs ?? new Outcome.Progress(ConditionReasons.Updating, $"Created the owned role of {at.Noun}", Wait.Briefly);
    }

    public override IReadOnlyList<PlannedChange> Changes(Capability capability, Placement at, EksCapability observed)
    {
        var role = capability.Spec.RoleArn ?? (capability.Status?.RoleCreated == true ? capability.Status.RoleArn : null) ?? observed.RoleArn;
        return role is not null && capabilities.ChangeFor(capability.Spec, role, observed) is { } change
            ? [new PlannedChange(change.Drift, ConditionReasons.Updating, token => capabilities.ApplyAsync(at.ClusterName, AwsName(capability), change, token))]
            : [];
    }

    public override string ReadyDetail(EksCapability observed) => observed.Version is { } version ? $"at {version}" : "";

    public override bool Retains(Capability capability) => dependents.Retains(capability, capability.Spec.ClusterRef);

    public override Task DeleteAsync(Capability capability, Placement at, EksCapability observed, CancellationToken ct) =>
        capabilities.DeleteAsync(at.ClusterName, AwsName(capability), ct);

    public override string DeleteOperation => "DeleteCapability";
}
