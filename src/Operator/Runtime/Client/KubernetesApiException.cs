using System.Net;
using k8s.Models;

namespace EksOperator.Runtime;

/// <summary>The API server answered with an error status; <see cref="Status"/> is its Status body when it sent one.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException()
    {
    }

    public KubernetesApiException(string message)
        : base(message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal KubernetesApiException(HttpStatusCode statusCode, V1Status? status, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Status = status;
    }

    public HttpStatusCode StatusCode { get; }

    public V1Status? Status { get; }

    /// <summary>409 Conflict (stale resourceVersion) or AlreadyExists.</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>410 Gone / reason Expired: the resourceVersion or continue token is too old.</summary>
    public bool IsExpired => StatusCode == HttpStatusCode.Gone || Status?.Reason is "Expired" or "Gone";
}
