using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

// EKS Auto Mode and the newer cluster and node-group settings, judged by the real AWS CLI: the "all three together"
// rule and the exact errors EKS gives for partial or no-op Auto Mode bodies (what ACK and terraform-aws-eks tripped
// on), so that a client's diff logic can be tested against them.

public sealed class EksAutoModeCliTests
{
    private const string AllOrNothing =
        "For EKS Auto Mode, please ensure that all required configs, including computeConfig, kubernetesNetworkConfig, and blockStorage are all either fully enabled or fully disabled.";

    private const string Off = """{"elasticLoadBalancing":{"enabled":false}}""";
    private const string On = """{"elasticLoadBalancing":{"enabled":true}}""";

    [ToolFact("aws")]
    public async Task Auto_mode_is_enabled_and_disabled_only_as_a_whole_trio_and_no_op_or_partial_bodies_are_refused()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        var cli = new AwsCli(sim);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "auto", RoleArn = roles.RoleArns[0], AuthenticationMode = "API" }, new AwsSeedCluster { Name = "legacy", RoleArn = roles.RoleArns[0] }] });
        var nodeRole = roles.RoleArns[1];

        // A cluster that never had Auto Mode: no computeConfig, load balancing reported off.
        var plain = (await cli.OkAsync("eks", "describe-cluster", "--name", "auto")).Json["cluster"]!;
        Assert.Null(plain["computeConfig"]);
        Assert.Null(plain["storageConfig"]);
        Assert.False((bool)plain["kubernetesNetworkConfig"]!["elasticLoadBalancing"]!["enabled"]!);

        // The trio all false on such a cluster: an InvalidRequestException, not a no-op (terraform-aws-eks#3516).
        var noop = await cli.FailsWithAsync("InvalidRequestException", "eks", "update-cluster-config", "--name", "auto",
            "--compute-config", "enabled=false", "--kubernetes-network-config", Off, "--storage-config", """{"blockStorage":{"enabled":false}}""");
        Assert.Contains("No changes needed for EKS Auto Mode configuration provided", noop.Stderr, StringComparison.Ordinal);

        // Storage and load balancing without computeConfig (terraform-aws-eks#3362, #3457), and nodePools alone.
        var partial = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto",
            "--kubernetes-network-config", Off, "--storage-config", """{"blockStorage":{"enabled":false}}""");
        Assert.Contains("The type for cluster update was not provided.", partial.Stderr, StringComparison.Ordinal);
        var poolsOnly = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto", "--compute-config", """{"nodePools":[]}""");
        Assert.Contains("The type for cluster update was not provided.", poolsOnly.Stderr, StringComparison.Ordinal);

        // Mixed or missing members of the trio.
        var mixed = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto",
            "--compute-config", $"enabled=true,nodePools=general-purpose,nodeRoleArn={nodeRole}", "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":false}}""");
        Assert.Contains(AllOrNothing, mixed.Stderr, StringComparison.Ordinal);
        var missing = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto",
            "--compute-config", $"enabled=true,nodePools=general-purpose,nodeRoleArn={nodeRole}", "--kubernetes-network-config", On);
        Assert.Contains(AllOrNothing, missing.Stderr, StringComparison.Ordinal);

        // Node pools and the node role go together.
        var noRole = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto",
            "--compute-config", "enabled=true,nodePools=general-purpose", "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":true}}""");
        Assert.Contains("When Compute Config nodeRoleArn is null or empty, nodePool list cannot be populated.", noRole.Stderr, StringComparison.Ordinal);
        var noPools = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto",
            "--compute-config", $"{{\"enabled\":true,\"nodePools\":[],\"nodeRoleArn\":\"{nodeRole}\"}}", "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":true}}""");
        Assert.Contains("When Compute Config nodeRoleArn is not null or empty, nodePool value(s) must be provided.", noPools.Stderr, StringComparison.Ordinal);

        // Access entries are required: a CONFIG_MAP cluster cannot have Auto Mode.
        var legacy = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "legacy",
            "--compute-config", $"enabled=true,nodePools=general-purpose,system,nodeRoleArn={nodeRole}", "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":true}}""");
        Assert.Contains("authentication mode API or API_AND_CONFIG_MAP", legacy.Stderr, StringComparison.Ordinal);

        // The whole trio: one AutoModeUpdate.
        var enable = (await cli.OkAsync("eks", "update-cluster-config", "--name", "auto",
            "--compute-config", $"{{\"enabled\":true,\"nodePools\":[\"general-purpose\",\"system\"],\"nodeRoleArn\":\"{nodeRole}\"}}",
            "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":true}}""")).Json["update"]!;
        Assert.Equal("AutoModeUpdate", (string?)enable["type"]);
        Assert.Equal(["ComputeConfig", "StorageConfig", "KubernetesNetworkConfig"], enable["params"]!.AsArray().Select(p => (string)p!["type"]!));
        Assert.Equal("Successful", await DoneAsync(cli, "auto", (string)enable["id"]!));
        var on = (await cli.OkAsync("eks", "describe-cluster", "--name", "auto")).Json["cluster"]!;
        Assert.True((bool)on["computeConfig"]!["enabled"]!);
        Assert.Equal(["general-purpose", "system"], on["computeConfig"]!["nodePools"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(nodeRole, (string?)on["computeConfig"]!["nodeRoleArn"]);
        Assert.True((bool)on["storageConfig"]!["blockStorage"]!["enabled"]!);
        Assert.True((bool)on["kubernetesNetworkConfig"]!["elasticLoadBalancing"]!["enabled"]!);

        // The same again changes nothing; a different node role is refused once compute is on.
        var again = await cli.FailsWithAsync("InvalidRequestException", "eks", "update-cluster-config", "--name", "auto",
            "--compute-config", $"enabled=true,nodePools=general-purpose,system,nodeRoleArn={nodeRole}", "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":true}}""");
        Assert.Contains("No changes needed for EKS Auto Mode configuration provided", again.Stderr, StringComparison.Ordinal);
        var otherRole = (string)(await cli.OkAsync("iam", "create-role", "--role-name", "other-node", "--assume-role-policy-document", TestSim.NodeTrust)).Json["Role"]!["Arn"]!;
        var fixedRole = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto",
            "--compute-config", $"enabled=true,nodePools=general-purpose,nodeRoleArn={otherRole}", "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":true}}""");
        Assert.Contains("nodeRoleArn cannot be changed after the compute capability of EKS Auto Mode is enabled", fixedRole.Stderr, StringComparison.Ordinal);

        // One update type per call: the trio with logging is two.
        var two = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "auto", "--logging", """{"clusterLogging":[{"types":["api"],"enabled":true}]}""",
            "--compute-config", "enabled=false", "--kubernetes-network-config", Off, "--storage-config", """{"blockStorage":{"enabled":false}}""");
        Assert.Contains("Only one type of update can be allowed.", two.Stderr, StringComparison.Ordinal);

        var disable = (await cli.OkAsync("eks", "update-cluster-config", "--name", "auto",
            "--compute-config", "enabled=false", "--kubernetes-network-config", Off, "--storage-config", """{"blockStorage":{"enabled":false}}""")).Json["update"]!;
        Assert.Equal("Successful", await DoneAsync(cli, "auto", (string)disable["id"]!));
        var off = (await cli.OkAsync("eks", "describe-cluster", "--name", "auto")).Json["cluster"]!;
        Assert.False((bool)off["computeConfig"]!["enabled"]!);
        Assert.False((bool)off["storageConfig"]!["blockStorage"]!["enabled"]!);
        Assert.False((bool)off["kubernetesNetworkConfig"]!["elasticLoadBalancing"]!["enabled"]!);
    }

    [ToolFact("aws")]
    public async Task Create_cluster_takes_auto_mode_only_as_the_whole_trio()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        var cli = new AwsCli(sim);
        var subnets = string.Join(',', sim.DefaultNetwork.PrivateSubnetIds);
        string[] Create(string name) => ["eks", "create-cluster", "--name", name, "--role-arn", roles.RoleArns[0], "--resources-vpc-config", $"subnetIds={subnets}",
            "--access-config", "authenticationMode=API"];

        var computeOnly = await cli.FailsWithAsync("InvalidParameterException", [.. Create("c1"), "--compute-config", $"enabled=true,nodePools=system,nodeRoleArn={roles.RoleArns[1]}"]);
        Assert.Contains(AllOrNothing, computeOnly.Stderr, StringComparison.Ordinal);
        var elbOnly = await cli.FailsWithAsync("InvalidParameterException", [.. Create("c1"), "--kubernetes-network-config", On]);
        Assert.Contains(AllOrNothing, elbOnly.Stderr, StringComparison.Ordinal);
        var created = (await cli.OkAsync([.. Create("c1"), "--compute-config", $"enabled=true,nodePools=system,nodeRoleArn={roles.RoleArns[1]}",
            "--kubernetes-network-config", On, "--storage-config", """{"blockStorage":{"enabled":true}}"""])).Json["cluster"]!;
        Assert.True((bool)created["computeConfig"]!["enabled"]!);
        Assert.Equal(["system"], created["computeConfig"]!["nodePools"]!.AsArray().Select(p => (string)p!));
        Assert.True((bool)created["storageConfig"]!["blockStorage"]!["enabled"]!);
    }

    internal static async Task<string?> DoneAsync(AwsCli cli, string cluster, string updateId, string? nodegroup = null) =>
        await CliScenario.PollAsync(async () => (string?)(await cli.OkAsync(nodegroup is null
            ? ["eks", "describe-update", "--name", cluster, "--update-id", updateId]
            : ["eks", "describe-update", "--name", cluster, "--update-id", updateId, "--nodegroup-name", nodegroup])).Json["update"]!["status"], "Successful");
}

