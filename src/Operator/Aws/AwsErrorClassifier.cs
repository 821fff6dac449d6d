using System.Net;

namespace EksOperator.Aws;

/// <summary>The one place where AWS error codes become <see cref="AwsErrorKind"/>s, for EKS, IAM and EC2 alike.</summary>
internal static class AwsErrorClassifier
{
    // botocore retries/standard.py and aws-sdk-net RetryPolicy throttling codes.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "RequestThrottled",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "ServerException", "ServiceUnavailableException", "ServiceUnavailable", "Unavailable", "InternalError",
        "InternalFailure", "InternalServerError", "ServiceFailure", "RequestTimeout", "RequestTimeoutException",
        "IDPCommunicationError", "ResourcePropagationDelayException", "ConnectionFailure",
    };

    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException", "NotFoundException", "NoSuchEntity",
    };

    private static readonly HashSet<string> InUseCodes = new(StringComparer.Ordinal)
    {
        "ResourceInUseException", "DeleteConflict", "ConcurrentModification", "InvalidRequestException", "DependencyViolation",
    };

    private static readonly HashSet<string> AlreadyExistsCodes = new(StringComparer.Ordinal)
    {
        "EntityAlreadyExists", "ResourceAlreadyExistsException", "InvalidGroup.Duplicate",
    };

    private static readonly HashSet<string> LimitCodes = new(StringComparer.Ordinal)
    {
        "ResourceLimitExceededException", "LimitExceeded", "VpcLimitExceeded", "SubnetLimitExceeded",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "AuthFailure", "UnrecognizedClientException",
        "InvalidClientTokenId", "SignatureDoesNotMatch", "InvalidSignatureException", "MissingAuthenticationTokenException",
        "IncompleteSignature", "ExpiredToken", "ExpiredTokenException", "OptInRequired",
    };

    public static AwsErrorKind Classify(string code, HttpStatusCode status, string? message)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (ThrottlingCodes.Contains(code) || status == HttpStatusCode.TooManyRequests)
        {
            return AwsErrorKind.Throttled;
        }

        if (NotFoundCodes.Contains(code) || code.EndsWith(".NotFound", StringComparison.Ordinal))
        {
            return AwsErrorKind.NotFound;
        }

        // EKS reports a duplicate name as ResourceInUseException; only the message tells it from "busy".
        if (AlreadyExistsCodes.Contains(code)
            || (code == "ResourceInUseException" && message is not null
                && (message.Contains("already exists", StringComparison.OrdinalIgnoreCase)
                    // A second access entry for one principal: "The specified access entry resource is already in use on this cluster."
                    || message.Contains("already in use on this cluster", StringComparison.OrdinalIgnoreCase))))
        {
            return AwsErrorKind.AlreadyExists;
        }

        if (InUseCodes.Contains(code) || code.EndsWith(".InUse", StringComparison.Ordinal))
        {
            return AwsErrorKind.InUse;
        }

        // EKS answers InvalidParameterException when it cannot assume a role IAM has not propagated yet.
        if (IsRolePropagation(message) && (int)status is >= 400 and < 500)
        {
            return AwsErrorKind.NotYetPropagated;
        }

        if (LimitCodes.Contains(code))
        {
            return AwsErrorKind.LimitExceeded;
        }

        if (AccessDeniedCodes.Contains(code) || status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return AwsErrorKind.AccessDenied;
        }

        if (TransientCodes.Contains(code) || (int)status >= 500)
        {
            return AwsErrorKind.Transient;
        }

        if (status == HttpStatusCode.NotFound)
        {
            return AwsErrorKind.NotFound;
        }

        if (status == HttpStatusCode.Conflict)
        {
            return AwsErrorKind.InUse;
        }

        return (int)status is >= 400 and < 500 ? AwsErrorKind.Invalid : AwsErrorKind.Unknown;
    }

    private static bool IsRolePropagation(string? message) =>
        message is not null
        && (message.Contains("cannot be assumed", StringComparison.OrdinalIgnoreCase)
            || message.Contains("could not be assumed", StringComparison.OrdinalIgnoreCase)
            || message.Contains("is not authorized to perform: sts:AssumeRole", StringComparison.OrdinalIgnoreCase)
            // CreatePodIdentityAssociation checks the role; IAM may not show a new one to EKS yet.
            || message.Contains("Role provided in the request does not exist", StringComparison.OrdinalIgnoreCase));
}
