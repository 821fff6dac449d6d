using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>
/// spec.iamOidcProvider: the IAM OpenID Connect provider of the cluster's issuer, for IAM roles for service accounts.
/// Made once the cluster is ACTIVE (EKS gives the issuer then), reported in status.oidcProviderArn, deleted when the
/// spec turns it off or after the cluster is gone, and only where its tags say it is this cluster's.
/// </summary>
internal sealed class ClusterOidcProvider(IOidcProviders providers, LiveObjects live, IEventRecorder events)
{
    public async Task SyncAsync(EksCluster cluster, CancellationToken ct)
    {
        var status = cluster.EnsureStatus();
        if (cluster.Spec.IamOidcProvider != true)
        {
            await DeleteAsync(cluster, ct);
            return;
        }

        if (status.OidcIssuer is not { } issuer || AccountOf(status.Arn) is not { } account) return;
        var result = await providers.EnsureAsync(issuer, account, Claims.OwnerOf(cluster), live.AdoptionFor(cluster), ct);
        var first = status.OidcProviderArn != result.Arn;
        status.OidcProviderArn = result.Arn;
        status.OidcProviderCreated = result.Ours ? true : null;
        if (result.Created)
        {
            await events.RecordAsync(cluster, EventType.Normal, "OidcProviderCreated", $"CreateOpenIDConnectProvider sent for {issuer} ({result.Arn})", ct);
        }
        else if (first && result.Message is { } notOurs)
        {
            await events.RecordAsync(cluster, EventType.Normal, "OidcProviderInUse", notOurs, ct);
        }
    }

    /// <summary>The operator's provider, where there may be one: the recorded ARN, else the one the issuer implies (a crash may have lost the record).</summary>
    public async Task DeleteAsync(EksCluster cluster, CancellationToken ct)
    {
        var status = cluster.Status;
        if (status is null || (cluster.Spec.IamOidcProvider != true && status.OidcProviderCreated != true))
        {
            if (status is not null) status.OidcProviderArn = null;
            return;
        }

        var arn = status.OidcProviderArn
            ?? (status.OidcIssuer is { } issuer && AccountOf(status.Arn) is { } account ? OidcProviderArn.For(issuer, account) : null);
        if (arn is not null)
        {
            await providers.DeleteAsync(arn, Claims.OwnerOf(cluster), ct);
            if (status.OidcProviderCreated == true)
            {
                await events.RecordAsync(cluster, EventType.Normal, "OidcProviderDeleted", $"IAM OIDC provider {arn} is deleted", ct);
            }
        }

        status.OidcProviderArn = null;
        status.OidcProviderCreated = null;
    }

    /// <summary>The account of an EKS ARN (arn:aws:eks:region:account:cluster/name).</summary>
    private static string? AccountOf(string? arn) => arn?.Split(':') is [_, _, _, _, { Length: 12 } account, ..] ? account : null;
}
