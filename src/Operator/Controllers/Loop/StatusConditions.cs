using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Controllers.Loop;

/// <summary>The kstatus condition set (Ready, Reconciling, Stalled) written consistently for every kind.</summary>
internal sealed class StatusConditions(TimeProvider time)
{
    /// <summary>Working towards the spec: Ready False, Reconciling True, Stalled False.</summary>
    public void Progressing(IEksResource obj, string reason, string message)
    {
        var (conditions, generation) = Of(obj);
        conditions.Set(ConditionTypes.Ready, ConditionStatus.False, reason, message, generation, time);
        conditions.Set(ConditionTypes.Reconciling, ConditionStatus.True, reason, message, generation, time);
        conditions.Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.NotStalled, "", generation, time);
    }

    /// <summary>Needs a human: Ready False, Reconciling False, Stalled True with a message that says what to change.</summary>
    public void Stalled(IEksResource obj, string reason, string message)
    {
        var (conditions, generation) = Of(obj);
        conditions.Set(ConditionTypes.Ready, ConditionStatus.False, reason, message, generation, time);
        conditions.Set(ConditionTypes.Reconciling, ConditionStatus.False, reason, message, generation, time);
        conditions.Set(ConditionTypes.Stalled, ConditionStatus.True, reason, message, generation, time);
    }

    /// <summary>In sync. Returns true when Ready just turned True (worth an event).</summary>
    public bool Ready(IEksResource obj, string reason, string message)
    {
        var (conditions, generation) = Of(obj);
        var wasReady = conditions.IsTrue(ConditionTypes.Ready);
        conditions.Set(ConditionTypes.Ready, ConditionStatus.True, reason, message, generation, time);
        conditions.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.Reconciled, "", generation, time);
        conditions.Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.NotStalled, "", generation, time);
        return !wasReady;
    }

    /// <summary>Observed but not in sync and not being changed (ObserveOnly): Ready False, nothing in progress.</summary>
    public void Drifted(IEksResource obj, string message)
    {
        var (conditions, generation) = Of(obj);
        conditions.Set(ConditionTypes.Ready, ConditionStatus.False, ConditionReasons.Drifted, message, generation, time);
        conditions.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.Drifted, "", generation, time);
        conditions.Set(ConditionTypes.Stalled, ConditionStatus.False, ConditionReasons.NotStalled, "", generation, time);
    }

    /// <summary>The paused annotation: nothing in progress, Ready left as it was.</summary>
    public void Paused(IEksResource obj)
    {
        var (conditions, generation) = Of(obj);
        const string message = "reconciliation is paused by the eks.operator.dev/paused annotation";
        conditions.Set(ConditionTypes.Reconciling, ConditionStatus.False, ConditionReasons.Paused, message, generation, time);
        if (conditions.Find(ConditionTypes.Ready) is null)
        {
            conditions.Set(ConditionTypes.Ready, ConditionStatus.Unknown, ConditionReasons.Paused, message, generation, time);
        }
    }

    public static bool IsStalled(IEksResource obj) => obj.CommonStatus?.Conditions.IsTrue(ConditionTypes.Stalled) == true;

    /// <summary>The Stalled message when a pass has just turned Stalled on (worth a Warning event), else null.</summary>
    public static string? NewlyStalled(bool wasStalled, IEksResource obj) =>
        !wasStalled && IsStalled(obj) ? obj.CommonStatus?.Conditions.Find(ConditionTypes.Stalled)?.Message : null;

    private static (IList<V1Condition> Conditions, long? Generation) Of(IEksResource obj)
    {
        var status = obj.EnsureStatus();
        status.Conditions ??= [];
        return (status.Conditions, obj.Metadata.Generation);
    }
}
