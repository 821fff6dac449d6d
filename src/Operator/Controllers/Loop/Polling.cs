using System.Collections.Concurrent;
using EksOperator.Controllers.Kinds;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Hosting;
using EksOperator.Runtime;
using Microsoft.Extensions.Options;

namespace EksOperator.Controllers.Loop;

/// <summary>
/// How long to wait before looking again. Waiting is a requeue, never a blocking wait. While AWS works on something
/// whose typical duration is known (a create, an update, a delete: <see cref="OperatorOptions.ExpectedDurations"/>),
/// the first look is when it should be done (or after <see cref="OperatorOptions.MaxPollInterval"/>, if sooner), not
/// before: each Describe before then would only say "still CREATING". Past that time, or for waits of unknown length,
/// the interval is a fraction of the time spent so far (so a late answer is found late by at most that fraction),
/// between the configured bounds.
/// </summary>
internal sealed class Polling(IOptions<OperatorOptions> options, TimeProvider time)
{
    // When this process first saw each object in its current phase (UID → phase, start). The Reconciling condition's
    // transition time is no substitute: it keeps the time of the first Reconciling=True (a node group that waited
    // 12 minutes for its cluster starts creating with 12 minutes already "elapsed") and has a resolution of seconds.
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, (string Phase, DateTimeOffset Since)> _phases = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public OperatorOptions Options => options.Value;

    public ReconcileResult WhileChanging(IEksResource obj)
    {
        var now = time.GetUtcNow();
        var reconciling = obj.CommonStatus?.Conditions.Find(ConditionTypes.Reconciling);
        var phase = reconciling?.Reason ?? "";
        var since = PhaseStart(obj, phase, reconciling?.LastTransitionTime, now);
        var elapsed = now - since;
        if (Expected(obj, phase) is { } expected && elapsed < expected)
        {
            // Look when it should be done (a little after, so that AWS has flipped the status), but never wait longer
            // than MaxPollInterval: a create that fails early is seen early, and environments that scale AWS's time
            // down (simulators) without scaling the expectations still poll at their own bounds.
            var untilDone = expected - elapsed + Options.MinPollInterval;
            return ReconcileResult.RequeueAfter(Clamp(untilDone, Options.MinPollInterval, Options.MaxPollInterval));
        }

        var wait = TimeSpan.FromTicks((long)(elapsed.Ticks * Options.OverdueFraction));
        return ReconcileResult.RequeueAfter(Clamp(wait, Options.MinPollInterval, Options.MaxPollInterval));
    }

    public ReconcileResult Soon => ReconcileResult.RequeueAfter(Options.MinPollInterval);

    public ReconcileResult Resync => ReconcileResult.RequeueAfter(Options.ResyncPeriod);

    /// <summary>A Stalled state that the world outside Kubernetes may fix (permissions, quotas): look again later.</summary>
    public ReconcileResult AfterStall => ReconcileResult.RequeueAfter(TimeSpan.FromTicks(Math.Min(Options.ResyncPeriod.Ticks, TimeSpan.FromMinutes(5).Ticks)));

    /// <summary>The typical duration of what <paramref name="obj"/> is waiting for in <paramref name="phase"/>, if known (from its kind's registration).</summary>
    internal TimeSpan? Expected(IEksResource obj, string phase)
    {
        var d = Options.ExpectedDurations;
        return KindRegistry.For(obj.GetType())?.ExpectedDurations(d).GetValueOrDefault(phase) is { } expected
            && double.IsFinite(d.Scale) && d.Scale > 0 && expected > TimeSpan.Zero
            ? expected * d.Scale
            : null;
    }

    private DateTimeOffset PhaseStart(IEksResource obj, string phase, DateTime? transition, DateTimeOffset now)
    {
        DateTimeOffset? conditionSince = transition is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
        var uid = obj.Metadata.Uid;
        if (string.IsNullOrEmpty(uid)) return conditionSince ?? now;
        // Same phase as last time, and Reconciling has not turned True again since (a second update after the first
        // finished has the same reason but a newer transition).
        if (_phases.TryGetValue(uid, out var known) && known.Phase == phase && !(conditionSince > known.Since)) return known.Since;

        // First sight of this phase in this process: it starts now (the pass that calls us has just sent the create
        // or update, or has just found AWS busy). Only if the condition predates this process may the phase have begun
        // before a restart; then the condition's time is the safe guess (poll as if late rather than wait too long).
        var since = conditionSince is { } c && c < _started && known.Phase is null ? c : now;
        if (_phases.Count >= MaxTracked) Prune(now);
        _phases[uid] = (phase, since);
        return since;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (uid, entry) in _phases)
        {
            if (now - entry.Since > TimeSpan.FromDays(1)) _phases.TryRemove(uid, out _);
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    public static bool IsPaused(IEksResource obj) =>
        obj.Metadata.Annotations?.TryGetValue(Annotations.Paused, out var paused) == true && paused == "true";

    public static bool WantsAdoption(IEksResource obj) =>
        obj.Metadata.Annotations?.TryGetValue(Annotations.Adopt, out var adopt) == true && adopt == "true";

    public static bool IsObserveOnly(IEksResource obj) => obj.CommonSpec.ManagementPolicy == ManagementPolicy.ObserveOnly;
}
