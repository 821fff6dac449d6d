using System.Diagnostics;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Integration.Tests;

/// <summary>
/// Bad input at scale, through kubectl as a user types it: every manifest is refused at admission naming the field,
/// or ends Stalled with a message naming what to change; AWS sees no mutating call for any of them.
/// </summary>
public sealed class BadInputTests
{
    private const string Subnets = """["subnet-0a000000000000011","subnet-0a000000000000012"]""";

    // (what, kind, spec as JSON, text the refusal must contain)
    public static readonly (string What, string Kind, string Spec, string Field)[] Refused =
    [
        ("no vpc", "EksCluster", """{"version":"1.33"}""", "spec.vpc"),
        ("version as number", "EksCluster", $$$"""{"version":1.33,"vpc":{"subnetIds":{{{Subnets}}}}}""", "spec.version"),
        ("version 2.0", "EksCluster", $$$"""{"version":"2.0","vpc":{"subnetIds":{{{Subnets}}}}}""", "spec.version"),
        ("name with a dot", "EksCluster", $$$"""{"name":"my.cluster","vpc":{"subnetIds":{{{Subnets}}}}}""", "spec.name"),
        ("name 101 long", "EksCluster", $$$"""{"name":"{{{new string('a', 101)}}}","vpc":{"subnetIds":{{{Subnets}}}}}""", "spec.name"),
        ("both subnet forms", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}},"subnetSelector":{"tags":{"a":"b"} } } }""", "spec.vpc"),
        ("no subnets", "EksCluster", """{"vpc":{"endpointPublicAccess":true}}""", "spec.vpc"),
        ("one subnet", "EksCluster", """{"vpc":{"subnetIds":["subnet-0a000000000000011"]}}""", "spec.vpc.subnetIds"),
        ("bad subnet id", "EksCluster", """{"vpc":{"subnetIds":["subnet-1","subnet-2"]}}""", "spec.vpc.subnetIds"),
        ("duplicate subnets", "EksCluster", """{"vpc":{"subnetIds":["subnet-0a000000000000011","subnet-0a000000000000011"]}}""", "spec.vpc.subnetIds"),
        ("empty selector", "EksCluster", """{"vpc":{"subnetSelector":{"tags":{}}}}""", "spec.vpc.subnetSelector.tags"),
        ("five security groups", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}},"securityGroupIds":["sg-00000001","sg-00000002","sg-00000003","sg-00000004","sg-00000005"]}}""", "spec.vpc.securityGroupIds"),
        ("cidr without mask", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}},"publicAccessCidrs":["10.0.0.0"]}}""", "spec.vpc.publicAccessCidrs"),
        ("endpoint flag as string", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}},"endpointPublicAccess":"yes"}}""", "spec.vpc.endpointPublicAccess"),
        ("unknown log type", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"logging":["kubelet"]}""", "spec.logging"),
        ("ip family ipv5", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"kubernetesNetwork":{"ipFamily":"ipv5"}}""", "spec.kubernetesNetwork.ipFamily"),
        ("kms arn malformed", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"encryption":{"kmsKeyArn":"my-key"}}""", "spec.encryption.kmsKeyArn"),
        ("role arn malformed", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"roleArn":"eks-role"}""", "spec.roleArn"),
        ("auth mode unknown", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"access":{"authenticationMode":"IAM"}}""", "spec.access.authenticationMode"),
        ("support type unknown", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"upgradePolicy":{"supportType":"FOREVER"}}""", "spec.upgradePolicy.supportType"),
        ("kubeconfig mode unknown", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"kubeconfig":{"mode":"Password"}}""", "spec.kubeconfig.mode"),
        ("reserved tag", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"tags":{"eks.operator.dev/owner-uid":"x"}}""", "spec.tags"),
        ("aws tag", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"tags":{"aws:createdBy":"x"}}""", "spec.tags"),
        ("deletion policy Orphan", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"deletionPolicy":"Orphan"}""", "spec.deletionPolicy"),
        ("unknown field", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"nodeCount":3}""", "spec.nodeCount"),
        ("no cluster ref", "ManagedNodeGroup", """{"scaling":{"minSize":1,"maxSize":2}}""", "spec.clusterRef"),
        ("no scaling", "ManagedNodeGroup", """{"clusterRef":{"name":"c"}}""", "spec.scaling"),
        ("min above max", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":3,"maxSize":2}}""", "spec.scaling"),
        ("desired above max", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2,"desiredSize":5}}""", "spec.scaling"),
        ("max zero", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":0,"maxSize":0}}""", "spec.scaling.maxSize"),
        ("scaling as strings", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":"1","maxSize":"2"}}""", "spec.scaling"),
        ("both update configs", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2},"updateConfig":{"maxUnavailable":1,"maxUnavailablePercentage":10}}""", "spec.updateConfig"),
        ("taint in kubernetes spelling", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2},"taints":[{"key":"k","effect":"NoSchedule"}]}""", "spec.taints"),
        ("capacity RESERVED", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2},"capacityType":"RESERVED"}""", "spec.capacityType"),
        ("disk with launch template", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2},"diskSize":50,"launchTemplate":{"name":"web"}}""", "spec"),
        ("launch template id and name", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2},"launchTemplate":{"id":"lt-0123456789abcdef0","name":"web"}}""", "spec.launchTemplate"),
        ("no selectors", "FargateProfile", """{"clusterRef":{"name":"c"},"subnetIds":["subnet-0a000000000000011"],"selectors":[]}""", "spec.selectors"),
        ("six selectors", "FargateProfile", """{"clusterRef":{"name":"c"},"subnetIds":["subnet-0a000000000000011"],"selectors":[{"namespace":"a"},{"namespace":"b"},{"namespace":"c"},{"namespace":"d"},{"namespace":"e"},{"namespace":"f"}]}""", "spec.selectors"),
        ("six labels", "FargateProfile", """{"clusterRef":{"name":"c"},"subnetIds":["subnet-0a000000000000011"],"selectors":[{"namespace":"a","labels":{"a":"1","b":"1","c":"1","d":"1","e":"1","f":"1"}}]}""", "spec.selectors[0].labels"),
        ("selector without namespace", "FargateProfile", """{"clusterRef":{"name":"c"},"subnetIds":["subnet-0a000000000000011"],"selectors":[{"labels":{"a":"1"}}]}""", "spec.selectors[0].namespace"),
        ("no subnets", "FargateProfile", """{"clusterRef":{"name":"c"},"selectors":[{"namespace":"a"}]}""", "spec.subnetIds"),
    ];

    // (what, kind, the valid spec first applied, the changed spec, text the refusal must contain)
    public static readonly (string What, string Kind, string Before, string After, string Field)[] RefusedChanges =
    [
        ("version removed", "EksCluster", $$$"""{"version":"1.33","vpc":{"subnetIds":{{{Subnets}}}}}""", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}}}""", "spec.version"),
        ("subnets changed", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}}}""", """{"vpc":{"subnetIds":["subnet-0a000000000000011","subnet-0a000000000000013"]}}""", "spec.vpc.subnetIds"),
        ("auth mode backwards", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"access":{"authenticationMode":"API"}}""", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"access":{"authenticationMode":"CONFIG_MAP"}}""", "spec.access.authenticationMode"),
        ("encryption removed", "EksCluster", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}},"encryption":{"kmsKeyArn":"arn:aws:kms:us-west-2:123456789012:key/a"}}""", $$$"""{"vpc":{"subnetIds":{{{Subnets}}}}}""", "spec.encryption"),
        ("instance types changed", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2},"instanceTypes":["t3.large"]}""", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2},"instanceTypes":["m5.large"]}""", "spec.instanceTypes"),
        ("cluster ref changed", "ManagedNodeGroup", """{"clusterRef":{"name":"c"},"scaling":{"minSize":1,"maxSize":2}}""", """{"clusterRef":{"name":"d"},"scaling":{"minSize":1,"maxSize":2}}""", "spec.clusterRef"),
        ("fargate selectors changed", "FargateProfile", """{"clusterRef":{"name":"c"},"subnetIds":["subnet-0a000000000000011"],"selectors":[{"namespace":"a"}]}""", """{"clusterRef":{"name":"c"},"subnetIds":["subnet-0a000000000000011"],"selectors":[{"namespace":"b"}]}""", "spec"),
    ];

    [ToolFact("kubectl")]
    public async Task Forty_and_more_invalid_manifests_are_refused_naming_the_field_or_stall_with_no_aws_mutation()
    {
        // The paused annotation keeps the operator away from the valid "before" objects, so AWS sees nothing at all.
        await using var env = await OperatorEnvironment.StartAsync();
        var dir = Directory.CreateTempSubdirectory("eksop-bad-").FullName;
        var kubeconfig = env.Kube.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
        var count = 0;
        foreach (var (what, kind, spec, field) in Refused)
        {
            var (code, stderr) = await ApplyAsync(kubeconfig, dir, Manifest(kind, $"bad-{count++}", spec, paused: false));
            Assert.True(code != 0, $"{what}: accepted");
            Assert.True(stderr.Contains(field, StringComparison.Ordinal), $"{what}: refusal does not name {field}: {stderr}");
        }

        foreach (var (what, kind, before, after, field) in RefusedChanges)
        {
            var name = $"change-{count++}";
            var (created, createErr) = await ApplyAsync(kubeconfig, dir, Manifest(kind, name, before, paused: true));
            Assert.True(created == 0, $"{what}: the valid object was refused: {createErr}");
            var (code, stderr) = await ApplyAsync(kubeconfig, dir, Manifest(kind, name, after, paused: true));
            Assert.True(code != 0, $"{what}: change accepted");
            Assert.True(stderr.Contains(field, StringComparison.Ordinal), $"{what}: refusal does not name {field}: {stderr}");
        }

        // Valid to admission, invalid to the operator: Stalled, with the field in the message.
        var stalled = new (string Name, EksCluster Cluster, string Field)[]
        {
            ("one-zone", Manifests.Cluster("one-zone", ["subnet-0a000000000000011", "subnet-0a000000000000021"]), "spec.vpc.subnetIds"),
            ("no-match", WithSelector(Manifests.Cluster("no-match", []), "team", "nobody"), "spec.vpc.subnetSelector"),
            ("elsewhere", WithRegion(Manifests.Cluster("elsewhere", env.Aws.DefaultNetwork.PrivateSubnetIds), "eu-nowhere-1"), "spec.region"),
            ("missing", Manifests.Cluster("missing", ["subnet-0a0000000000000ff", "subnet-0a0000000000000fe"]), "spec.vpc.subnetIds"),
            ("typo", Manifests.Cluster("typo", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.99"), "spec.version"),
        };
        foreach (var (name, cluster, _) in stalled) await env.CreateAsync(cluster);
        foreach (var (name, _, field) in stalled)
        {
            var c = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>(name),
                o => OperatorEnvironment.HasCondition(o, ConditionTypes.Stalled, "True"), $"{name} Stalled");
            var message = c!.Status!.Conditions!.Single(x => x.Type == ConditionTypes.Stalled).Message;
            Assert.True(message.Contains(field, StringComparison.Ordinal), $"{name}: '{message}' does not name {field}");
        }

        Assert.True(count + stalled.Length >= 40, $"{count + stalled.Length} cases");
        Assert.Empty(env.Mutations());
    }

    private static EksCluster WithSelector(EksCluster c, string key, string value)
    {
        c.Spec.Vpc = new ClusterVpc { SubnetSelector = new SubnetSelector { Tags = new Dictionary<string, string> { [key] = value } } };
        return c;
    }

    private static EksCluster WithRegion(EksCluster c, string region)
    {
        c.Spec.Region = region;
        return c;
    }

    private static string Manifest(string kind, string name, string spec, bool paused) => new JsonObject
    {
        ["apiVersion"] = OperatorApi.ApiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = "default",
            ["annotations"] = paused ? new JsonObject { [Annotations.Paused] = "true" } : null,
        },
        ["spec"] = JsonNode.Parse(spec),
    }.ToJsonString();

    private static async Task<(int ExitCode, string Stderr)> ApplyAsync(string kubeconfig, string dir, string manifest)
    {
        var file = Path.Combine(dir, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, manifest);
        var start = new ProcessStartInfo(Tools.Require("kubectl"), ["--kubeconfig", kubeconfig, "apply", "-f", file]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["KUBECACHEDIR"] = Path.Combine(dir, "cache");
        using var run = Process.Start(start)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        _ = await stdout;
        return (run.ExitCode, await stderr);
    }
}
