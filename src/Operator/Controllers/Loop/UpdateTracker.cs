using EksOperator.Aws.Eks;
using EksOperator.Aws.Resources;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using EksHealth = EksOperator.Aws.Eks.Health;

namespace EksOperator.Controllers.Loop;

/// <summary>Following the one EKS update a resource may have in flight, recorded in status.activeUpdate.</summary>
internal sealed class UpdateTracker(IEksUpdates updates, IEventRecorder events)
{
    /// <summary>What status.awsStatus shows while an EKS update runs (a Describe may lag behind the update).</summary>
    public const string UpdatingStatus = "UPDATING";

    /// <summary>Records an update EKS has accepted: status follows it, and shows the resource UPDATING at once.</summary>
    public static void Started(IEksResource obj, Update update)
    {
        var status = obj.EnsureStatus();
        status.ActiveUpdate = new ActiveUpdate { Id = update.Id!, Type = update.Type, Status = update.Status.ToString() };
        status.AwsStatus = UpdatingStatus;
    }

    /// <summary>
    /// A wait while the recorded update runs, Stalled if it failed, null when there is none or it succeeded.
    /// <paramref name="doing"/> says in words what it does; the update id is only the detail after it.
    /// </summary>
    public async Task<Outcome?> TrackAsync(IEksResource obj, UpdateTarget target, string runningReason, string doing, CancellationToken ct)
    {
        var status = obj.CommonStatus;
        if (status?.ActiveUpdate is not { } active) return null;
        var update = await updates.DescribeAsync(target, active.Id, ct);
        if (update?.Status == UpdateStatus.InProgress)
        {
            active.Status = update.Status.ToString();
            status.AwsStatus = UpdatingStatus;
            return new Outcome.Progress(runningReason, $"{doing} (EKS update {update.Id} in progress)");
        }

        status.ActiveUpdate = null;
        if (update is { Status: UpdateStatus.Failed or UpdateStatus.Cancelled })
        {
            var why = string.Join("; ", (update.Errors ?? []).Select(e => $"{e.ErrorCode}: {e.ErrorMessage}"));
            await events.RecordAsync(obj, EventType.Warning, "UpdateFailed", $"EKS {update.Type} {update.Id} {update.Status}: {why}", ct);
            return new Outcome.Stall(ConditionReasons.AwsError, $"EKS {update.Type} {update.Status}: {why}; fix the cause and change the spec to retry", StallCause.Spec);
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
}
