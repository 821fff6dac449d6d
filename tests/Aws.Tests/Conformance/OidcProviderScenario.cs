using EksOperator.Aws.Iam;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;

namespace EksOperator.Aws.Tests.Conformance;

/// <summary>
/// The IRSA provider's life through <see cref="OidcProviders"/> and our IAM client, against any backend: created
/// tagged with the sts.amazonaws.com audience and the thumbprint, found again by its derived ARN, judged by its tags
/// (another owner's is used, never deleted), adopted when asked, deleted by its owner.
/// </summary>
internal static class OidcProviderScenario
{
    private const string Thumbprint = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

    public static async Task LifecycleAsync(AwsBackend backend, string account)
    {
        var iam = backend.Iam;
        var id = Guid.NewGuid().ToString("N")[..32].ToUpperInvariant();
        var issuer = $"https://oidc.eks.us-west-2.amazonaws.com/id/{id}";
        var owner = new Owner("uid-oidc-" + id[..8], "default", "demo");
        var providers = new OidcProviders(iam, new FixedThumbprint(Thumbprint));

        var created = await providers.EnsureAsync(issuer, account, owner, Adoption.None, CancellationToken.None);
        Assert.Equal((true, true), (created.Ours, created.Created));
        Assert.Equal($"arn:aws:iam::{account}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/{id}", created.Arn);

        var read = await iam.GetOpenIDConnectProviderAsync(created.Arn);
        Assert.NotNull(read);
        Assert.Equal($"oidc.eks.us-west-2.amazonaws.com/id/{id}", read.Url);
        Assert.Equal(["sts.amazonaws.com"], read.ClientIds);
        Assert.Equal([Thumbprint], read.Thumbprints);
        Assert.Equal(owner.Uid, read.Tags[Entities.OwnershipTags.OwnerUid]);

        var again = await providers.EnsureAsync(issuer, account, owner, Adoption.None, CancellationToken.None);
        Assert.Equal((created.Arn, true, false), (again.Arn, again.Ours, again.Created));

        var duplicate = await Assert.ThrowsAsync<AwsApiException>(() => iam.CreateOpenIDConnectProviderAsync(new CreateOidcProviderRequest { Url = issuer, ClientIds = ["sts.amazonaws.com"] }));
        Assert.Equal(("EntityAlreadyExists", AwsErrorKind.AlreadyExists), (duplicate.Code, duplicate.Kind));

        var stranger = new Owner("uid-other", "default", "other");
        var theirs = await providers.EnsureAsync(issuer, account, stranger, new Adoption(true), CancellationToken.None);
        Assert.False(theirs.Ours);
        Assert.Contains("belongs to default/demo", theirs.Message, StringComparison.Ordinal);
        await providers.DeleteAsync(created.Arn, stranger, CancellationToken.None);
        Assert.NotNull(await iam.GetOpenIDConnectProviderAsync(created.Arn));

        await providers.DeleteAsync(created.Arn, owner, CancellationToken.None);
        Assert.Null(await iam.GetOpenIDConnectProviderAsync(created.Arn));
        await providers.DeleteAsync(created.Arn, owner, CancellationToken.None); // gone: nothing to do

        // One made by hand (eksctl utils associate-iam-oidc-provider): used as it is, taken over only when asked.
        var manual = await iam.CreateOpenIDConnectProviderAsync(new CreateOidcProviderRequest { Url = issuer, ClientIds = ["sts.amazonaws.com"], Thumbprints = [Thumbprint] });
        var used = await providers.EnsureAsync(issuer, account, owner, Adoption.None, CancellationToken.None);
        Assert.Equal((manual, false), (used.Arn, used.Ours));
        Assert.Contains("is not managed by eks-operator", used.Message, StringComparison.Ordinal);
        var adopted = await providers.EnsureAsync(issuer, account, owner, new Adoption(true), CancellationToken.None);
        Assert.True(adopted.Ours);
        Assert.Equal(owner.Uid, (await iam.GetOpenIDConnectProviderAsync(manual))!.Tags[Entities.OwnershipTags.OwnerUid]);
        await providers.DeleteAsync(manual, owner, CancellationToken.None);
        Assert.Null(await iam.GetOpenIDConnectProviderAsync(manual));

        await iam.DeleteOpenIDConnectProviderAsync(manual); // idempotent, as the IAM model documents
    }

    private sealed class FixedThumbprint(string value) : IIssuerThumbprints
    {
        public Task<string?> ThumbprintAsync(Uri issuer, CancellationToken cancellationToken) => Task.FromResult<string?>(value);
    }
}
