using EksOperator.Aws.Eks;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Loop;

/// <summary>Where AWS says a resource is in its life, as the loop needs it.</summary>
internal enum Lifecycle
{
    Creating,
    Active,
    Updating,
    Deleting,
    Failed,
}

/// <summary>
/// Where an object's AWS resource lives for one pass. <see cref="What"/> names it in full for ownership messages
/// ("node group ng on cluster c"), <see cref="Noun"/> briefly for progress ("node group ng").
/// </summary>
internal sealed record Placement(string What, string Noun, string ClusterName, EksCluster? Cluster);

/// <summary>
/// The placement of a pass, or why there is none yet (<see cref="Hold"/>: waiting for a cluster, a region this
/// operator does not manage). <see cref="WhileWaiting"/> is set when the cluster is being created: enough to prepare
/// what does not need it ACTIVE (the IAM role, so that it has propagated in time).
/// </summary>
internal sealed record Placed(Placement? At, Outcome? Hold = null, Placement? WhileWaiting = null)
{
    public static Placed Nowhere { get; } = new((Placement?)null);
}

/// <summary>The loop's view of an AWS resource: identity, ownership tags, lifecycle, and text for messages.</summary>
internal sealed record AwsView(string Arn, IReadOnlyDictionary<string, string>? Tags, Lifecycle Lifecycle, string Status, string Health);

/// <summary>
/// One change EKS makes in one call, as data: what it corrects, the reason while it runs, and the intent-level call.
/// The call returns the EKS update to follow, or null when the change took effect at once (access entries, Pod
/// Identity associations: EKS answers those synchronously).
/// </summary>
internal sealed record PlannedChange(IReadOnlyList<DriftEntry> Drift, string Reason, Func<CancellationToken, Task<Update?>> Apply)
{
    /// <summary>A change that EKS runs as an update (UpdateClusterConfig, UpdateNodegroupVersion, ...), followed to its end.</summary>
    public static PlannedChange Tracked(IReadOnlyList<DriftEntry> drift, string reason, Func<CancellationToken, Task<Update>> apply) =>
        new(drift, reason, async ct => await apply(ct));

    /// <summary>A change that has taken effect when the call returns; the next pass reads the result.</summary>
    public static PlannedChange Immediate(IReadOnlyList<DriftEntry> drift, Func<CancellationToken, Task> apply) =>
        new(drift, Entities.ConditionReasons.Updating, async ct =>
        {
            await apply(ct);
            return null;
        });
}

/// <summary>A create the kind has checked and prepared (resolved subnets and the like), or why it cannot be made.</summary>
internal sealed record CreatePlan(object? Plan, Outcome? Refusal = null)
{
    public static CreatePlan Ready(object? plan = null) => new(plan);
}

/// <summary>What the kind does once AWS matches the spec: outputs written, or a reason it is not Ready after all.</summary>
internal sealed record AfterSync(Outcome? Outcome = null, TimeSpan? LookAgainWithin = null)
{
    public static AfterSync InSync { get; } = new();
}

