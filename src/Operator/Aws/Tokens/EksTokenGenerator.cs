using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using EksOperator.Aws.Transport;

namespace EksOperator.Aws.Tokens;

/// <summary>Bearer tokens for an EKS cluster's Kubernetes API (what <c>aws eks get-token</c> prints).</summary>
public interface IEksTokenGenerator
{
    Task<EksToken> GetTokenAsync(string clusterName, CancellationToken cancellationToken = default);
}

/// <param name="Token"><c>k8s-aws-v1.</c> + base64url (no padding) of a presigned STS GetCallerIdentity URL.</param>
/// <param name="ExpiresAt">When a client should fetch a new one (the CLI's 14 minutes).</param>
public sealed record EksToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Presigns STS GetCallerIdentity with AWSSDK.Core's query-string signer, signing the <c>x-k8s-aws-id</c> header so the
/// token is only good for the named cluster. No call is made; the cluster's authenticator makes it. Signed with the
/// credentials of the current <see cref="AwsScope"/> (an assumed role for a cluster in another account).
/// </summary>
internal sealed class EksTokenGenerator(AwsOptions options, AwsCredentialSource credentials, TimeProvider time) : IEksTokenGenerator
{
    public const string Prefix = "k8s-aws-v1.";
    public const string ClusterIdHeader = "x-k8s-aws-id";

    /// <summary>The CLI presigns for 60 s and tells kubectl to refresh after 14 minutes (the authenticator accepts 15).</summary>
    private static readonly TimeSpan PresignedFor = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(14);

    private readonly AwsServiceEndpoint _sts = AwsServiceEndpoint.Sts(options);

    public async Task<EksToken> GetTokenAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterName);
        // The cluster's account and region (the pass's AWS target): its authenticator checks the caller there.
        var target = AwsScope.Current;
        var (_, current) = await credentials.GetAsync(target?.Role);
        var sts = target is { Region: var region } && region != options.Region ? AwsServiceEndpoint.Sts(options with { Region = region }) : _sts;
        var config = new AwsSigningConfig(sts.Service, sts.ServiceVersion, sts.SigningRegion, sts.Endpoint);
        var request = new DefaultRequest(new PresignRequest(), "SecurityTokenService")
        {
            HttpMethod = "GET",
            ResourcePath = "/",
            Endpoint = sts.Endpoint,
        };
        request.Parameters["Action"] = "GetCallerIdentity";
        request.Parameters["Version"] = sts.ServiceVersion;
        request.Parameters["X-Amz-Expires"] = ((int)PresignedFor.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (current.UseToken)
        {
            request.Parameters["X-Amz-Security-Token"] = current.Token;
        }

        request.Headers[ClusterIdHeader] = clusterName;
        var signature = AWS4PreSignedUrlSigner.SignRequest(request, config, null, current.AccessKey, current.SecretKey, sts.Service, sts.SigningRegion);
        var url = AmazonServiceClient.ComposeUrl(request).AbsoluteUri + "&" + signature.ForQueryParameters;
        var token = Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(url)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new EksToken(token, time.GetUtcNow() + RefreshAfter);
    }

    private sealed class PresignRequest : AmazonWebServiceRequest;
}
