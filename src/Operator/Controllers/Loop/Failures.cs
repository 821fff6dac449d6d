using EksOperator.Aws;
using EksOperator.Entities;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Loop;

/// <summary>
/// What a pass does with an AWS error, by the kind Aws/ classified it as (never by its message): throttling and 5xx
/// are retried with backoff (never Stalled); a busy resource or an IAM role that has not propagated is waited for;
/// permissions and quotas are the world's to fix; a request AWS refuses as invalid is the spec's.
/// </summary>
internal static class Failures
{
    public static Outcome Of(AwsApiException error) => error.Kind switch
    {
        // The runtime's per-key backoff, logged as a routine retry; the AWS error stays as the inner exception.
        AwsErrorKind.Throttled or AwsErrorKind.Transient =>
            throw new RetryLaterException($"AWS {error.Service} {error.Code} (will retry): {error.Message}", error),
        AwsErrorKind.InUse => new Outcome.Progress(ConditionReasons.Updating, $"waiting for AWS: {error.Message}"),
        AwsErrorKind.NotYetPropagated => new Outcome.Progress(ConditionReasons.Creating, $"waiting for the new IAM role to propagate: {error.Message}", Wait.Briefly),
        AwsErrorKind.AccessDenied => new Outcome.Stall(ConditionReasons.AccessDenied,
            $"AWS denied {error.Service} {error.Code}: {error.Message} (grant the operator's IAM role this permission)", StallCause.World),
        AwsErrorKind.LimitExceeded => new Outcome.Stall(ConditionReasons.AwsError,
            $"AWS quota: {error.Code}: {error.Message} (raise the quota or remove resources)", StallCause.World),
        // Something the request would make is already held by another (an add-on's service account that a Pod Identity
        // association already serves): the world must make room, or the spec must ask for something else.
        AwsErrorKind.AlreadyExists => new Outcome.Stall(ConditionReasons.AlreadyExists,
            $"AWS refused: {error.Code}: {error.Message} (delete what already holds it, or change the spec)", StallCause.World),
        AwsErrorKind.Invalid => new Outcome.Stall(ConditionReasons.AwsError, $"AWS rejected the request: {error.Code}: {error.Message} (change the spec)", StallCause.Spec),
        _ => new Outcome.Stall(ConditionReasons.AwsError, $"AWS rejected the request: {error.Code}: {error.Message}", StallCause.World),
    };
}