public sealed class EksNewerSettingsCliTests
{
    [ToolFact("aws")]
    public async Task Zonal_shift_tier_and_remote_networks_are_created_and_updated_one_type_per_call()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        var cli = new AwsCli(sim);
        var subnets = string.Join(',', sim.DefaultNetwork.PrivateSubnetIds);
        const string Remote = """{"remoteNodeNetworks":[{"cidrs":["10.200.0.0/16"]}],"remotePodNetworks":[{"cidrs":["10.201.0.0/16"]}]}""";
        string[] create = ["eks", "create-cluster", "--name", "hy", "--role-arn", roles.RoleArns[0], "--resources-vpc-config", $"subnetIds={subnets}"];

        var publicCidr = await cli.FailsWithAsync("InvalidParameterException", [.. create, "--remote-network-config", """{"remoteNodeNetworks":[{"cidrs":["8.8.0.0/16"]}]}"""]);
        Assert.Contains("RFC 1918", publicCidr.Stderr, StringComparison.Ordinal);
        var overlap = await cli.FailsWithAsync("InvalidParameterException", [.. create, "--remote-network-config", """{"remoteNodeNetworks":[{"cidrs":["172.31.0.0/24"]}]}"""]);
        Assert.Contains("overlaps with 172.31.0.0/16", overlap.Stderr, StringComparison.Ordinal);
        var badTier = await cli.FailsWithAsync("InvalidParameterException", [.. create, "--control-plane-scaling-config", "tier=tier-3xl"]);
        Assert.Contains("controlPlaneScalingConfig.tier", badTier.Stderr, StringComparison.Ordinal);

