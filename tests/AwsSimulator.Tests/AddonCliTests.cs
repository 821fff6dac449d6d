using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

// The add-on part of the AWS CLI conformance scenario (signatures verified), split in two classes so that xunit runs
// them in parallel. Lifecycles are scaled (CliScenario.TimeScale) so that the CLI's waiters succeed on their first poll.

public sealed class EksAddonCliTests
{
    [ToolFact("aws")]
    public async Task Addon_create_wait_update_list_tag_delete_and_error_cases()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "cli3", RoleArn = roles.RoleArns[0] }] });
        var cli = new AwsCli(sim);

        var created = (await cli.OkAsync("eks", "create-addon", "--cluster-name", "cli3", "--addon-name", "coredns")).Json["addon"]!;
        Assert.Equal("CREATING", (string?)created["status"]);
        Assert.Equal("v1.12.3-eksbuild.1", (string?)created["addonVersion"]);
        Assert.StartsWith("arn:aws:eks:us-west-2:123456789012:addon/cli3/coredns/", (string?)created["addonArn"], StringComparison.Ordinal);
        await cli.OkAsync("eks", "wait", "addon-active", "--cluster-name", "cli3", "--addon-name", "coredns");
        var active = (await cli.OkAsync("eks", "describe-addon", "--cluster-name", "cli3", "--addon-name", "coredns")).Json["addon"]!;
        Assert.Equal("ACTIVE", (string?)active["status"]);
        Assert.Equal("{}", active["tags"]!.ToJsonString());

        var duplicate = await cli.FailsWithAsync("ResourceInUseException", "eks", "create-addon", "--cluster-name", "cli3", "--addon-name", "coredns");
        Assert.Contains("Addon already exists.", duplicate.Stderr, StringComparison.Ordinal);
        var otherMinor = await cli.FailsWithAsync("InvalidParameterException", "eks", "create-addon", "--cluster-name", "cli3",
            "--addon-name", "kube-proxy", "--addon-version", "v1.33.7-eksbuild.2");
        Assert.Contains("Addon version specified is not supported", otherMinor.Stderr, StringComparison.Ordinal);
        var badValues = await cli.FailsWithAsync("InvalidParameterException", "eks", "create-addon", "--cluster-name", "cli3",
            "--addon-name", "vpc-cni", "--configuration-values", """{"env":{"POD_SECURITY_GROUP_ENFORCING_MODE":"standard"}}""");
        Assert.Contains("ConfigurationValue provided in request is not supported [$.env.POD_SECURITY_GROUP_ENFORCING_MODE: is not defined in the schema and the schema does not allow additional properties]",
            badValues.Stderr, StringComparison.Ordinal);

        var update = (await cli.OkAsync("eks", "update-addon", "--cluster-name", "cli3", "--addon-name", "coredns", "--addon-version", "v1.12.3-eksbuild.2",
            "--resolve-conflicts", "OVERWRITE", "--configuration-values", """{"replicaCount":3}""")).Json["update"]!;
        Assert.Equal("AddonUpdate", (string?)update["type"]);
        Assert.Equal(["AddonVersion", "ResolveConflicts", "ConfigurationValues"], update["params"]!.AsArray().Select(p => (string)p!["type"]!));
        var updateId = (string)update["id"]!;
        var status = await CliScenario.PollAsync(async () => (string?)(await cli.OkAsync("eks", "describe-update", "--name", "cli3", "--update-id", updateId,
            "--addon-name", "coredns")).Json["update"]!["status"], "Successful");
        Assert.Equal("Successful", status);
        await cli.FailsWithAsync("ResourceNotFoundException", "eks", "describe-update", "--name", "cli3", "--update-id", updateId);
        Assert.Equal(updateId, (string?)Assert.Single((await cli.OkAsync("eks", "list-updates", "--name", "cli3", "--addon-name", "coredns")).Json["updateIds"]!.AsArray()));
        await cli.OkAsync("eks", "wait", "addon-active", "--cluster-name", "cli3", "--addon-name", "coredns");
        var updated = (await cli.OkAsync("eks", "describe-addon", "--cluster-name", "cli3", "--addon-name", "coredns")).Json["addon"]!;
        Assert.Equal("v1.12.3-eksbuild.2", (string?)updated["addonVersion"]);
        Assert.Equal("""{"replicaCount":3}""", (string?)updated["configurationValues"]);

        var ebsRole = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "ebs", "--assume-role-policy-document", PodIdentityTests.PodsTrust)).Json["Role"]!["Arn"]!;
        var ebs = (await cli.OkAsync("eks", "create-addon", "--cluster-name", "cli3", "--addon-name", "aws-ebs-csi-driver", "--tags", "team=storage",
            "--pod-identity-associations", $"serviceAccount=ebs-csi-controller-sa,roleArn={ebsRole}")).Json["addon"]!;
        Assert.Matches("^arn:aws:eks:us-west-2:123456789012:podidentityassociation/cli3/a-[a-z0-9]{17}$", (string)ebs["podIdentityAssociations"]![0]!);
        var ebsArn = (string)ebs["addonArn"]!;
        await cli.OkAsync("eks", "tag-resource", "--resource-arn", ebsArn, "--tags", "env=test");
        var tags = (await cli.OkAsync("eks", "list-tags-for-resource", "--resource-arn", ebsArn)).Json["tags"]!;
        Assert.Equal(("storage", "test"), ((string?)tags["team"], (string?)tags["env"]));

        // --page-size 1: the CLI follows nextToken through two pages of one add-on each.
        var before = sim.Calls.Count("eks:ListAddons");
        var listed = (await cli.OkAsync("eks", "list-addons", "--cluster-name", "cli3", "--page-size", "1")).Json["addons"]!;
        Assert.Equal(["aws-ebs-csi-driver", "coredns"], listed.AsArray().Select(a => (string)a!));
        Assert.Equal(2, sim.Calls.Count("eks:ListAddons") - before);

        var deleting = (await cli.OkAsync("eks", "delete-addon", "--cluster-name", "cli3", "--addon-name", "coredns", "--preserve")).Json["addon"]!;
        Assert.Equal("DELETING", (string?)deleting["status"]);
        await cli.OkAsync("eks", "wait", "addon-deleted", "--cluster-name", "cli3", "--addon-name", "coredns");
        var gone = await cli.FailsWithAsync("ResourceNotFoundException", "eks", "describe-addon", "--cluster-name", "cli3", "--addon-name", "coredns");
        Assert.Contains("No addon: coredns found in cluster: cli3", gone.Stderr, StringComparison.Ordinal);

        // The EBS driver is still installed: EKS deletes it with the cluster.
        await cli.OkAsync("eks", "delete-cluster", "--name", "cli3");
        await cli.OkAsync("eks", "wait", "cluster-deleted", "--name", "cli3");
    }

    [ToolFact("aws")]
    public async Task The_addon_active_waiter_fails_on_a_DEGRADED_addon()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "cli4", RoleArn = roles.RoleArns[0] }] });
        var cli = new AwsCli(sim);
        await cli.OkAsync("eks", "create-addon", "--cluster-name", "cli4", "--addon-name", "coredns");
        await cli.OkAsync("eks", "wait", "addon-active", "--cluster-name", "cli4", "--addon-name", "coredns");

        using var http = new HttpClient { BaseAddress = sim.BaseAddress };
        using var degrade = new StringContent("""{"clusterName":"cli4","addonName":"coredns","issues":[{"code":"InsufficientNumberOfReplicas","message":"m"}]}""",
            System.Text.Encoding.UTF8, "application/json");
        Assert.Equal("DEGRADED", (string?)JsonNode.Parse(await (await http.PutAsync("_sim/addons/health", degrade)).Content.ReadAsStringAsync())!["status"]);

        var waited = await cli.RunAsync("eks", "wait", "addon-active", "--cluster-name", "cli4", "--addon-name", "coredns");
        Assert.NotEqual(0, waited.ExitCode);
        Assert.Contains("terminal failure state", waited.Stderr, StringComparison.Ordinal);
    }
}

