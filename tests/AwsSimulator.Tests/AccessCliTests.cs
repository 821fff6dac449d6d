using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

// The AWS CLI judges the access-entry and Pod Identity wire shapes, with signatures verified: principal and policy ARNs
// travel as single percent-encoded path segments (with ':' and '/'), which botocore signs encoded twice.

public sealed class EksAccessEntryCliTests
{
    private const string Admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    private const string View = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    private static string[] Arns(JsonNode list, string key, string member) => [.. list[key]!.AsArray().Select(p => (string)p![member]!)];

    [ToolFact("aws")]
    public async Task Access_entries_and_policies_through_the_cli()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "api", AuthenticationMode = "API" }, new AwsSeedCluster { Name = "legacy" }] });

        // A principal with a role path: its '/' inside the encoded segment must survive routing and the signature.
        var role = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "dev", "--path", "/team/", "--assume-role-policy-document", TestSim.NodeTrust)).Json["Role"]!["Arn"]!;
        Assert.Equal("arn:aws:iam::123456789012:role/team/dev", role);

        var entry = (await cli.OkAsync("eks", "create-access-entry", "--cluster-name", "api", "--principal-arn", role, "--kubernetes-groups", "devs", "--tags", "team=a")).Json["accessEntry"]!;
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/dev/{{SessionName}}", (string?)entry["username"]);
        Assert.Equal("STANDARD", (string?)entry["type"]);
        Assert.StartsWith("arn:aws:eks:us-west-2:123456789012:access-entry/api/role/123456789012/dev/", (string)entry["accessEntryArn"]!, StringComparison.Ordinal);
        Assert.Equal(["devs"], entry["kubernetesGroups"]!.AsArray().Select(g => (string)g!));

        var described = (await cli.OkAsync("eks", "describe-access-entry", "--cluster-name", "api", "--principal-arn", role)).Json["accessEntry"]!;
        Assert.Equal((string?)entry["accessEntryArn"], (string?)described["accessEntryArn"]);
        Assert.Equal("a", (string?)described["tags"]!["team"]);

        var updated = (await cli.OkAsync("eks", "update-access-entry", "--cluster-name", "api", "--principal-arn", role,
            "--kubernetes-groups", "ops", "--username", "dev:{{SessionName}}")).Json["accessEntry"]!;
        Assert.Equal(("dev:{{SessionName}}", "ops"), ((string?)updated["username"], (string?)updated["kubernetesGroups"]![0]));

        const string user = "arn:aws:iam::210987654321:user/ops/alice";
        Assert.Equal(user, (string?)(await cli.OkAsync("eks", "create-access-entry", "--cluster-name", "api", "--principal-arn", user)).Json["accessEntry"]!["username"]);
        Assert.Equal(new[] { role, user }.Order(StringComparer.Ordinal), (await cli.OkAsync("eks", "list-access-entries", "--cluster-name", "api")).Json["accessEntries"]!.AsArray().Select(e => (string)e!));

        // Both scope types; associating a policy again replaces its scope.
        var cluster = (await cli.OkAsync("eks", "associate-access-policy", "--cluster-name", "api", "--principal-arn", role, "--policy-arn", Admin, "--access-scope", "type=cluster")).Json;
        Assert.Equal(("api", role, "cluster"), ((string?)cluster["clusterName"], (string?)cluster["principalArn"], (string?)cluster["associatedAccessPolicy"]!["accessScope"]!["type"]));
        await cli.OkAsync("eks", "associate-access-policy", "--cluster-name", "api", "--principal-arn", role, "--policy-arn", View, "--access-scope", "type=cluster");
        var ns = (await cli.OkAsync("eks", "associate-access-policy", "--cluster-name", "api", "--principal-arn", role, "--policy-arn", View,
            "--access-scope", """{"type":"namespace","namespaces":["dev-*","prod"]}""")).Json["associatedAccessPolicy"]!;
        Assert.Equal(["dev-*", "prod"], ns["accessScope"]!["namespaces"]!.AsArray().Select(n => (string)n!));
        var associated = (await cli.OkAsync("eks", "list-associated-access-policies", "--cluster-name", "api", "--principal-arn", role)).Json;
        Assert.Equal([Admin, View], Arns(associated, "associatedAccessPolicies", "policyArn"));
        Assert.Equal(("api", role), ((string?)associated["clusterName"], (string?)associated["principalArn"]));
        Assert.Equal("namespace", (string?)associated["associatedAccessPolicies"]![1]!["accessScope"]!["type"]);
        var bad = await cli.FailsWithAsync("InvalidParameterException", "eks", "associate-access-policy", "--cluster-name", "api", "--principal-arn", role,
            "--policy-arn", View, "--access-scope", "type=namespace");
        Assert.Contains("At least one namespace must be specified when the access scope type is namespace.", bad.Stderr, StringComparison.Ordinal);

        Assert.Equal([role], (await cli.OkAsync("eks", "list-access-entries", "--cluster-name", "api", "--associated-policy-arn", Admin)).Json["accessEntries"]!.AsArray().Select(e => (string)e!));
        await cli.OkAsync("eks", "disassociate-access-policy", "--cluster-name", "api", "--principal-arn", role, "--policy-arn", Admin);
        Assert.Equal([View], Arns((await cli.OkAsync("eks", "list-associated-access-policies", "--cluster-name", "api", "--principal-arn", role)).Json, "associatedAccessPolicies", "policyArn"));
        Assert.Empty((await cli.OkAsync("eks", "list-access-entries", "--cluster-name", "api", "--associated-policy-arn", Admin)).Json["accessEntries"]!.AsArray());

        // The errors, with AWS's messages as the CLI prints them.
        var duplicate = await cli.FailsWithAsync("ResourceInUseException", "eks", "create-access-entry", "--cluster-name", "api", "--principal-arn", role);
        Assert.Contains("The specified access entry resource is already in use on this cluster.", duplicate.Stderr, StringComparison.Ordinal);
        var legacy = await cli.FailsWithAsync("InvalidRequestException", "eks", "create-access-entry", "--cluster-name", "legacy", "--principal-arn", role);
        Assert.Contains("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", legacy.Stderr, StringComparison.Ordinal);
        var nodeRole = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "nodes", "--assume-role-policy-document", TestSim.NodeTrust)).Json["Role"]!["Arn"]!;
        var nodeEntry = (await cli.OkAsync("eks", "create-access-entry", "--cluster-name", "api", "--principal-arn", nodeRole, "--type", "EC2_LINUX")).Json["accessEntry"]!;
        Assert.Equal(("EC2_LINUX", "system:node:{{EC2PrivateDNSName}}"), ((string?)nodeEntry["type"], (string?)nodeEntry["username"]));
        var node = await cli.FailsWithAsync("InvalidParameterException", "eks", "associate-access-policy", "--cluster-name", "api", "--principal-arn", nodeRole,
            "--policy-arn", Admin, "--access-scope", "type=cluster");
        Assert.Contains("This operation can only be performed on Access Entries with a type of \"STANDARD\".", node.Stderr, StringComparison.Ordinal);

        await cli.OkAsync("eks", "delete-access-entry", "--cluster-name", "api", "--principal-arn", role);
        var gone = await cli.FailsWithAsync("ResourceNotFoundException", "eks", "describe-access-entry", "--cluster-name", "api", "--principal-arn", role);
        Assert.Contains("The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.", gone.Stderr, StringComparison.Ordinal);
        await cli.FailsWithAsync("ResourceNotFoundException", "eks", "list-associated-access-policies", "--cluster-name", "api", "--principal-arn", role);
    }

    [ToolFact("aws")]
    public async Task List_access_policies_pages_through_the_whole_catalogue()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        var all = (await cli.OkAsync("eks", "list-access-policies")).Json["accessPolicies"]!.AsArray();
        Assert.Equal(19, all.Count);
        Assert.Contains(all, p => (string?)p!["arn"] == Admin && (string?)p["name"] == "AmazonEKSClusterAdminPolicy");

        // --page-size: the CLI follows nextToken to the end (19 policies in pages of 5 = 4 calls).
        var before = sim.Calls.Count("eks:ListAccessPolicies");
        var paged = (await cli.OkAsync("eks", "list-access-policies", "--page-size", "5")).Json["accessPolicies"]!.AsArray();
        Assert.Equal(all.Select(p => (string)p!["name"]!), paged.Select(p => (string)p!["name"]!));
        Assert.Equal(4, sim.Calls.Count("eks:ListAccessPolicies") - before);
    }
}

