using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

// EKS capabilities driven by the real AWS CLI (signatures verified), lifecycles scaled as in CliScenario.
public sealed class EksCapabilityCliTests
{
    public const string CapabilityTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"capabilities.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";

    private const string Idc = "arn:aws:sso:::instance/ssoins-1234567890abcdef";

    private static readonly string ArgoCdConfiguration = $$$"""
        {"argoCd":{"awsIdc":{"idcInstanceArn":"{{{Idc}}}"},"rbacRoleMappings":[{"role":"ADMIN","identities":[{"id":"g-admins","type":"SSO_GROUP"}]}]}}
        """;

    [ToolFact("aws")]
    public async Task Capability_create_describe_update_list_tag_delete_and_error_cases()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "cap1", RoleArn = roles.RoleArns[0] }] });
        var cli = new AwsCli(sim);
        var role = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "argocd", "--assume-role-policy-document", CapabilityTrust)).Json["Role"]!["Arn"]!;

        var created = (await cli.OkAsync("eks", "create-capability", "--cluster-name", "cap1", "--capability-name", "argocd", "--type", "ARGOCD",
            "--role-arn", role, "--delete-propagation-policy", "RETAIN", "--configuration", ArgoCdConfiguration, "--tags", "team=platform")).Json["capability"]!;
        Assert.Equal("CREATING", (string?)created["status"]);
        Assert.Matches("^arn:aws:eks:us-west-2:123456789012:capability/cap1/argocd/argocd/[0-9a-f]{12}$", (string?)created["arn"]);
        Assert.Equal("3.1.8-eks-1", (string?)created["version"]);
        // EKS fills in what the request left out: the namespace, the Identity Center region and application, the server URL.
        var argoCd = created["configuration"]!["argoCd"]!;
        Assert.Equal("argocd", (string?)argoCd["namespace"]);
        Assert.Equal("us-west-2", (string?)argoCd["awsIdc"]!["idcRegion"]);
        Assert.StartsWith("arn:aws:sso::123456789012:application/", (string?)argoCd["awsIdc"]!["idcManagedApplicationArn"], StringComparison.Ordinal);
        Assert.StartsWith("https://", (string?)argoCd["serverUrl"], StringComparison.Ordinal);

        var active = await CliScenario.PollAsync(async () => (string?)(await cli.OkAsync("eks", "describe-capability", "--cluster-name", "cap1",
            "--capability-name", "argocd")).Json["capability"]!["status"], "ACTIVE");
        Assert.Equal("ACTIVE", active);

        var duplicate = await cli.FailsWithAsync("ResourceInUseException", "eks", "create-capability", "--cluster-name", "cap1", "--capability-name", "argocd",
            "--type", "KRO", "--role-arn", role, "--delete-propagation-policy", "RETAIN");
        Assert.Contains("Capability already exists.", duplicate.Stderr, StringComparison.Ordinal);
        var sameType = await cli.FailsWithAsync("ResourceInUseException", "eks", "create-capability", "--cluster-name", "cap1", "--capability-name", "argocd2",
            "--type", "ARGOCD", "--role-arn", role, "--delete-propagation-policy", "RETAIN", "--configuration", ArgoCdConfiguration);
        Assert.Contains("A capability of type ARGOCD already exists on cluster cap1", sameType.Stderr, StringComparison.Ordinal);
        var noIdc = await cli.FailsWithAsync("InvalidParameterException", "eks", "create-capability", "--cluster-name", "cap1", "--capability-name", "kro",
            "--type", "KRO", "--role-arn", role, "--delete-propagation-policy", "RETAIN", "--configuration", ArgoCdConfiguration);
        Assert.Contains("configuration.argoCd is not supported for a capability of type KRO", noIdc.Stderr, StringComparison.Ordinal);
        var noRole = await cli.FailsWithAsync("InvalidParameterException", "eks", "create-capability", "--cluster-name", "cap1", "--capability-name", "kro",
            "--type", "KRO", "--role-arn", "arn:aws:iam::123456789012:role/missing", "--delete-propagation-policy", "RETAIN");
        Assert.Contains("Role provided in the request does not exist", noRole.Stderr, StringComparison.Ordinal);
        await cli.FailsWithAsync("ResourceNotFoundException", "eks", "describe-capability", "--cluster-name", "cap1", "--capability-name", "ack");
        await cli.FailsWithAsync("ResourceNotFoundException", "eks", "list-capabilities", "--cluster-name", "nope");

        var update = (await cli.OkAsync("eks", "update-capability", "--cluster-name", "cap1", "--capability-name", "argocd", "--configuration",
            """{"argoCd":{"rbacRoleMappings":{"addOrUpdateRoleMappings":[{"role":"VIEWER","identities":[{"id":"u-1","type":"SSO_USER"}]}],"removeRoleMappings":[{"role":"ADMIN","identities":[{"id":"g-admins","type":"SSO_GROUP"}]}]},"networkAccess":{"vpceIds":["vpce-0123456789abcdef0"]}}}""")).Json["update"]!;
        Assert.Equal("CapabilityUpdate", (string?)update["type"]);
        Assert.Equal(["RoleMappingsToAddOrUpdate", "RoleMappingsToRemove", "NetworkAccess"], update["params"]!.AsArray().Select(p => (string)p!["type"]!));
        var updateId = (string)update["id"]!;
        var status = await CliScenario.PollAsync(async () => (string?)(await cli.OkAsync("eks", "describe-update", "--name", "cap1", "--update-id", updateId,
            "--capability-name", "argocd")).Json["update"]!["status"], "Successful");
        Assert.Equal("Successful", status);
        await cli.FailsWithAsync("ResourceNotFoundException", "eks", "describe-update", "--name", "cap1", "--update-id", updateId);
        var updated = (await cli.OkAsync("eks", "describe-capability", "--cluster-name", "cap1", "--capability-name", "argocd")).Json["capability"]!;
        Assert.Equal("""[{"role":"VIEWER","identities":[{"id":"u-1","type":"SSO_USER"}]}]""", updated["configuration"]!["argoCd"]!["rbacRoleMappings"]!.ToJsonString());
        Assert.Equal("""{"vpceIds":["vpce-0123456789abcdef0"]}""", updated["configuration"]!["argoCd"]!["networkAccess"]!.ToJsonString());
        Assert.Equal("3.1.8-eks-1", (string?)updated["version"]);

        var kro = (await cli.OkAsync("eks", "create-capability", "--cluster-name", "cap1", "--capability-name", "kro", "--type", "KRO",
            "--role-arn", role, "--delete-propagation-policy", "RETAIN")).Json["capability"]!;
        var kroArn = (string)kro["arn"]!;
        await cli.OkAsync("eks", "tag-resource", "--resource-arn", kroArn, "--tags", "env=test");
        Assert.Equal("test", (string?)(await cli.OkAsync("eks", "list-tags-for-resource", "--resource-arn", kroArn)).Json["tags"]!["env"]);

        // --page-size 1: the CLI follows nextToken through two pages of one capability each.
        var before = sim.Calls.Count("eks:ListCapabilities");
        var listed = (await cli.OkAsync("eks", "list-capabilities", "--cluster-name", "cap1", "--page-size", "1")).Json["capabilities"]!.AsArray();
        Assert.Equal(["argocd", "kro"], listed.Select(c => (string)c!["capabilityName"]!));
        Assert.Equal(["ARGOCD", "KRO"], listed.Select(c => (string)c!["type"]!));
        Assert.Equal(2, sim.Calls.Count("eks:ListCapabilities") - before);

        var deleting = (await cli.OkAsync("eks", "delete-capability", "--cluster-name", "cap1", "--capability-name", "argocd")).Json["capability"]!;
        Assert.Equal("DELETING", (string?)deleting["status"]);
        var gone = await CliScenario.PollAsync(async () => (await cli.RunAsync("eks", "describe-capability", "--cluster-name", "cap1", "--capability-name", "argocd")).Stderr
            .Contains("ResourceNotFoundException", StringComparison.Ordinal) ? "gone" : "there", "gone");
        Assert.Equal("gone", gone);
    }

    [ToolFact("aws")]
    public async Task A_role_that_does_not_trust_capabilities_ends_in_CREATE_FAILED_with_an_AccessDenied_issue()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "cap2", RoleArn = roles.RoleArns[0] }] });
        var cli = new AwsCli(sim);

        var created = (await cli.OkAsync("eks", "create-capability", "--cluster-name", "cap2", "--capability-name", "ack", "--type", "ACK",
            "--role-arn", roles.RoleArns[0], "--delete-propagation-policy", "RETAIN")).Json["capability"]!;
        Assert.Equal("CREATING", (string?)created["status"]);
        Assert.Null(created["version"]);
        JsonNode? failed = null;
        for (var i = 0; i < 10 && (string?)failed?["status"] != "CREATE_FAILED"; i++)
        {
            failed = (await cli.OkAsync("eks", "describe-capability", "--cluster-name", "cap2", "--capability-name", "ack")).Json["capability"]!;
        }

        Assert.Equal("CREATE_FAILED", (string?)failed!["status"]);
        var issue = Assert.Single(failed["health"]!["issues"]!.AsArray())!;
        Assert.Equal("AccessDenied", (string?)issue["code"]);
        Assert.Contains("capabilities.eks.amazonaws.com", (string?)issue["message"], StringComparison.Ordinal);

        var state = JsonNode.Parse(await new HttpClient { BaseAddress = sim.BaseAddress }.GetStringAsync("_sim/state"))!;
        Assert.Equal("CREATE_FAILED", (string?)state["clusters"]![0]!["capabilities"]![0]!["status"]);
    }
}
