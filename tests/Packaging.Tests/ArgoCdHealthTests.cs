using System.Text.Json.Nodes;

namespace EksOperator.Packaging.Tests;

/// <summary>The Argo CD Lua health check and the kstatus rules, run over the same status fixtures.</summary>
public sealed class ArgoCdHealthTests
{
    /// <summary>fixture, Argo CD health, kstatus result, a fragment the Argo CD message must contain.</summary>
    public static TheoryData<string, string, KStatusResult, string> Cases => new()
    {
        { "ready", "Healthy", KStatusResult.Current, "matches the spec" },
        { "creating", "Progressing", KStatusResult.InProgress, "EKS is creating the cluster" },
        { "upgrading", "Progressing", KStatusResult.InProgress, "1.32 -> 1.33 (target 1.34)" },
        { "stalled", "Degraded", KStatusResult.Failed, "not authorized to perform: eks:CreateCluster" },
        { "no-status", "Progressing", KStatusResult.Current, "observe" },
        { "old-generation", "Progressing", KStatusResult.InProgress, "generation 5" },
        { "deleting", "Progressing", KStatusResult.Terminating, "Deleting" },
        { "paused", "Suspended", KStatusResult.InProgress, "eks.operator.dev/paused" },
        { "paused-while-ready", "Suspended", KStatusResult.InProgress, "eks.operator.dev/paused" },
        { "ready-false-drifted", "Progressing", KStatusResult.InProgress, "spec.logging" },
        { "nodegroup-waiting-for-cluster", "Progressing", KStatusResult.InProgress, "not ACTIVE yet" },
        { "fargate-ready", "Healthy", KStatusResult.Current, "Active" },
    };

    /// <summary>Where the Argo CD check deliberately says more than kstatus can, and why.</summary>
    private static readonly Dictionary<string, string> KnownDivergences = new(StringComparer.Ordinal)
    {
        // kstatus counts an object without status as Current (cli-utils #632); Argo CD must not call it Healthy.
        ["no-status"] = "kstatus treats a missing status as Current",
        // kstatus has no notion of suspension; Argo CD has the Suspended state for exactly this.
        ["paused"] = "kstatus has no Suspended result",
        ["paused-while-ready"] = "kstatus has no Suspended result",
    };

    [ToolTheory("lua5.4")]
    [MemberData(nameof(Cases))]
    public async Task Lua_health_check_reports(string fixture, string health, KStatusResult kstatus, string message)
    {
        _ = kstatus;
        var (status, text) = await ArgoCdHealth.EvaluateAsync(Load(fixture));
        Assert.Equal(health, status);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Kstatus_rules_report(string fixture, string health, KStatusResult kstatus, string message)
    {
        _ = (health, message);
        Assert.Equal(kstatus, KStatus.Compute(Load(fixture)).Status);
    }

    [ToolFact("lua5.4")]
    public async Task Lua_check_agrees_with_kstatus_on_every_fixture_except_the_documented_cases()
    {
        var fixtures = Directory.GetFiles(FixturesDir, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Cases.Count(), fixtures.Count); // every fixture has an expectation above
        foreach (var fixture in fixtures)
        {
            var obj = Load(fixture!);
            var (argo, _) = await ArgoCdHealth.EvaluateAsync(obj);
            var kstatus = KStatus.Compute(obj).Status switch
            {
                KStatusResult.Current => "Healthy",
                KStatusResult.Failed => "Degraded",
                KStatusResult.InProgress or KStatusResult.Terminating => "Progressing",
                var other => throw new InvalidOperationException(other.ToString()),
            };
            if (KnownDivergences.TryGetValue(fixture!, out var why))
            {
                Assert.True(kstatus != argo, $"{fixture}: documented as diverging ({why}) but both say {argo}; drop the exception");
            }
            else
            {
                Assert.True(kstatus == argo, $"{fixture}: Argo CD says {argo}, kstatus maps to {kstatus}");
            }
        }
    }

    [ToolFact("lua5.4")]
    public async Task A_status_observed_for_the_current_generation_is_needed_for_Healthy()
    {
        // Same object as the Ready fixture, once with the generation moved on and once with observedGeneration removed.
        var moved = Load("ready");
        moved["metadata"]!["generation"] = 4;
        Assert.Equal("Progressing", (await ArgoCdHealth.EvaluateAsync(moved)).Status);
        Assert.Equal(KStatusResult.InProgress, KStatus.Compute(moved).Status);

        var unobserved = Load("ready");
        unobserved["status"]!.AsObject().Remove("observedGeneration");
        Assert.Equal("Progressing", (await ArgoCdHealth.EvaluateAsync(unobserved)).Status);
    }

    [ToolFact("lua5.4")]
    public async Task Stalled_wins_over_Ready_and_paused_wins_over_everything_but_nothing_else()
    {
        var both = Load("ready");
        both["status"]!["conditions"]!.AsArray().Add(new JsonObject { ["type"] = "Stalled", ["status"] = "True", ["reason"] = "AwsError", ["message"] = "boom" });
        both["status"]!["conditions"]!.AsArray().RemoveAt(2); // the Stalled=False of the fixture
        Assert.Equal(("Degraded", "boom"), await ArgoCdHealth.EvaluateAsync(both));

        var notPaused = Load("paused");
        notPaused["metadata"]!["annotations"]!["eks.operator.dev/paused"] = "false";
        Assert.Equal("Progressing", (await ArgoCdHealth.EvaluateAsync(notPaused)).Status);
    }

    [Fact]
    public void Argocd_cm_carries_the_script_for_every_kind_of_the_crds()
    {
        var script = Repository.Read("config/argocd/health.lua");
        var cm = Yaml.ParseSingle(Repository.Read("config/argocd/argocd-cm.yaml"));
        Assert.Equal("argocd-cm", (string?)cm["metadata"]!["name"]);
        var kinds = Directory.GetFiles(Repository.PathOf("config/crd"), "*.yaml")
            .Select(f => Yaml.ParseSingle(File.ReadAllText(f)))
            .Select(crd => $"resource.customizations.health.{(string)crd["spec"]!["group"]!}_{(string)crd["spec"]!["names"]!["kind"]!}")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(8, kinds.Count);
        Assert.Equal(kinds, cm["data"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal));
        foreach (var key in kinds)
        {
            Assert.Equal(script.TrimEnd('\n'), ((string)cm["data"]![key]!).TrimEnd('\n'));
        }

        Assert.Equal(script, Repository.Read("charts/eks-operator/argocd/health.lua"));
    }

    private static readonly string FixturesDir = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static JsonNode Load(string fixture) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesDir, fixture + ".json")))!;
}
