using EksOperator.Aws.Iam;
using EksOperator.Aws.Mapping;

namespace EksOperator.Aws.Roles;

/// <summary>The IAM OIDC provider of a cluster's issuer: whether it is the operator's to delete, and what happened.</summary>
/// <param name="Created">Created by this call (for the event).</param>
/// <param name="Message">Why an existing provider is used but not owned, for an event; null when it is ours.</param>
public sealed record OidcProviderResult(string Arn, bool Ours, bool Created, string? Message = null);

/// <summary>The IAM OpenID Connect providers that let a cluster's service accounts assume roles (IRSA).</summary>
public interface IOidcProviders
{
    /// <summary>
    /// Makes sure IAM has a provider for <paramref name="issuer"/> (client id sts.amazonaws.com, the issuer's thumbprint),
    /// created for <paramref name="owner"/> and tagged so. One that exists and is not <paramref name="owner"/>'s is used as
    /// it is (adopted only when <paramref name="adoption"/> asks and no live object owns it).
    /// </summary>
    /// <param name="account">The cluster's account (from its ARN): the provider's ARN is derived, not listed.</param>
    Task<OidcProviderResult> EnsureAsync(string issuer, string account, Owner owner, Adoption adoption, CancellationToken cancellationToken);

    /// <summary>Deletes the provider of <paramref name="providerArn"/> where it exists and is tagged for <paramref name="owner"/>.</summary>
    Task DeleteAsync(string providerArn, Owner owner, CancellationToken cancellationToken);
}

/// <summary>IAM names a provider after its URL: the ARN follows from the issuer and the account, without a List call.</summary>
public static class OidcProviderArn
{
    public static string For(string issuer, string account)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return $"arn:aws:iam::{account}:oidc-provider/{issuer[(issuer.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/')}";
    }
}

internal sealed class OidcProviders(IIamApi iam, IIssuerThumbprints thumbprints) : IOidcProviders
{
    /// <summary>The audience of IRSA's web identity tokens.</summary>
    public const string StsAudience = "sts.amazonaws.com";

    public async Task<OidcProviderResult> EnsureAsync(string issuer, string account, Owner owner, Adoption adoption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(adoption);
        var arn = OidcProviderArn.For(issuer, account);
        var existing = await iam.GetOpenIDConnectProviderAsync(arn, cancellationToken);
        if (existing is null)
        {
            var thumbprint = await thumbprints.ThumbprintAsync(new Uri(issuer), cancellationToken);
            try
            {
                var created = await iam.CreateOpenIDConnectProviderAsync(new CreateOidcProviderRequest
                {
                    Url = issuer,
                    ClientIds = [StsAudience],
                    Thumbprints = thumbprint is null ? [] : [thumbprint],
                    Tags = owner.OwnershipTags,
                }, cancellationToken);
                return new OidcProviderResult(created, Ours: true, Created: true);
            }
            catch (AwsApiException e) when (e.Kind == AwsErrorKind.AlreadyExists)
            {
                // Created meanwhile (a pass that crashed before recording it, or someone else): judge it by its tags.
                existing = await iam.GetOpenIDConnectProviderAsync(arn, cancellationToken);
                if (existing is null) throw;
            }
        }

        switch (OwnershipCheck.Of(existing.Tags, owner, adoption.OwnerIsLive))
        {
            case Ownership.Ours:
                return new OidcProviderResult(arn, Ours: true, Created: false);
            case Ownership.Unowned or Ownership.Reclaimable when adoption.Requested:
                await iam.TagOpenIDConnectProviderAsync(arn, owner.OwnershipTags, cancellationToken);
                return new OidcProviderResult(arn, Ours: true, Created: false);
            default:
                var whose = existing.Tags.ContainsKey(Entities.OwnershipTags.OwnerUid) ? $"belongs to {OwnershipCheck.Describe(existing.Tags)}" : "is not managed by eks-operator";
                return new OidcProviderResult(arn, Ours: false, Created: false,
                    $"IAM OIDC provider {arn} already exists and {whose}: the cluster uses it and the operator will never delete it");
        }
    }

    public async Task DeleteAsync(string providerArn, Owner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var existing = await iam.GetOpenIDConnectProviderAsync(providerArn, cancellationToken);
        if (existing is null || !OwnershipCheck.IsOwnedBy(existing.Tags, owner.Uid)) return; // gone, or not ours to delete
        await iam.DeleteOpenIDConnectProviderAsync(providerArn, cancellationToken); // idempotent in IAM
    }
}
