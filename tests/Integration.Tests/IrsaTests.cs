using System.Text.Json.Nodes;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Integration.Tests;

/// <summary>spec.iamOidcProvider against the simulators: the IRSA provider of the cluster's issuer made, turned off, made again, and deleted after the cluster.</summary>
public sealed class IrsaTests
{
    [Fact]
    public async Task The_oidc_provider_follows_the_setting_and_goes_after_the_cluster()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("irsa", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.IamOidcProvider = true;
        await env.CreateAsync(cluster);

        var ready = await env.EventuallyReadyAtAsync<EksCluster>("irsa", c => c.Status?.OidcProviderArn is not null);
        var issuer = ready.Status!.OidcIssuer!;
        Assert.Equal($"arn:aws:iam::{env.Aws.Options.AccountId}:oidc-provider/{issuer["https://".Length..]}", ready.Status!.OidcProviderArn);
        var provider = Assert.Single(await ProvidersAsync(env))!;
        Assert.Equal(ready.Status.OidcProviderArn, (string?)provider["arn"]);
        Assert.Equal(["sts.amazonaws.com"], provider["clientIds"]!.AsArray().Select(c => (string)c!));
        Assert.Single(provider["thumbprints"]!.AsArray());
        Assert.Equal(ready.Metadata.Uid, (string?)provider["tags"]![Entities.OwnershipTags.OwnerUid]);
        Assert.Equal(1, env.Calls("iam:CreateOpenIDConnectProvider"));

        await env.PatchSpecAsync<EksCluster>("irsa", new { iamOidcProvider = false });
        await env.EventuallyReadyAtAsync<EksCluster>("irsa", c => c.Status is { OidcProviderArn: null } status && status.ObservedGeneration == c.Metadata.Generation);
        Assert.Empty(await ProvidersAsync(env));

        await env.PatchSpecAsync<EksCluster>("irsa", new { iamOidcProvider = true });
        await env.EventuallyReadyAtAsync<EksCluster>("irsa", c => c.Status?.OidcProviderArn is not null);
        Assert.Single(await ProvidersAsync(env));

        await env.DeleteAsync<EksCluster>("irsa");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("irsa"), c => c is null, "deleted", TimeSpan.FromSeconds(60));
        Assert.Empty(await ProvidersAsync(env));
        Assert.Equal(2, env.Calls("iam:DeleteOpenIDConnectProvider"));
        // The provider outlived the cluster: deleted after DeleteCluster, not before.
        var calls = env.Aws.Calls.Entries().Select(c => c.Operation).ToList();
        Assert.True(calls.LastIndexOf("DeleteOpenIDConnectProvider") > calls.IndexOf("DeleteCluster"), string.Join(", ", calls));
    }

    private static async Task<JsonArray> ProvidersAsync(OperatorEnvironment env) => (await env.AwsStateAsync())["oidcProviders"]!.AsArray();
}
