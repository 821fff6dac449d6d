using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using Microsoft.Extensions.Options;

namespace EksOperator.Controllers;

/// <summary>
/// How long to wait before looking again. Waiting is a requeue, never a blocking wait: the interval grows with the
/// time already spent in the current phase (a quarter of it), between the configured bounds.
/// </summary>
internal sealed class Polling(IOptions<OperatorOptions> options, TimeProvider time)
{
    public OperatorOptions Options => options.Value;

    public ReconcileResult WhileChanging(IEksResource obj)
    {
        var since = obj.CommonStatus.Conditions.Find(ConditionTypes.Reconciling)?.LastTransitionTime;
        var elapsed = since is { } start ? time.GetUtcNow().UtcDateTime - start : TimeSpan.Zero;
        var wait = TimeSpan.FromTicks(Math.Clamp(elapsed.Ticks / 4, Options.MinPollInterval.Ticks, Options.MaxPollInterval.Ticks));
        return ReconcileResult.RequeueAfter(wait);
    }

    public ReconcileResult Soon => ReconcileResult.RequeueAfter(Options.MinPollInterval);

    public ReconcileResult Resync => ReconcileResult.RequeueAfter(Options.ResyncPeriod);

    /// <summary>A Stalled state that the world outside Kubernetes may fix (permissions, quotas): look again later.</summary>
    public ReconcileResult AfterStall => ReconcileResult.RequeueAfter(TimeSpan.FromTicks(Math.Min(Options.ResyncPeriod.Ticks, TimeSpan.FromMinutes(5).Ticks)));

    public static bool IsPaused(IEksResource obj) =>
        obj.Metadata.Annotations?.TryGetValue(Annotations.Paused, out var paused) == true && paused == "true";

    public static bool WantsAdoption(IEksResource obj) =>
        obj.Metadata.Annotations?.TryGetValue(Annotations.Adopt, out var adopt) == true && adopt == "true";

    public static bool IsObserveOnly(IEksResource obj) => obj.CommonSpec.ManagementPolicy == ManagementPolicy.ObserveOnly;

    public static bool Retains(IEksResource obj) => obj.CommonSpec.DeletionPolicy == DeletionPolicy.Retain;
}
