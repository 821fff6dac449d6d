using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;

namespace EksOperator.Aws.Transport;

/// <summary>
/// The operator's own credentials (explicit ones from options, a static key, else AWSSDK.Core's default chain, whose
/// providers cache and refresh on their own: IRSA, Pod Identity, IMDS), and the roles it assumes from them: one
/// <see cref="AssumedRoleCredentials"/> per role chain for the process, so a role is assumed once per session, not per call.
/// </summary>
internal sealed class AwsCredentialSource(AwsOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<AwsAssumedRole, Lazy<AssumedRoleCredentials>> _assumed = new();
    private long _assumeRoleCalls;

    private readonly Lazy<AWSCredentials> _credentials = new(
        () => options.Credentials
              ?? (options.AccessKeyId is { Length: > 0 } key ? new BasicAWSCredentials(key, options.SecretAccessKey) : null)
              ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(
                  new AwsSigningConfig("sts", "2011-06-15", options.Region, new Uri("https://sts.amazonaws.com"))),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The operator's own credentials.</summary>
    public AWSCredentials Credentials => _credentials.Value;

    /// <summary>STS AssumeRole calls made so far (each a new session of some role; the benchmark counts them).</summary>
    public long AssumeRoleCalls => Interlocked.Read(ref _assumeRoleCalls);

    /// <summary>The credentials to sign with for <paramref name="role"/> (null: the operator's own).</summary>
    public AWSCredentials For(AwsAssumedRole? role) => role is null ? Credentials : Assumed(role);

    /// <summary>The assumed-role credentials of <paramref name="role"/>, made once per chain.</summary>
    public AssumedRoleCredentials Assumed(AwsAssumedRole role) =>
        _assumed.GetOrAdd(role, r => new Lazy<AssumedRoleCredentials>(
            () => new AssumedRoleCredentials(r, StsClient(For(r.Source)), _time, () => Interlocked.Increment(ref _assumeRoleCalls)),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Refreshes if needed (asynchronously), so the synchronous signer afterwards reads a warm cache.</summary>
    public Task<(AWSCredentials Credentials, ImmutableCredentials Current)> GetAsync() => GetAsync(null);

    /// <inheritdoc cref="GetAsync()"/>
    public async Task<(AWSCredentials Credentials, ImmutableCredentials Current)> GetAsync(AwsAssumedRole? role)
    {
        var credentials = For(role);
        var current = await credentials.GetCredentialsAsync();
        return (credentials, current);
    }

    /// <summary>AWSSDK.SecurityToken's client for one source identity: the STS endpoint override (a simulator), else the regional endpoint.</summary>
    private AmazonSecurityTokenServiceClient StsClient(AWSCredentials source) =>
        new(source, SdkClientConfigs.For<AmazonSecurityTokenServiceConfig>(options, options.Sts));
}
