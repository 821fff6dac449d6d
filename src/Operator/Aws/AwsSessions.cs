using EksOperator.Aws.Transport;

namespace EksOperator.Aws;

/// <summary>What assuming a role gave: its account, the session's ARN and when it ends.</summary>
public sealed record AwsSession(string AccountId, string? AssumedArn, DateTimeOffset? ExpiresAt);

/// <summary>The sessions of the roles the operator assumes (one per role chain, renewed before it expires).</summary>
public interface IAwsSessions
{
    /// <summary>Assumes the role if it has no valid session yet; AWS's refusal surfaces as an <see cref="AwsApiException"/>.</summary>
    Task<AwsSession> AssumeAsync(AwsAssumedRole role, CancellationToken cancellationToken);

    /// <summary>STS AssumeRole calls made by this process.</summary>
    long AssumeRoleCalls { get; }
}

internal sealed class AwsSessions(AwsCredentialSource credentials) : IAwsSessions
{
    public long AssumeRoleCalls => credentials.AssumeRoleCalls;

    public async Task<AwsSession> AssumeAsync(AwsAssumedRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        cancellationToken.ThrowIfCancellationRequested();
        var session = credentials.Assumed(role);
        await session.GetCredentialsAsync();
        return new AwsSession(role.AccountId, session.AssumedArn, session.ExpiresAt);
    }
}
