using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace EksOperator.Aws.Transport;

/// <summary>
/// One credentials object for the process: explicit ones from options (an object, or a static key), else AWSSDK.Core's
/// default chain.
/// The chain's providers cache and refresh on their own (IRSA, Pod Identity, IMDS).
/// </summary>
internal sealed class AwsCredentialSource(AwsOptions options)
{
    private readonly Lazy<AWSCredentials> _credentials = new(
        () => options.Credentials
              ?? (options.AccessKeyId is { Length: > 0 } key ? new BasicAWSCredentials(key, options.SecretAccessKey) : null)
              ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(
                  new AwsSigningConfig("sts", "2011-06-15", options.Region, new Uri("https://sts.amazonaws.com"))),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public AWSCredentials Credentials => _credentials.Value;

    /// <summary>Refreshes if needed (asynchronously), so the synchronous signer afterwards reads a warm cache.</summary>
    public async Task<(AWSCredentials Credentials, ImmutableCredentials Current)> GetAsync()
    {
        var credentials = Credentials;
        var current = await credentials.GetCredentialsAsync();
        return (credentials, current);
    }
}