public sealed class EksPodIdentityCliTests
{
    private const string IrsaTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/X"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";

    [ToolFact("aws")]
    public async Task Pod_identity_associations_through_the_cli()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "c" }] });
        var app = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "app", "--assume-role-policy-document", PodIdentityTests.PodsTrust)).Json["Role"]!["Arn"]!;
        var other = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "other", "--assume-role-policy-document", PodIdentityTests.PodsTrust)).Json["Role"]!["Arn"]!;
        var irsa = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "irsa", "--assume-role-policy-document", IrsaTrust)).Json["Role"]!["Arn"]!;

        var missing = await cli.FailsWithAsync("InvalidParameterException", "eks", "create-pod-identity-association", "--cluster-name", "c",
            "--namespace", "shop", "--service-account", "api", "--role-arn", "arn:aws:iam::123456789012:role/missing");
        Assert.Contains("Role provided in the request does not exist", missing.Stderr, StringComparison.Ordinal);
        var untrusted = await cli.FailsWithAsync("InvalidParameterException", "eks", "create-pod-identity-association", "--cluster-name", "c",
            "--namespace", "shop", "--service-account", "api", "--role-arn", irsa);
        Assert.Contains("Trust policy of the role provided is invalid", untrusted.Stderr, StringComparison.Ordinal);

        var created = (await cli.OkAsync("eks", "create-pod-identity-association", "--cluster-name", "c", "--namespace", "shop", "--service-account", "api",
            "--role-arn", app, "--tags", "team=shop")).Json["association"]!;
        var id = (string)created["associationId"]!;
        Assert.Matches("^a-[a-z0-9]{17}$", id);
        Assert.Equal($"arn:aws:eks:us-west-2:123456789012:podidentityassociation/c/{id}", (string?)created["associationArn"]);
        Assert.Equal(created["createdAt"]!.GetValue<double>(), created["modifiedAt"]!.GetValue<double>());
        Assert.Equal("shop", (string?)created["tags"]!["team"]);

        var duplicate = await cli.FailsWithAsync("ResourceInUseException", "eks", "create-pod-identity-association", "--cluster-name", "c",
            "--namespace", "shop", "--service-account", "api", "--role-arn", other);
        Assert.Contains($"Association already exists: {id}", duplicate.Stderr, StringComparison.Ordinal);

        var described = (await cli.OkAsync("eks", "describe-pod-identity-association", "--cluster-name", "c", "--association-id", id)).Json["association"]!;
        Assert.Equal(created.ToJsonString(), described.ToJsonString());

        var updated = (await cli.OkAsync("eks", "update-pod-identity-association", "--cluster-name", "c", "--association-id", id,
            "--role-arn", other, "--target-role-arn", "arn:aws:iam::210987654321:role/cross")).Json["association"]!;
        Assert.Equal((other, "arn:aws:iam::210987654321:role/cross", "us-west-2/123456789012/c/shop/api"),
            ((string?)updated["roleArn"], (string?)updated["targetRoleArn"], (string?)updated["externalId"]));
        await cli.FailsWithAsync("InvalidParameterException", "eks", "update-pod-identity-association", "--cluster-name", "c", "--association-id", id, "--role-arn", other,
            "--target-role-arn", "arn:aws:iam::210987654321:role/cross");

        await cli.OkAsync("eks", "create-pod-identity-association", "--cluster-name", "c", "--namespace", "billing", "--service-account", "api", "--role-arn", app);
        var all = (await cli.OkAsync("eks", "list-pod-identity-associations", "--cluster-name", "c")).Json["associations"]!.AsArray();
        Assert.Equal(["shop", "billing"], all.Select(a => (string)a!["namespace"]!));
        Assert.All(all, a => Assert.Null(a!["roleArn"]));
        var shop = (await cli.OkAsync("eks", "list-pod-identity-associations", "--cluster-name", "c", "--namespace", "shop")).Json["associations"]!.AsArray();
        Assert.Equal(id, (string?)Assert.Single(shop)!["associationId"]);
        var before = sim.Calls.Count("eks:ListPodIdentityAssociations");
        Assert.Equal(2, (await cli.OkAsync("eks", "list-pod-identity-associations", "--cluster-name", "c", "--page-size", "1")).Json["associations"]!.AsArray().Count);
        Assert.Equal(2, sim.Calls.Count("eks:ListPodIdentityAssociations") - before);

        var deleted = (await cli.OkAsync("eks", "delete-pod-identity-association", "--cluster-name", "c", "--association-id", id)).Json["association"]!;
        Assert.Equal((id, other), ((string?)deleted["associationId"], (string?)deleted["roleArn"]));
        await cli.FailsWithAsync("ResourceNotFoundException", "eks", "describe-pod-identity-association", "--cluster-name", "c", "--association-id", id);
        var shortId = await cli.FailsWithAsync("InvalidParameterException", "eks", "delete-pod-identity-association", "--cluster-name", "c", "--association-id", "a-123");
        Assert.Contains("The parameter associationId should be 19 characters long.", shortId.Stderr, StringComparison.Ordinal);
    }
}
