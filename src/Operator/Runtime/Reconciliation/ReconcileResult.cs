using k8s;
using k8s.Models;

namespace EksOperator.Runtime;

/// <summary>How a reconcile pass ended, from the worker loop's point of view.</summary>
public enum ReconcileOutcome
{
    /// <summary>In sync (or nothing to do): forget failures; the next change or resync brings the key back.</summary>
    Done,

    /// <summary>An expected wait (e.g. an AWS resource still CREATING): come back after a fixed delay, no backoff growth.</summary>
    RequeueAfter,

    /// <summary>Cannot progress until the object changes (invalid spec, a human must act): no retry.</summary>
    Terminal,
}

/// <summary>
/// The result of <see cref="IReconciler{T}.ReconcileAsync"/>. Throwing means "retry with backoff"; these
/// results are for outcomes that are not failures of the pass.
/// </summary>
public sealed record ReconcileResult
{
    private ReconcileResult(ReconcileOutcome outcome, TimeSpan delay, string? reason, bool reported = false)
    {
        Outcome = outcome;
        Delay = delay;
        Reason = reason;
        Reported = reported;
    }

    public static ReconcileResult Done { get; } = new(ReconcileOutcome.Done, TimeSpan.Zero, null);

    public ReconcileOutcome Outcome { get; }

    /// <summary>The delay of <see cref="ReconcileOutcome.RequeueAfter"/>.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Why the pass is <see cref="ReconcileOutcome.Terminal"/>.</summary>
    public string? Reason { get; }

    /// <summary>The reconciler has told the user already (a condition and an event): the runtime only logs it.</summary>
    public bool Reported { get; }

    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        return new(ReconcileOutcome.RequeueAfter, delay, null);
    }

    /// <summary>
    /// No retry until the object changes (controller-runtime's terminal error). The runtime records a Warning event
    /// with <paramref name="reason"/> unless <paramref name="reported"/> says the reconciler did so itself.
    /// </summary>
    public static ReconcileResult Terminal(string reason, bool reported = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(ReconcileOutcome.Terminal, TimeSpan.Zero, reason, reported);
    }

    public override string ToString() => Outcome switch
    {
        ReconcileOutcome.RequeueAfter => $"RequeueAfter({Delay})",
        ReconcileOutcome.Terminal => $"Terminal({Reason})",
        _ => "Done",
    };
}

/// <summary>
/// Brings one object towards its spec. Level-based: it gets only the key, reads the current state from the
/// <see cref="IStore{T}"/>, and must be safe to run any number of times. A new DI scope is created per pass.
/// </summary>
public interface IReconciler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Throw to retry with per-key exponential backoff.</summary>
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
