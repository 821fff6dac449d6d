using EksOperator.Aws;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers;

/// <summary>
/// What a reconcile does with an AWS error, classified once in Aws/: throttling and 5xx are retried with backoff
/// (never Stalled); busy resources are waited for; permissions, invalid requests and quotas are Stalled with AWS's message.
/// </summary>
internal sealed class AwsFailures(StatusConditions conditions, Polling polling)
{
    /// <summary>Sets the conditions and says when to look again; the reconciler records a Warning event when the pass ends Stalled.</summary>
    public ReconcileResult Handle(IEksResource obj, AwsApiException error)
    {
        switch (error.Kind)
        {
            case AwsErrorKind.Throttled or AwsErrorKind.Transient:
                // The runtime's per-key backoff, logged as a routine retry; the AWS error stays as the inner exception.
                throw new RetryLaterException($"AWS {error.Service} {error.Code} (will retry): {error.Message}", error);
            case AwsErrorKind.InUse:
                conditions.Progressing(obj, ConditionReasons.Updating, $"waiting for AWS: {error.Message}");
                return polling.WhileChanging(obj);
            case AwsErrorKind.Invalid when IsRolePropagation(error):
                conditions.Progressing(obj, ConditionReasons.Creating, $"waiting for the new IAM role to propagate: {error.Message}");
                return polling.Soon;
            case AwsErrorKind.AccessDenied:
                conditions.Stalled(obj, ConditionReasons.AccessDenied, $"AWS denied {error.Service} {error.Code}: {error.Message} (grant the operator's IAM role this permission)");
                return polling.AfterStall;
            case AwsErrorKind.LimitExceeded:
                conditions.Stalled(obj, ConditionReasons.AwsError, $"AWS quota: {error.Code}: {error.Message} (raise the quota or remove resources)");
                return polling.AfterStall;
            default:
                conditions.Stalled(obj, ConditionReasons.AwsError, $"AWS rejected the request: {error.Code}: {error.Message} (change the spec)");
                return polling.AfterStall;
        }
    }

    // A role that was just created cannot be assumed by EKS for a few seconds (IAM is eventually consistent).
    private static bool IsRolePropagation(AwsApiException error) =>
        error.Message.Contains("cannot be assumed", StringComparison.OrdinalIgnoreCase)
        || error.Message.Contains("could not be assumed", StringComparison.OrdinalIgnoreCase)
        || error.Message.Contains("is not authorized to perform: sts:AssumeRole", StringComparison.OrdinalIgnoreCase);
}