public sealed class EksAddonPodIdentityCliTests
{
    [ToolFact("aws")]
    public async Task Addon_owned_associations_are_listed_with_their_owner_and_go_with_the_addon_unless_preserved()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "cli5", RoleArn = roles.RoleArns[0] }] });
        var cli = new AwsCli(sim);
        var role = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "ebs-csi", "--assume-role-policy-document", PodIdentityTests.PodsTrust)).Json["Role"]!["Arn"]!;
        string[] create = ["eks", "create-addon", "--cluster-name", "cli5", "--addon-name", "aws-ebs-csi-driver",
            "--pod-identity-associations", $"serviceAccount=ebs-csi-controller-sa,roleArn={role}"];
        string[] list = ["eks", "list-pod-identity-associations", "--cluster-name", "cli5"];
        string[] delete = ["eks", "delete-addon", "--cluster-name", "cli5", "--addon-name", "aws-ebs-csi-driver"];
        string[] deleted = ["eks", "wait", "addon-deleted", "--cluster-name", "cli5", "--addon-name", "aws-ebs-csi-driver"];

        var missing = await cli.FailsWithAsync("InvalidParameterException", [.. create[..^1], "serviceAccount=ebs-csi-controller-sa,roleArn=arn:aws:iam::123456789012:role/missing"]);
        Assert.Contains("Role provided in the request does not exist", missing.Stderr, StringComparison.Ordinal);

        var addon = (await cli.OkAsync(create)).Json["addon"]!;
        var summary = Assert.Single((await cli.OkAsync(list)).Json["associations"]!.AsArray())!;
        Assert.Equal(((string?)addon["addonArn"], (string?)addon["podIdentityAssociations"]![0], "kube-system", "ebs-csi-controller-sa"),
            ((string?)summary["ownerArn"], (string?)summary["associationArn"], (string?)summary["namespace"], (string?)summary["serviceAccount"]));
        var described = (await cli.OkAsync("eks", "describe-pod-identity-association", "--cluster-name", "cli5", "--association-id", (string)summary["associationId"]!)).Json["association"]!;
        Assert.Equal(((string?)addon["addonArn"], role), ((string?)described["ownerArn"], (string?)described["roleArn"]));

        await cli.OkAsync("eks", "wait", "addon-active", "--cluster-name", "cli5", "--addon-name", "aws-ebs-csi-driver");
        await cli.OkAsync(delete);
        await cli.OkAsync(deleted);
        Assert.Empty((await cli.OkAsync(list)).Json["associations"]!.AsArray());

        // --preserve: the add-on goes, its association stays, still naming the add-on as its owner.
        var second = (await cli.OkAsync(create)).Json["addon"]!;
        await cli.OkAsync("eks", "wait", "addon-active", "--cluster-name", "cli5", "--addon-name", "aws-ebs-csi-driver");
        await cli.OkAsync([.. delete, "--preserve"]);
        await cli.OkAsync(deleted);
        var kept = Assert.Single((await cli.OkAsync(list)).Json["associations"]!.AsArray())!;
        Assert.Equal((string?)second["addonArn"], (string?)kept["ownerArn"]);
    }
}

