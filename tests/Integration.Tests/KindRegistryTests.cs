using System.Text.Json.Nodes;
using EksOperator.Controllers.Kinds;
using EksOperator.Simulators.Kubernetes.Admission;

namespace EksOperator.Integration.Tests;

/// <summary>
/// The registry of kinds is the one list: the CRDs, config/rbac, Argo CD's health entries and the IAM policy that we
/// ship must follow it, so that adding a kind (docs/architecture.md, "Adding a kind") cannot forget one of them.
/// </summary>
public sealed class KindRegistryTests
{
    [Fact]
    public void Every_registered_kind_has_one_generated_crd_and_no_crd_lacks_a_kind()
    {
        var crds = Directory.GetFiles(Path.Combine(LeastPrivilegeTests.Root(), "config/crd"), "*.yaml")
            .Select(f => YamlJson.ParseObject(File.ReadAllText(f))["spec"]!)
            .Select(spec => $"{(string?)spec["names"]!["kind"]}/{(string?)spec["names"]!["plural"]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(KindRegistry.All.Select(k => $"{k.Kind}/{k.Plural}").Concat(KindRegistry.Supporting.Select(k => $"{k.Kind}/{k.Plural}")).Order(StringComparer.Ordinal), crds);
        Assert.All(KindRegistry.All, k => Assert.Equal(k.Kind, k.Entity.Name));
    }

    [Fact]
    public void Config_rbac_grants_each_kind_its_registered_verbs_status_and_finalizers_and_nothing_else_of_the_group()
    {
        var granted = LeastPrivilegeTests.Granted("config/rbac/role.yaml")
            .Select(g => g.Split(' ', 2))
            .Where(g => g[1].StartsWith(Entities.OperatorApi.Group + "/", StringComparison.Ordinal))
            .GroupBy(g => g[1][(Entities.OperatorApi.Group.Length + 1)..], g => g[0])
            .ToDictionary(g => g.Key, g => g.Order(StringComparer.Ordinal).ToList());
        var expected = KindRegistry.All.SelectMany(k => new[]
        {
            (Resource: k.Plural, Verbs: k.KubernetesVerbs.Order(StringComparer.Ordinal).ToList()),
            (Resource: k.Plural + "/status", Verbs: ["patch"]),
            (Resource: k.Plural + "/finalizers", Verbs: ["update"]),
        }).ToDictionary(e => e.Resource, e => e.Verbs);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), granted.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, e => Assert.Equal(e.Value, granted[e.Key]));
    }

    [Fact]
    public void Argo_cd_has_one_health_entry_per_kind_with_the_shared_script()
    {
        var data = YamlJson.ParseObject(File.ReadAllText(Path.Combine(LeastPrivilegeTests.Root(), "config/argocd/argocd-cm.yaml")))["data"]!.AsObject();
        var keys = data.Select(e => e.Key).Where(k => k.StartsWith("resource.customizations.health.", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(KindRegistry.All.Select(k => k.ArgoCdHealthKey)
            .Concat(KindRegistry.Supporting.Select(k => $"resource.customizations.health.{Entities.OperatorApi.Group}_{k.Kind}")).Order(StringComparer.Ordinal), keys);
        var script = File.ReadAllText(Path.Combine(LeastPrivilegeTests.Root(), "config/argocd/health.lua")).TrimEnd();
        Assert.All(KindRegistry.All, k => Assert.Equal(script, ((string?)data[k.ArgoCdHealthKey])?.TrimEnd()));
    }

    [Fact]
    public void The_iam_policy_allows_every_action_a_kind_registers()
    {
        var allowed = LeastPrivilegeTests.PolicyActions();
        var missing = KindRegistry.All.SelectMany(k => k.AwsActions.Select(a => $"{k.Kind}: {a}")).Where(a => !allowed.Contains(a.Split(": ")[1])).ToList();
        Assert.True(missing.Count == 0, "registered but not in config/iam/operator-policy.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void Expected_durations_are_known_for_the_phases_a_kind_waits_in()
    {
        var defaults = new Hosting.ExpectedDurations();
        Assert.All(KindRegistry.All, k =>
        {
            var durations = k.ExpectedDurations(defaults);
            Assert.True(durations.ContainsKey(Entities.ConditionReasons.Creating), $"{k.Kind}: no Creating duration");
            Assert.True(durations.ContainsKey(Entities.ConditionReasons.Deleting), $"{k.Kind}: no Deleting duration");
            Assert.All(durations.Values, d => Assert.True(d > TimeSpan.Zero, $"{k.Kind}: a zero default duration"));
        });
    }
}