/// <summary>
/// One adapter per kind: everything the loop needs to know about one AWS resource type, as questions with data for
/// answers (ACK's resource manager). The loop (<see cref="AwsResourceLoop{T, TAws}"/>) owns the order of steps,
/// conditions, events, requeues, ownership, finalizers, owned roles, tags and deletion; the hooks are the few
/// places where a kind does something of its own (the cluster's stepwise upgrade, the Fargate replacement).
/// </summary>
internal abstract class AwsKind<T, TAws>
    where T : class, IEksResource
    where TAws : class
{
    /// <summary>Where the resource lives, or why the pass cannot go on yet. Children resolve their cluster here.</summary>
    public abstract Task<Placed> PlaceAsync(T obj, bool deleting, CancellationToken ct);

    /// <summary>What of other objects the pass reads, so that the pass is not skipped when it changed (null: nothing).</summary>
    public virtual string? Inputs(T obj) => null;

    /// <summary>The resource as AWS describes it; null when it does not exist.</summary>
    public abstract Task<TAws?> ReadAsync(T obj, Placement at, CancellationToken ct);

    public abstract AwsView View(TAws observed);

    /// <summary>
    /// A resource the object must not take over whatever its tags say (a Pod Identity association an add-on owns):
    /// the refusal, before claiming. Null: claim as usual.
    /// </summary>
    public virtual Outcome? Refuse(T obj, Placement at, TAws observed) => null;

    /// <summary>Copies what AWS reports into the object's status (never the conditions).</summary>
    public abstract void Observe(T obj, TAws observed);

    /// <summary>A spec problem admission cannot see, checked before AWS is read (e.g. a node group newer than its cluster).</summary>
    public virtual Task<Outcome?> ValidateAsync(T obj, Placement at, CancellationToken ct) => Task.FromResult<Outcome?>(null);

    /// <summary>Checks and prepares a create; a refusal is reported and nothing is created.</summary>
    public abstract Task<CreatePlan> PlanCreateAsync(T obj, Placement at, CancellationToken ct);

    /// <summary>The IAM role the spec names, if it names one.</summary>
    public virtual string? GivenRole(T obj) => null;

    /// <summary>
    /// The role the operator creates and owns when the spec names none; null when the resource runs with no role of
    /// its own (an access entry), or the spec names one.
    /// </summary>
    public virtual OwnedRoleSpec? OwnedRole(T obj, Placement at) => null;

    /// <summary>
    /// The role the operator would own for this object if its spec named none: deleted with the object even after the
    /// spec moved to a named role (RoleManager deletes only a role tagged for this owner). Null: the kind has none, or
    /// its role cannot move (a node group's or Fargate profile's is fixed at create).
    /// </summary>
    public virtual OwnedRoleSpec? FormerOwnedRole(T obj, Placement at) => null;

    /// <summary>The role the object's status says it uses (set once created or resolved).</summary>
    public virtual string? RecordedRole(T obj) => null;

    /// <summary>Records the role in status; <paramref name="owned"/> when the operator created it.</summary>
    public virtual void RecordRole(T obj, string roleArn, bool owned)
    {
    }

    /// <summary>The role the AWS resource uses.</summary>
    public virtual string? RoleOf(TAws observed) => null;

    /// <summary>
    /// After the finalizer and the owned role, before the create: what else the create needs made first (the cluster's
    /// Auto Mode node role). Null: go on and create.
    /// </summary>
    public virtual Task<Outcome?> BeforeCreateAsync(T obj, Placement at, CancellationToken ct) => Task.FromResult<Outcome?>(null);

    /// <summary>Creates the resource; <paramref name="roleArn"/> is the given or owned role, null for a kind without one.</summary>
    public abstract Task<TAws> CreateAsync(T obj, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct);

    /// <summary>The event text of a create just sent, e.g. "CreateNodegroup sent for ng on c (1.33)".</summary>
    public abstract string CreatedText(T obj, Placement at, TAws created);

    /// <summary>Where the object's EKS updates run, for following them (null: the kind has no updates).</summary>
    public virtual UpdateTarget? UpdateTarget(T obj, Placement at) => null;

    /// <summary>The Reconciling reason while the recorded update runs.</summary>
    public virtual string RunningReason(T obj) => Entities.ConditionReasons.Updating;

    /// <summary>What the recorded update does, in words.</summary>
    public virtual string Doing(T obj, Placement at) => UpdateText.Of(obj.CommonStatus, at.Noun);

    /// <summary>What AWS reports that differs from the spec, for ObserveOnly, beyond the planned changes and tags.</summary>
    public virtual IReadOnlyList<DriftEntry> ObservedDrift(T obj, Placement at, TAws observed) => [];

    /// <summary>Before the planned changes: the kind's own step, if any (an upgrade step, a replacement). Null: go on.</summary>
    public virtual Task<Outcome?> BeforeChangesAsync(T obj, Placement at, TAws observed, CancellationToken ct) => Task.FromResult<Outcome?>(null);

    /// <summary>The changes that bring AWS to the spec, in the order they are made; the loop sends the first.</summary>
    public abstract IReadOnlyList<PlannedChange> Changes(T obj, Placement at, TAws observed);

    /// <summary>Once changes and tags are in sync: outputs, and anything that still keeps the object from Ready.</summary>
    public virtual Task<AfterSync> AfterSyncAsync(T obj, Placement at, TAws observed, CancellationToken ct) => Task.FromResult(AfterSync.InSync);

    /// <summary>"at 1.33", or "" when the kind has no version: the tail of the Ready message.</summary>
    public virtual string ReadyDetail(TAws observed) => "";

    /// <summary>Before anything is deleted in AWS: the kind's own step (the cluster deletes its children first). Null: go on.</summary>
    public virtual Task<Outcome?> BeforeDeleteAsync(T obj, CancellationToken ct) => Task.FromResult<Outcome?>(null);

    /// <summary>Whether deleting the object leaves the AWS resource in place (its own deletionPolicy, or inherited).</summary>
    public virtual bool Retains(T obj) => obj.CommonSpec.DeletionPolicy == DeletionPolicy.Retain;

    /// <summary>The resource to delete next (a kind may have several, deleted one at a time); null when none is left.</summary>
    public virtual Task<TAws?> ReadForDeleteAsync(T obj, Placement at, CancellationToken ct) => ReadAsync(obj, at, ct);

    /// <summary>What must happen before AWS is asked to delete (turning off deletion protection, unmanaged children). Null: go on.</summary>
    public virtual Task<Outcome?> BeforeAwsDeleteAsync(T obj, Placement at, TAws observed, CancellationToken ct) => Task.FromResult<Outcome?>(null);

    public abstract Task DeleteAsync(T obj, Placement at, TAws observed, CancellationToken ct);

    /// <summary>The delete operation's name for events, e.g. "DeleteCluster".</summary>
    public abstract string DeleteOperation { get; }

    /// <summary>After the AWS resource and its owned role are gone: the kind's own outputs.</summary>
    public virtual Task AfterGoneAsync(T obj, Placement at, CancellationToken ct) => Task.CompletedTask;

    /// <summary>An AWS enum as the wire spells it (ACTIVE, CREATE_FAILED), for status.awsStatus.</summary>
    protected static string Wire<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => Aws.Mapping.ClusterMapping.EnumName(value);
}
