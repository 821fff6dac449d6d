namespace EksOperator.Runtime;

/// <summary>
/// An expected, transient failure of a pass (throttling, a server error, a stale cache): the key is retried with
/// backoff like any failure, but the log says so in one line, without a stack trace. The cause stays as
/// <see cref="Exception.InnerException"/> for Debug-level diagnostics.
/// </summary>
public sealed class RetryLaterException : Exception
{
    public RetryLaterException()
    {
    }

    public RetryLaterException(string message)
        : base(message)
    {
    }

    public RetryLaterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
