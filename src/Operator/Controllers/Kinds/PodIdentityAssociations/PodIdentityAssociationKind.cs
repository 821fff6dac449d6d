using EksOperator.Aws.Eks;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds.PodIdentityAssociations;

/// <summary>
/// The PodIdentityAssociation adapter: the IAM role of one service account's pods on a cluster. The role is the one the
/// spec names, or one the operator creates and owns with spec.policyArns (only policies the administrators allow).
/// Role, target role and session tags change in place, at once. An association an add-on owns is the Addon's.
/// </summary>
internal sealed class PodIdentityAssociationKind(
    IEksPodIdentityAssociations associations,
    IEksAddons addons,
    ClusterDependents dependents,
    OwnedRoles roles,
    WorkloadRolePolicy rolePolicy,
    IEventRecorder events) : AwsKind<PodIdentityAssociation, EksPodIdentityAssociation>
{
    private const string AgentInstalled = "Installed";
    private const string AgentMissing = "Missing";

    private static PodIdentityAssociationStatus StatusOf(PodIdentityAssociation pia) => pia.EnsureStatus();

    private static string Subject(PodIdentityAssociation pia) => $"{pia.Spec.Namespace}/{pia.Spec.ServiceAccount}";

    public override Task<Placed> PlaceAsync(PodIdentityAssociation pia, bool deleting, CancellationToken ct) =>
        dependents.PlaceAsync(pia, pia.Spec.ClusterRef, deleting,
            cluster => ($"Pod Identity association for {Subject(pia)} on cluster {cluster}", $"Pod Identity association for {Subject(pia)}"), ct);

    public override string? Inputs(PodIdentityAssociation pia) => dependents.Inputs(pia, pia.Spec.ClusterRef);

    public override Task<Outcome?> ValidateAsync(PodIdentityAssociation pia, Placement at, CancellationToken ct) =>
        Task.FromResult<Outcome?>(rolePolicy.Refusal(pia.Spec.PolicyArns ?? [], "spec.policyArns", "name a role in spec.roleArn") is { } refusal
            ? new Outcome.Stall(ConditionReasons.InvalidSpec, refusal, StallCause.Spec)
            : null);

    public override Task<EksPodIdentityAssociation?> ReadAsync(PodIdentityAssociation pia, Placement at, CancellationToken ct) =>
        associations.FindAsync(at.ClusterName, pia.Status?.AssociationId, pia.Spec.Namespace, pia.Spec.ServiceAccount, ct);

    // Associations have no status in EKS: one that exists is in effect.
    public override AwsView View(EksPodIdentityAssociation observed) =>
        new(observed.AssociationArn!, observed.Tags, Lifecycle.Active, "ACTIVE", "no health issues reported");

    public override Outcome? Refuse(PodIdentityAssociation pia, Placement at, EksPodIdentityAssociation observed) =>
        observed.OwnerArn is { Length: > 0 } owner
            ? new Outcome.Stall(ConditionReasons.AlreadyExists,
                $"the Pod Identity association for {Subject(pia)} on cluster {at.ClusterName} belongs to add-on {owner}; manage it through that Addon's spec.podIdentityAssociations, or delete this object",
                StallCause.World)
            : null;

    public override void Observe(PodIdentityAssociation pia, EksPodIdentityAssociation observed)
    {
        var status = StatusOf(pia);
        status.Arn = observed.AssociationArn;
        status.AssociationArn = observed.AssociationArn;
        status.AssociationId = observed.AssociationId;
        status.OwnerArn = observed.OwnerArn;
        status.AwsStatus = "ACTIVE";
        // While the spec asks for the owned role, status keeps its ARN: Changes points the association at it (a move
        // from roleArn to policyArns records the new role one pass before the update that uses it).
        status.RoleArn = status.RoleCreated == true && pia.Spec.RoleArn is null ? status.RoleArn ?? observed.RoleArn : observed.RoleArn ?? status.RoleArn;
        status.ExternalId = observed.ExternalId;
    }

    public override Task<CreatePlan> PlanCreateAsync(PodIdentityAssociation pia, Placement at, CancellationToken ct) => Task.FromResult(CreatePlan.Ready());

    public override string? GivenRole(PodIdentityAssociation pia) => pia.Spec.RoleArn;

    public override OwnedRoleSpec? OwnedRole(PodIdentityAssociation pia, Placement at) =>
        pia.Spec.PolicyArns is { Count: > 0 } policies ? rolePolicy.RoleFor(at.ClusterName, $"{pia.Spec.Namespace}-{pia.Spec.ServiceAccount}", [.. policies]) : null;

    /// <summary>
    /// The owned role under the name it was created with (the cluster, namespace and service account name it; the policies
    /// do not, and deleting it detaches whatever it carries).
    /// </summary>
    public override OwnedRoleSpec FormerOwnedRole(PodIdentityAssociation pia, Placement at) =>
        rolePolicy.RoleFor(at.ClusterName, $"{pia.Spec.Namespace}-{pia.Spec.ServiceAccount}", [.. pia.Spec.PolicyArns ?? []]);

    public override string? RecordedRole(PodIdentityAssociation pia) => pia.Status?.RoleArn;

    public override void RecordRole(PodIdentityAssociation pia, string roleArn, bool owned)
    {
        var status = StatusOf(pia);
        status.RoleArn = roleArn;
        status.RoleCreated = owned ? true : null;
        status.RolePolicyArns = owned ? [.. pia.Spec.PolicyArns ?? []] : null;
    }

    public override string? RoleOf(EksPodIdentityAssociation observed) => observed.RoleArn;

    public override Task<EksPodIdentityAssociation> CreateAsync(PodIdentityAssociation pia, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct) =>
        associations.CreateAsync(at.ClusterName, pia.Spec, roleArn!, Claims.OwnerOf(pia), ct);

    public override string CreatedText(PodIdentityAssociation pia, Placement at, EksPodIdentityAssociation created) =>
        $"CreatePodIdentityAssociation sent for {Subject(pia)} on {at.ClusterName} (role {created.RoleArn})";

    /// <summary>
    /// The owned role first: created when the spec moves from roleArn to policyArns, its policies brought to the spec
    /// when they changed. The association is pointed at it on the next pass.
    /// </summary>
    public override async Task<Outcome?> BeforeChangesAsync(PodIdentityAssociation pia, Placement at, EksPodIdentityAssociation observed, CancellationToken ct)
    {
        if (pia.Spec.PolicyArns is not { Count: > 0 } wanted) return null;
        var status = StatusOf(pia);
        if (status.RoleCreated == true && status.RolePolicyArns is { } had && had.Order(StringComparer.Ordinal).SequenceEqual(wanted.Order(StringComparer.Ordinal)))
        {
            return null;
        }

        var (_, notOurs) = await roles.EnsureAsync(this, pia, at, ct);
        return notOurs ?? new Outcome.Progress(ConditionReasons.Updating, $"Gave the owned role of {at.Noun} the policies {string.Join(", ", wanted)}", Wait.Briefly);
    }

    public override IReadOnlyList<PlannedChange> Changes(PodIdentityAssociation pia, Placement at, EksPodIdentityAssociation observed)
    {
        var role = pia.Spec.RoleArn ?? (pia.Status?.RoleCreated == true ? pia.Status.RoleArn : null) ?? observed.RoleArn;
        return role is not null && associations.ChangeFor(pia.Spec, role, observed) is { } change && observed.AssociationId is { } id
            ? [PlannedChange.Immediate(change.Drift, token => associations.ApplyAsync(at.ClusterName, id, change, token))]
            : [];
    }

    /// <summary>EKS accepts an association without the agent, but no pod gets credentials until the agent runs: a warning, once.</summary>
    public override async Task<AfterSync> AfterSyncAsync(PodIdentityAssociation pia, Placement at, EksPodIdentityAssociation observed, CancellationToken ct)
    {
        var agent = await addons.RunsAsync(at.ClusterName, AddonNames.PodIdentityAgent, ct) ? AgentInstalled : AgentMissing;
        var status = StatusOf(pia);
        if (agent == AgentMissing && status.PodIdentityAgent != AgentMissing)
        {
            await events.RecordAsync(pia, EventType.Warning, "PodIdentityAgentMissing",
                $"cluster {at.ClusterName} has no {AddonNames.PodIdentityAgent} add-on: pods of {Subject(pia)} get no AWS credentials until it runs (add an Addon named {AddonNames.PodIdentityAgent})", ct);
        }

        status.PodIdentityAgent = agent;
        return AfterSync.InSync;
    }

    public override bool Retains(PodIdentityAssociation pia) => dependents.Retains(pia, pia.Spec.ClusterRef);

    public override Task DeleteAsync(PodIdentityAssociation pia, Placement at, EksPodIdentityAssociation observed, CancellationToken ct) =>
        associations.DeleteAsync(at.ClusterName, observed.AssociationId!, ct);

    public override string DeleteOperation => "DeletePodIdentityAssociation";
}
