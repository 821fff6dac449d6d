using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using EksHealth = EksOperator.Aws.Eks.Health;

namespace EksOperator.Controllers;

/// <summary>
/// The steps every kind takes with an AWS resource that exists: whose it is (adopt, refuse, or carry on), the
/// finalizer, and following an EKS update in flight.
/// </summary>
internal sealed class AwsResourceGuard(IFinalizers finalizers, IEksApi eks, IEventRecorder events, StatusConditions conditions, Polling polling)
{
    /// <summary>
    /// Null to go on; otherwise the result to return (Stalled as AlreadyExists, or the pass ends after adding the
    /// finalizer). <paramref name="what"/> names the resource in messages, e.g. "node group ng on cluster c".
    /// </summary>
    public async Task<ReconcileResult?> ClaimAsync<T>(T obj, string what, string arn, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
        where T : class, IEksResource // the concrete type: finalizer writes find the API path through it
    {
        var owner = Dependents.OwnerOf(obj);
        switch (OwnershipCheck.Of(tags, owner.Uid))
        {
            case Ownership.OtherObject:
                conditions.Stalled(obj, ConditionReasons.AlreadyExists, $"{what} belongs to {OwnershipCheck.Describe(tags)}; choose another spec.name");
                return polling.AfterStall;
            case Ownership.Unowned when !Polling.IsObserveOnly(obj) && !Polling.WantsAdoption(obj):
                conditions.Stalled(obj, ConditionReasons.AlreadyExists,
                    $"{what} already exists and is not managed by eks-operator; set the annotation {Annotations.Adopt}: \"true\" to take it over, or choose another spec.name");
                return polling.AfterStall;
            case Ownership.Unowned when !Polling.IsObserveOnly(obj):
                if (await finalizers.EnsureAsync(obj, EksApi.Finalizer, ct)) return ReconcileResult.Done;
                await eks.TagResourceAsync(arn, owner.OwnershipTags, ct);
                await events.RecordAsync(obj, EventType.Normal, "Adopted", $"took over the existing {what}", ct);
                break;
        }

        return !Polling.IsObserveOnly(obj) && await finalizers.EnsureAsync(obj, EksApi.Finalizer, ct) ? ReconcileResult.Done : null;
    }

    /// <summary>Follows the EKS update recorded in status; a wait result while it runs, Stalled if it failed, null when done.</summary>
    public async Task<ReconcileResult?> TrackUpdateAsync(IEksResource obj, DescribeUpdateRequest request, string runningReason, CancellationToken ct)
    {
        var status = obj.CommonStatus;
        if (status.ActiveUpdate is not { } active) return null;
        var update = await eks.DescribeUpdateAsync(request with { UpdateId = active.Id }, ct);
        if (update?.Status == UpdateStatus.InProgress)
        {
            active.Status = update.Status.ToString();
            conditions.Progressing(obj, runningReason, $"EKS {update.Type} {update.Id} in progress");
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
