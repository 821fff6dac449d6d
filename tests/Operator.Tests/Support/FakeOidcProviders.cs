using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;

namespace EksOperator.Operator.Tests.Support;

/// <summary>IAM OIDC providers in memory by ARN, judged by their ownership tags as the real ones are.</summary>
internal sealed class FakeOidcProviders : IOidcProviders
{
    public Dictionary<string, Dictionary<string, string>> Providers { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public Task<OidcProviderResult> EnsureAsync(string issuer, string account, Owner owner, Adoption adoption, CancellationToken cancellationToken)
    {
        var arn = OidcProviderArn.For(issuer, account);
        Calls.Add($"Ensure {arn}");
        if (!Providers.TryGetValue(arn, out var tags))
        {
            Providers[arn] = new Dictionary<string, string>(owner.OwnershipTags, StringComparer.Ordinal);
            return Task.FromResult(new OidcProviderResult(arn, Ours: true, Created: true));
        }

        return Task.FromResult(OwnershipCheck.Of(tags, owner, adoption.OwnerIsLive) == Ownership.Ours
            ? new OidcProviderResult(arn, Ours: true, Created: false)
            : new OidcProviderResult(arn, Ours: false, Created: false, $"IAM OIDC provider {arn} already exists and is not managed by eks-operator"));
    }

    public Task DeleteAsync(string providerArn, Owner owner, CancellationToken cancellationToken)
    {
        Calls.Add($"Delete {providerArn}");
        if (Providers.TryGetValue(providerArn, out var tags) && OwnershipCheck.IsOwnedBy(tags, owner.Uid)) Providers.Remove(providerArn);
        return Task.CompletedTask;
    }
}
