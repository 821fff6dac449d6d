using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace EksOperator.Aws.Transport;

/// <summary>
/// Temporary credentials of one assumed role, kept until <see cref="RefreshBefore"/> ahead of their expiry and then
/// renewed by one STS AssumeRole (callers that arrive meanwhile wait for that one call). A renewal that fails while the
/// old credentials are still valid keeps them and tries again on the next call. All on the given clock.
/// </summary>
internal sealed class AssumedRoleCredentials(AwsAssumedRole role, IAmazonSecurityTokenService sts, TimeProvider time, Action onAssumed) : AWSCredentials, IDisposable
{
    /// <summary>Renew this long before expiry (the SDK's own refreshing credentials use 5 minutes too).</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    /// <summary>AWS limits a session from role chaining to one hour.</summary>
    private const int ChainedMaxSeconds = 3600;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile State? _state;

    public AwsAssumedRole Role => role;

    /// <summary>The assumed session's ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), once assumed.</summary>
    public string? AssumedArn => _state?.AssumedArn;

    public DateTimeOffset? ExpiresAt => _state?.Expires;

    /// <summary>The signer's synchronous read: the transport always awaits <see cref="GetCredentialsAsync"/> first.</summary>
    public override ImmutableCredentials GetCredentials() =>
        _state is { } state && time.GetUtcNow() < state.Expires
            ? state.Credentials
            : throw new InvalidOperationException($"credentials for {role.RoleArn} are not assumed yet; await GetCredentialsAsync first");

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        if (_state is { } fresh && time.GetUtcNow() < fresh.Expires - RefreshBefore) return fresh.Credentials;
        await _gate.WaitAsync();
        try
        {
            if (_state is { } again && time.GetUtcNow() < again.Expires - RefreshBefore) return again.Credentials;
            try
            {
                _state = await AssumeAsync();
            }
            catch (Exception e) when (e is AmazonServiceException or AwsApiException && _state is { } old && time.GetUtcNow() < old.Expires)
            {
                return old.Credentials; // still valid: the next call tries again
            }

            return _state.Credentials;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<State> AssumeAsync()
    {
        AssumeRoleResponse response;
        try
        {
            response = await sts.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = role.RoleArn,
                RoleSessionName = role.SessionName,
                ExternalId = role.ExternalId,
                DurationSeconds = role.Source is null ? role.DurationSeconds : Math.Min(role.DurationSeconds, ChainedMaxSeconds),
            });
        }
        catch (AmazonServiceException e)
        {
            var code = string.IsNullOrEmpty(e.ErrorCode) ? $"Http{(int)e.StatusCode}" : e.ErrorCode;
            // STS's own AccessDenied is a trust policy that does not let us in (or a missing external id), never propagation.
            var kind = code == "AccessDenied" ? AwsErrorKind.AccessDenied : AwsErrorClassifier.Classify(code, e.StatusCode, e.Message);
            throw new AwsApiException("sts", code, $"AssumeRole {role.RoleArn}: {e.Message}", e.StatusCode, e.RequestId, kind, e);
        }

        onAssumed();
        var c = response.Credentials;
        var expires = c.Expiration is { } at
            ? new DateTimeOffset(at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at.ToUniversalTime())
            : time.GetUtcNow().AddSeconds(role.DurationSeconds);
        return new State(new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken), expires, response.AssumedRoleUser?.Arn);
    }

    public void Dispose()
    {
        _gate.Dispose();
        sts.Dispose();
    }

    private sealed record State(ImmutableCredentials Credentials, DateTimeOffset Expires, string? AssumedArn);
}