public sealed class EksAddonCatalogueCliTests
{
    [ToolFact("aws")]
    public async Task Describe_addon_versions_and_configuration_through_the_cli()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);

        var kubeProxy = (await cli.OkAsync("eks", "describe-addon-versions", "--kubernetes-version", "1.34", "--addon-name", "kube-proxy")).Json["addons"]!.AsArray();
        var versions = Assert.Single(kubeProxy)!["addonVersions"]!.AsArray();
        Assert.Equal(["v1.34.8-eksbuild.3", "v1.34.8-eksbuild.2", "v1.34.7-eksbuild.5"], versions.Select(v => (string)v!["addonVersion"]!));
        Assert.All(versions, v => Assert.Equal("1.34", (string?)Assert.Single(v!["compatibilities"]!.AsArray())!["clusterVersion"]));
        Assert.Equal([false, true, false], versions.Select(v => v!["compatibilities"]![0]!["defaultVersion"]!.GetValue<bool>()));

        // The CLI pages DescribeAddonVersions itself; all five add-ons come back with --page-size 2.
        var all = (await cli.OkAsync("eks", "describe-addon-versions", "--page-size", "2")).Json["addons"]!.AsArray();
        Assert.Equal(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"], all.Select(a => (string)a!["addonName"]!));
        var storage = (await cli.OkAsync("eks", "describe-addon-versions", "--types", "storage", "security")).Json["addons"]!.AsArray();
        Assert.Equal(["aws-ebs-csi-driver", "eks-pod-identity-agent"], storage.Select(a => (string)a!["addonName"]!));
        Assert.Equal("[]", (await cli.OkAsync("eks", "describe-addon-versions", "--addon-name", "kubecost_kubecost")).Json["addons"]!.ToJsonString());

        var configuration = (await cli.OkAsync("eks", "describe-addon-configuration", "--addon-name", "aws-ebs-csi-driver", "--addon-version", "v1.52.1-eksbuild.1")).Json;
        var schema = JsonNode.Parse((string)configuration["configurationSchema"]!)!;
        Assert.Equal("http://json-schema.org/draft-06/schema#", (string?)schema["$schema"]);
        Assert.Equal("#/definitions/AwsEbsCsiDriver", (string?)schema["$ref"]);
        var identity = Assert.Single(configuration["podIdentityConfiguration"]!.AsArray())!;
        Assert.Equal("ebs-csi-controller-sa", (string?)identity["serviceAccount"]);
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", (string?)identity["recommendedManagedPolicies"]![0]);
    }
}
