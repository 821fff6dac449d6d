using EksOperator.Aws;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers;

/// <summary>
/// What a reconcile does with an AWS error, classified once in Aws/: throttling and 5xx are retried with backoff
/// (never Stalled); busy resources are waited for; permissions, invalid requests and quotas are Stalled with AWS's message.
/// </summary>
internal sealed class AwsFailures(StatusConditions conditions, Polling polling, IEventRecorder events)
{
    public async Task<ReconcileResult> HandleAsync(IEksResource obj, AwsApiException error, CancellationToken cancellationToken)
    {
        switch (error.Kind)
        {
            case AwsErrorKind.Throttled or AwsErrorKind.Transient:
                throw error; // the runtime's per-key backoff
            case AwsErrorKind.InUse:
                conditions.Progressing(obj, ConditionReasons.Updating, $"waiting for AWS: {error.Message}");
                return polling.WhileChanging(obj);
            case AwsErrorKind.Invalid when IsRolePropagation(error):
                conditions.Progressing(obj, ConditionReasons.Creating, $"waiting for the new IAM role to propagate: {error.Message}");
                return polling.Soon;
            case AwsErrorKind.AccessDenied:
                await StallAsync(obj, ConditionReasons.AccessDenied, $"AWS denied {error.Service} {error.Code}: {error.Message} (grant the operator's IAM role this permission)", cancellationToken);
                return polling.AfterStall;
            case AwsErrorKind.LimitExceeded:
                await StallAsync(obj, ConditionReasons.AwsError, $"AWS quota: {error.Code}: {error.Message} (raise the quota or remove resources)", cancellationToken);
                return polling.AfterStall;
            default:
                await StallAsync(obj, ConditionReasons.AwsError, $"AWS rejected the request: {error.Code}: {error.Message} (change the spec)", cancellationToken);
                return polling.AfterStall;
        }
    }

    private async Task StallAsync(IEksResource obj, string reason, string message, CancellationToken cancellationToken)
    {
        var already = StatusConditions.IsStalled(obj);
        conditions.Stalled(obj, reason, message);
        if (!already) await events.RecordAsync(obj, EventType.Warning, reason, message, cancellationToken);
    }

    // A role that was just created cannot be assumed by EKS for a few seconds (IAM is eventually consistent).
    private static bool IsRolePropagation(AwsApiException error) =>
        error.Message.Contains("cannot be assumed", StringComparison.OrdinalIgnoreCase)
        || error.Message.Contains("could not be assumed", StringComparison.OrdinalIgnoreCase)
        || error.Message.Contains("is not authorized to perform: sts:AssumeRole", StringComparison.OrdinalIgnoreCase);
}
