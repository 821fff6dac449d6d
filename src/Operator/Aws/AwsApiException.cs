using System.Net;

namespace EksOperator.Aws;

/// <summary>What a caller should do about an AWS error; decided once, in <see cref="AwsErrorClassifier"/>.</summary>
public enum AwsErrorKind
{
    /// <summary>Unrecognised; treat as terminal and surface the message.</summary>
    Unknown = 0,

    /// <summary>The resource does not exist (EKS ResourceNotFound, IAM NoSuchEntity, EC2 *.NotFound).</summary>
    NotFound,

    /// <summary>A resource with that name exists already.</summary>
    AlreadyExists,

    /// <summary>The resource is busy (update in flight, dependants attached, concurrent modification): requeue shortly.</summary>
    InUse,

    /// <summary>Rate limited: retried with backoff.</summary>
    Throttled,

    /// <summary>5xx, dropped connection, timeout: retried with backoff.</summary>
    Transient,

    /// <summary>The request can never succeed as sent (bad parameter, unsupported version): terminal.</summary>
    Invalid,

    /// <summary>A quota is exhausted: terminal until the user acts.</summary>
    LimitExceeded,

    /// <summary>Credentials or permissions are missing or wrong.</summary>
    AccessDenied,

    /// <summary>
    /// An IAM role (or other IAM change) the request names is not visible to the service yet: IAM is eventually
    /// consistent, so a role created moments ago "cannot be assumed" for a few seconds. Retried soon, never Stalled.
    /// </summary>
    NotYetPropagated,
}

/// <summary>An AWS error response (or a transport failure) with AWS's code, message and request id kept.</summary>
public sealed class AwsApiException : Exception
{
    public AwsApiException(string service, string code, string message, HttpStatusCode httpStatus, string? requestId, AwsErrorKind kind, Exception? innerException = null)
        : base(string.IsNullOrEmpty(message) ? code : message, innerException)
    {
        Service = service;
        Code = code;
        HttpStatus = httpStatus;
        RequestId = requestId;
        Kind = kind;
    }

    public AwsApiException()
        : this("unknown", "Unknown", string.Empty, 0, null, AwsErrorKind.Unknown)
    {
    }

    public AwsApiException(string message)
        : this("unknown", "Unknown", message, 0, null, AwsErrorKind.Unknown)
    {
    }

    public AwsApiException(string message, Exception innerException)
        : this("unknown", "Unknown", message, 0, null, AwsErrorKind.Unknown, innerException)
    {
    }

    /// <summary>"eks", "iam", "ec2" or "sts".</summary>
    public string Service { get; }

    /// <summary>AWS's error code as sent, e.g. ResourceInUseException, NoSuchEntity, InvalidSubnetID.NotFound.</summary>
    public string Code { get; }

    /// <summary>0 when no HTTP response arrived.</summary>
    public HttpStatusCode HttpStatus { get; }

    public string? RequestId { get; }

    public AwsErrorKind Kind { get; }

    public bool IsRetryable => Kind is AwsErrorKind.Throttled or AwsErrorKind.Transient;

    public override string ToString() => $"{Service} {Code} ({(int)HttpStatus}, request {RequestId ?? "-"}): {Message}";
}