        var created = (await cli.OkAsync([.. create, "--zonal-shift-config", "enabled=true", "--control-plane-scaling-config", "tier=tier-xl", "--remote-network-config", Remote])).Json["cluster"]!;
        Assert.True((bool)created["zonalShiftConfig"]!["enabled"]!);
        Assert.Equal("tier-xl", (string?)created["controlPlaneScalingConfig"]!["tier"]);
        Assert.Equal("10.201.0.0/16", (string?)created["remoteNetworkConfig"]!["remotePodNetworks"]![0]!["cidrs"]![0]);
        await cli.OkAsync("eks", "wait", "cluster-active", "--name", "hy");

        var two = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "hy", "--zonal-shift-config", "enabled=false", "--control-plane-scaling-config", "tier=tier-2xl");
        Assert.Contains("Only one type of update can be allowed.", two.Stderr, StringComparison.Ordinal);
        var sameShift = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-config", "--name", "hy", "--zonal-shift-config", "enabled=true");
        Assert.Contains("No changes needed for the zonal shift config provided", sameShift.Stderr, StringComparison.Ordinal);

        var shift = (await cli.OkAsync("eks", "update-cluster-config", "--name", "hy", "--zonal-shift-config", "enabled=false")).Json["update"]!;
        Assert.Equal("ZonalShiftConfigUpdate", (string?)shift["type"]);
        Assert.Equal("Successful", await EksAutoModeCliTests.DoneAsync(cli, "hy", (string)shift["id"]!));

        var tier = (await cli.OkAsync("eks", "update-cluster-config", "--name", "hy", "--control-plane-scaling-config", "tier=tier-2xl")).Json["update"]!;
        Assert.Equal("ControlPlaneScalingConfigUpdate", (string?)tier["type"]);
        Assert.Equal([("UpdatedTier", "tier-2xl"), ("PreviousTier", "tier-xl")], tier["params"]!.AsArray().Select(p => ((string)p!["type"]!, (string)p["value"]!)));
        Assert.Equal("Successful", await EksAutoModeCliTests.DoneAsync(cli, "hy", (string)tier["id"]!));

        var remote = (await cli.OkAsync("eks", "update-cluster-config", "--name", "hy", "--remote-network-config", """{"remoteNodeNetworks":[{"cidrs":["10.200.0.0/16","192.168.10.0/24"]}]}""")).Json["update"]!;
        Assert.Equal("RemoteNetworkConfigUpdate", (string?)remote["type"]);
        Assert.Equal("Successful", await EksAutoModeCliTests.DoneAsync(cli, "hy", (string)remote["id"]!));

        var after = (await cli.OkAsync("eks", "describe-cluster", "--name", "hy")).Json["cluster"]!;
        Assert.False((bool)after["zonalShiftConfig"]!["enabled"]!);
        Assert.Equal("tier-2xl", (string?)after["controlPlaneScalingConfig"]!["tier"]);
        Assert.Equal(["10.200.0.0/16", "192.168.10.0/24"], after["remoteNetworkConfig"]!["remoteNodeNetworks"]![0]!["cidrs"]!.AsArray().Select(c => (string)c!));
        Assert.Empty(after["remoteNetworkConfig"]!["remotePodNetworks"]!.AsArray());
    }

    [ToolFact("aws")]
    public async Task Node_repair_and_the_minimal_update_strategy_on_a_node_group()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        var cli = new AwsCli(sim);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "ngc", RoleArn = roles.RoleArns[0] }] });
        string[] create = ["eks", "create-nodegroup", "--cluster-name", "ngc", "--nodegroup-name", "gpu", "--node-role", roles.RoleArns[1],
            "--subnets", .. sim.DefaultNetwork.PrivateSubnetIds, "--scaling-config", "minSize=1,maxSize=2,desiredSize=1"];

        var badStrategy = await cli.FailsWithAsync("InvalidParameterException", [.. create, "--update-config", "maxUnavailable=1,updateStrategy=FAST"]);
        Assert.Contains("updateConfig.updateStrategy", badStrategy.Stderr, StringComparison.Ordinal);
        var both = await cli.FailsWithAsync("InvalidParameterException", [.. create, "--node-repair-config", "enabled=true,maxUnhealthyNodeThresholdCount=2,maxUnhealthyNodeThresholdPercentage=20"]);
        Assert.Contains("not both", both.Stderr, StringComparison.Ordinal);

        var ng = (await cli.OkAsync([.. create, "--update-config", "maxUnavailable=1,updateStrategy=MINIMAL", "--node-repair-config", "enabled=true"])).Json["nodegroup"]!;
        Assert.Equal("MINIMAL", (string?)ng["updateConfig"]!["updateStrategy"]);
        Assert.True((bool)ng["nodeRepairConfig"]!["enabled"]!);
        await cli.OkAsync("eks", "wait", "nodegroup-active", "--cluster-name", "ngc", "--nodegroup-name", "gpu");

        var update = (await cli.OkAsync("eks", "update-nodegroup-config", "--cluster-name", "ngc", "--nodegroup-name", "gpu",
            "--node-repair-config", "enabled=false", "--update-config", "maxUnavailable=1,updateStrategy=DEFAULT")).Json["update"]!;
        Assert.Equal("ConfigUpdate", (string?)update["type"]);
        var types = update["params"]!.AsArray().Select(p => (string)p!["type"]!).ToList();
        Assert.Contains("NodeRepairEnabled", types);
        Assert.Contains("UpdateStrategy", types);
        Assert.Equal("Successful", await EksAutoModeCliTests.DoneAsync(cli, "ngc", (string)update["id"]!, "gpu"));
        var after = (await cli.OkAsync("eks", "describe-nodegroup", "--cluster-name", "ngc", "--nodegroup-name", "gpu")).Json["nodegroup"]!;
        Assert.Equal("DEFAULT", (string?)after["updateConfig"]!["updateStrategy"]);
        Assert.False((bool)after["nodeRepairConfig"]!["enabled"]!);
    }
}
