using EksOperator.Runtime;

namespace EksOperator.Controllers.Loop;

/// <summary>Who must act on a Stalled object, which decides when the operator looks again.</summary>
internal enum StallCause
{
    /// <summary>
    /// The spec is wrong (a version EKS does not offer, a downgrade, an invalid parameter): nothing changes until the
    /// object does, so the pass ends as a terminal error and the object is not looked at again before its generation,
    /// metadata or inputs change (or its resync comes).
    /// </summary>
    Spec,

    /// <summary>
    /// The world outside the object must change (permissions, a quota, a name taken by someone else, a cluster that
    /// must be deleted by hand): looked at again slowly, since nobody tells us when it is fixed.
    /// </summary>
    World,
}

/// <summary>How soon a step that waits should look again.</summary>
internal enum Wait
{
    /// <summary>AWS is working: when it typically finishes (the kind's expected duration), then a fraction of the time spent.</summary>
    UntilDone,

    /// <summary>A short, known delay (IAM propagation, a subnet list the cluster has not reported yet).</summary>
    Briefly,

    /// <summary>Another object's change brings this one back (the cluster wakes its children through a watch).</summary>
    ForDependency,
}

/// <summary>An event a step wants recorded when the loop applies its outcome.</summary>
internal sealed record StepEvent(string Reason, string Message, EventType Type = EventType.Normal);

/// <summary>
/// What a step decided, as data: the loop alone turns it into conditions, events and a requeue (adapters and hooks
/// never touch conditions or requeues).
/// </summary>
internal abstract record Outcome
{
    /// <summary>
    /// Working towards the spec (creating, updating, waiting): Reconciling=True with this reason. <paramref name="After"/>
    /// overrides <paramref name="Wait"/> when the step knows exactly when to look again.
    /// </summary>
    public sealed record Progress(string Reason, string Message, Wait Wait = Wait.UntilDone, StepEvent? Event = null, TimeSpan? After = null) : Outcome;

    /// <summary>AWS matches the spec: Ready=True. Looked at again at the resync, or sooner when <paramref name="LookAgainWithin"/> says so.</summary>
    public sealed record InSync(string Message, string ReadyEvent, TimeSpan? LookAgainWithin = null) : Outcome;

    /// <summary>A human must act: Stalled=True, and the message says what to change.</summary>
    public sealed record Stall(string Reason, string Message, StallCause Cause) : Outcome;

    /// <summary>AWS differs and the operator will not change it (ObserveOnly, a Fargate profile without Replace).</summary>
    public sealed record Drifted(string Message) : Outcome;

    /// <summary>The pass ends with nothing to report (a finalizer was just written; the write brings the object back).</summary>
    public sealed record End : Outcome;

    public static Outcome Ended { get; } = new End();
}
