namespace EksOperator.Simulators.Aws.Tests;

// IAM OpenID Connect providers (IRSA) driven by the real AWS CLI (signatures verified), for a cluster's issuer.
public sealed class OidcProviderCliTests
{
    private const string Thumbprint = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";

    [ToolFact("aws")]
    public async Task The_provider_of_a_cluster_issuer_is_created_read_listed_tagged_and_deleted_with_IAMs_errors()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "irsa", RoleArn = roles.RoleArns[0] }] });
        var cli = new AwsCli(sim);
        var issuer = (string)(await cli.OkAsync("eks", "describe-cluster", "--name", "irsa")).Json["cluster"]!["identity"]!["oidc"]!["issuer"]!;
        var address = issuer["https://".Length..];

        var created = (await cli.OkAsync("iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list", "sts.amazonaws.com",
            "--thumbprint-list", Thumbprint, "--tags", "Key=eks-operator/owner-uid,Value=uid-1")).Json;
        var arn = (string)created["OpenIDConnectProviderArn"]!;
        Assert.Equal($"arn:aws:iam::123456789012:oidc-provider/{address}", arn);
        Assert.Equal("uid-1", (string?)created["Tags"]![0]!["Value"]);

        var read = (await cli.OkAsync("iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn)).Json;
        Assert.Equal(address, (string?)read["Url"]);
        Assert.Equal(["sts.amazonaws.com"], read["ClientIDList"]!.AsArray().Select(c => (string)c!));
        Assert.Equal([Thumbprint], read["ThumbprintList"]!.AsArray().Select(t => (string)t!));
        Assert.NotNull(read["CreateDate"]);

        var listed = (await cli.OkAsync("iam", "list-open-id-connect-providers")).Json["OpenIDConnectProviderList"]!.AsArray();
        Assert.Equal([arn], listed.Select(p => (string)p!["Arn"]!));

        await cli.OkAsync("iam", "tag-open-id-connect-provider", "--open-id-connect-provider-arn", arn, "--tags", "Key=team,Value=platform");
        var tags = (await cli.OkAsync("iam", "list-open-id-connect-provider-tags", "--open-id-connect-provider-arn", arn)).Json["Tags"]!.AsArray();
        Assert.Equal(["eks-operator/owner-uid", "team"], tags.Select(t => (string)t!["Key"]!));
        await cli.OkAsync("iam", "untag-open-id-connect-provider", "--open-id-connect-provider-arn", arn, "--tag-keys", "team");
        Assert.Single((await cli.OkAsync("iam", "list-open-id-connect-provider-tags", "--open-id-connect-provider-arn", arn)).Json["Tags"]!.AsArray());

        var duplicate = await cli.FailsWithAsync("EntityAlreadyExists", "iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list", "sts.amazonaws.com");
        Assert.Contains($"Provider with url {issuer} already exists.", duplicate.Stderr, StringComparison.Ordinal);
        await cli.FailsWithAsync("InvalidInput", "iam", "create-open-id-connect-provider", "--url", "http://" + address + "x");

        await cli.OkAsync("iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", arn);
        var missing = await cli.FailsWithAsync("NoSuchEntity", "iam", "get-open-id-connect-provider", "--open-id-connect-provider-arn", arn);
        Assert.Contains($"OpenIDConnect Provider not found for arn {arn}", missing.Stderr, StringComparison.Ordinal);
        await cli.OkAsync("iam", "delete-open-id-connect-provider", "--open-id-connect-provider-arn", arn); // idempotent, as IAM documents
        Assert.Empty((await cli.OkAsync("iam", "list-open-id-connect-providers")).Json["OpenIDConnectProviderList"]!.AsArray());
    }
}
