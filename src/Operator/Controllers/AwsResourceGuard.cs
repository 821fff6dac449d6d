using EksOperator.Aws;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using EksHealth = EksOperator.Aws.Eks.Health;

namespace EksOperator.Controllers;

/// <summary>
/// The steps every kind takes with an AWS resource that exists: whose it is (adopt, refuse, or carry on), the
/// finalizer, and following an EKS update in flight.
/// </summary>
internal sealed class AwsResourceGuard(
    IFinalizers finalizers, IEksApi eks, IRoleManager roles, IEventRecorder events, StatusConditions conditions, Polling polling, LiveObjects live, TimeProvider time)
{
    /// <summary>
    /// Null to go on; otherwise the result to return (Stalled as AlreadyExists, or the pass ends after adding the
    /// finalizer). <paramref name="what"/> names the resource in messages, e.g. "node group ng on cluster c".
    /// <paramref name="ownedRole"/>: the operator-named IAM role the resource uses, if any, taken back with it when the
    /// resource is reclaimed from an owner that is gone (so that deleting it later deletes the role too).
    /// </summary>
    public async Task<ReconcileResult?> ClaimAsync<T>(T obj, string what, string arn, IReadOnlyDictionary<string, string>? tags, string? ownedRole, CancellationToken ct)
        where T : class, IEksResource // the concrete type: finalizer writes find the API path through it
    {
        var owner = Dependents.OwnerOf(obj);
        var ownership = OwnershipCheck.Of(tags, owner, live.IsLive);
        switch (ownership)
        {
            case Ownership.OtherObject:
                conditions.Stalled(obj, ConditionReasons.AlreadyExists, $"{what} belongs to {OwnershipCheck.Describe(tags)}; choose another spec.name");
                return polling.AfterStall;
            case Ownership.Unowned when !Polling.IsObserveOnly(obj) && !Polling.WantsAdoption(obj):
                conditions.Stalled(obj, ConditionReasons.AlreadyExists,
                    $"{what} already exists and is not managed by eks-operator; set the annotation {Annotations.Adopt}: \"true\" to take it over, or choose another spec.name");
                return polling.AfterStall;
            case Ownership.Reclaimable when !Polling.IsObserveOnly(obj) && !Polling.WantsAdoption(obj):
                conditions.Stalled(obj, ConditionReasons.AlreadyExists,
                    $"{what} was left by {OwnershipCheck.Describe(tags)}, which no longer exists{(tags!.ContainsKey(OwnershipTags.Released) ? " (released by deletionPolicy Retain)" : "")}; set the annotation {Annotations.Adopt}: \"true\" to take it back, or choose another spec.name");
                return polling.AfterStall;
            case Ownership.Unowned or Ownership.Reclaimable when !Polling.IsObserveOnly(obj):
                if (await finalizers.EnsureAsync(obj, OperatorApi.Finalizer, ct)) return ReconcileResult.Done;
                await eks.TagResourceAsync(arn, owner.OwnershipTags, ct);
                if (tags?.ContainsKey(OwnershipTags.Released) == true) await eks.UntagResourceAsync(arn, [OwnershipTags.Released], ct);
                if (ownership == Ownership.Reclaimable && ownedRole is not null) await roles.ReclaimAsync(ownedRole, owner, live.IsLive, ct);
                await events.RecordAsync(obj, EventType.Normal, "Adopted",
                    ownership == Ownership.Reclaimable ? $"took back the {what} left by {OwnershipCheck.Describe(tags)}" : $"took over the existing {what}", ct);
                break;
        }

        return !Polling.IsObserveOnly(obj) && await finalizers.EnsureAsync(obj, OperatorApi.Finalizer, ct) ? ReconcileResult.Done : null;
    }

    /// <summary>
    /// Follows the EKS update recorded in status; a wait result while it runs, Stalled if it failed, null when done.
    /// <paramref name="doing"/> says in words what the update does ("Upgrading the control plane 1.32 -> 1.33 (target
    /// 1.34)"); the update id is only the detail after it.
    /// </summary>
    public async Task<ReconcileResult?> TrackUpdateAsync(IEksResource obj, DescribeUpdateRequest request, string runningReason, string doing, CancellationToken ct)
    {
        var status = obj.CommonStatus;
        if (status.ActiveUpdate is not { } active) return null;
        var update = await eks.DescribeUpdateAsync(request with { UpdateId = active.Id }, ct);
        if (update?.Status == UpdateStatus.InProgress)
        {
            active.Status = update.Status.ToString();
            // EKS reports the resource UPDATING while an update runs, though a Describe may lag behind the update.
            status.AwsStatus = UpdatingStatus;
            conditions.Progressing(obj, runningReason, $"{doing} (EKS update {update.Id} in progress)");
            return polling.WhileChanging(obj);
        }

        status.ActiveUpdate = null;
        if (update is { Status: UpdateStatus.Failed or UpdateStatus.Cancelled })
        {
            var why = string.Join("; ", (update.Errors ?? []).Select(e => $"{e.ErrorCode}: {e.ErrorMessage}"));
            await events.RecordAsync(obj, EventType.Warning, "UpdateFailed", $"EKS {update.Type} {update.Id} {update.Status}: {why}", ct);
            conditions.Stalled(obj, ConditionReasons.AwsError, $"EKS {update.Type} {update.Status}: {why}; fix the cause and change the spec to retry");
            return polling.AfterStall;
        }

        if (update is not null) await events.RecordAsync(obj, EventType.Normal, "UpdateFinished", $"EKS {update.Type} {update.Id} succeeded", ct);
        return null;
    }

    /// <summary>What status.awsStatus shows while an EKS update runs.</summary>
    public const string UpdatingStatus = "UPDATING";

    /// <summary>Records an update EKS has accepted: status follows it, and shows the resource UPDATING at once.</summary>
    public static void Started(IEksResource obj, Update update)
    {
        var status = obj.CommonStatus;
        status.ActiveUpdate = new ActiveUpdate { Id = update.Id!, Type = update.Type, Status = update.Status.ToString() };
        status.AwsStatus = UpdatingStatus;
    }

    /// <summary>
    /// deletionPolicy Retain: the resource stays in AWS, tagged as released so that the next owner can see (and, with the
    /// adopt annotation, reclaim) it; so does its operator-named role. Not for ObserveOnly, which never writes to AWS.
    /// </summary>
    public async Task ReleaseAsync(IEksResource obj, string what, string? arn, string? ownedRole, CancellationToken ct)
    {
        var owner = Dependents.OwnerOf(obj);
        if (arn is not null)
        {
            try
            {
                await eks.TagResourceAsync(arn, Owner.ReleasedTag(time.GetUtcNow()), ct);
            }
            catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
            {
                // Gone already: nothing is left to mark.
            }
        }

        if (ownedRole is not null) await roles.ReleaseAsync(ownedRole, owner, ct);
        await events.RecordAsync(obj, EventType.Normal, "Retained", $"{what} left in AWS (deletionPolicy Retain), tagged {OwnershipTags.Released}", ct);
    }

    /// <summary>EKS health issues as status shows them (null when healthy).</summary>
    public static Entities.V1Alpha1.Health? HealthOf(EksHealth? health) =>
        health?.Issues is { Count: > 0 } issues
            ? new Entities.V1Alpha1.Health { Issues = [.. issues.Select(i => new Entities.V1Alpha1.HealthIssue { Code = i.Code, Message = i.Message, ResourceIds = i.ResourceIds?.ToList() })] }
            : null;

    public static string HealthText(EksHealth? health) =>
        health?.Issues is { Count: > 0 } issues ? string.Join("; ", issues.Select(i => $"{i.Code}: {i.Message}")) : "no health issues reported";

    public static string Wire<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => ClusterMapping.EnumName(value);
}
