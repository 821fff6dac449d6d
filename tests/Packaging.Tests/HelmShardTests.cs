using System.Text.Json.Nodes;

namespace EksOperator.Packaging.Tests;

/// <summary>The chart's <c>shards</c>: one Deployment (and PodDisruptionBudget) per shard, each with its own pods and Lease.</summary>
public sealed class HelmShardTests
{
    private const string ShardLabel = "eks.operator.dev/shard";

    private static JsonObject Container(JsonObject deployment) =>
        (JsonObject)Assert.Single(deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!;

    private static string? Env(JsonObject deployment, string name) =>
        Container(deployment)["env"]!.AsArray().Select(e => e!.AsObject()).FirstOrDefault(e => (string?)e["name"] == name)?["value"]?.GetValue<string>();

    private static JsonObject MatchLabels(JsonObject deployment) => deployment["spec"]!["selector"]!["matchLabels"]!.AsObject();

    [ToolFact("helm")]
    public async Task Without_shards_one_Deployment_serves_the_default_shard()
    {
        var m = await Helm.TemplateAsync();
        var deployment = m.Deployment;
        Assert.Null(Env(deployment, "Operator__Shard"));
        Assert.False(MatchLabels(deployment).ContainsKey(ShardLabel));
        Assert.Null(m.Single("PodDisruptionBudget")["spec"]!["selector"]!["matchExpressions"]);
    }

    [ToolFact("helm")]
    public async Task Each_shard_gets_a_Deployment_with_its_own_pods_and_the_default_shard_stays()
    {
        var m = await Helm.TemplateAsync("shards={a,b}");
        var deployments = m.OfKind("Deployment").ToDictionary(d => (string)d["metadata"]!["name"]!, StringComparer.Ordinal);
        Assert.Equal(["eks-operator", "eks-operator-a", "eks-operator-b"], deployments.Keys.Order(StringComparer.Ordinal));

        var byDefault = deployments["eks-operator"];
        Assert.Null(Env(byDefault, "Operator__Shard"));
        Assert.False(MatchLabels(byDefault).ContainsKey(ShardLabel));
        foreach (var shard in new[] { "a", "b" })
        {
            var deployment = deployments[$"eks-operator-{shard}"];
            Assert.Equal(shard, Env(deployment, "Operator__Shard"));
            Assert.Equal(shard, (string?)MatchLabels(deployment)[ShardLabel]);
            Assert.Equal(shard, (string?)deployment["spec"]!["template"]!["metadata"]!["labels"]![ShardLabel]);
            Assert.Equal(2L, (long)deployment["spec"]!["replicas"]!);
            // The same Lease base name: the operator appends the shard (eks-operator-leader-a).
            Assert.Equal("eks-operator-leader", Env(deployment, "Runtime__LeaderElection__LeaseName"));
            Assert.Equal(shard, (string?)deployment["spec"]!["template"]!["spec"]!["affinity"]!["podAntiAffinity"]!
                ["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["podAffinityTerm"]!["labelSelector"]!["matchLabels"]![ShardLabel]);
        }

        // Each PodDisruptionBudget covers one shard's pods; the default shard's excludes the labelled ones.
        var budgets = m.OfKind("PodDisruptionBudget").ToDictionary(d => (string)d["metadata"]!["name"]!, StringComparer.Ordinal);
        Assert.Equal(deployments.Keys.Order(StringComparer.Ordinal), budgets.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a", (string?)budgets["eks-operator-a"]["spec"]!["selector"]!["matchLabels"]![ShardLabel]);
        var excluded = Assert.Single(budgets["eks-operator"]["spec"]!["selector"]!["matchExpressions"]!.AsArray())!;
        Assert.Equal(ShardLabel, (string?)excluded["key"]);
        Assert.Equal("DoesNotExist", (string?)excluded["operator"]);

        // One ServiceAccount, RBAC and metrics Service for all shards (the Role grants get on every Lease).
        Assert.Single(m.OfKind("ServiceAccount"));
        Assert.Single(m.OfKind("Service"));
        Assert.Contains("get", m.Single("Role")["rules"]![0]!["verbs"]!.AsArray().Select(v => (string)v!));
    }

    [ToolFact("helm")]
    public async Task The_default_shard_Deployment_can_be_left_out()
    {
        var m = await Helm.TemplateAsync("shards={a}", "defaultShard=false");
        Assert.Equal("eks-operator-a", (string?)m.Deployment["metadata"]!["name"]);
    }

    [ToolFact("helm")]
    public async Task Shards_need_leader_election_and_label_value_names_other_than_default()
    {
        var withoutElection = await Helm.RunAsync(Helm.TemplateArguments("shards={a}", "leaderElection.enabled=false", "replicaCount=1"));
        Assert.NotEqual(0, withoutElection.ExitCode);
        Assert.Contains("leaderElection.enabled must be true with shards", withoutElection.Stderr, StringComparison.Ordinal);
        foreach (var invalid in new[] { "shards={default}", "shards={-a}", "shards={a/b}" })
        {
            Assert.NotEqual(0, (await Helm.RunAsync(Helm.TemplateArguments(invalid))).ExitCode);
        }
    }
}
