using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>The real kubectl 1.33 against the simulator: every command the README and issue list.</summary>
[Collection(SharedSimulator.Name)]
public sealed class KubectlTests(SimulatorFixture fixture) : IDisposable
{
    private readonly Kubectl _kubectl = new(fixture.Kubeconfig);

    public void Dispose() => _kubectl.Dispose();

    private async Task<KubectlResult> OkAsync(string arguments)
    {
        var result = await _kubectl.RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"kubectl {arguments}\n{result}");
        return result;
    }

    private static string Header(string output) => output.Split('\n')[0];

    [ToolFact("kubectl")]
    public async Task Apply_samples_then_get_shows_printer_columns_short_names_and_category()
    {
        var samples = Path.Combine(SimulatorFixture.RepoRoot, "config", "samples");
        var applied = await OkAsync($"apply -f {samples}");
        Assert.Contains("ekscluster.eks.operator.dev/demo created", applied.Stdout, StringComparison.Ordinal);

        var again = await OkAsync($"apply -f {samples}");
        Assert.Contains("ekscluster.eks.operator.dev/demo unchanged", again.Stdout, StringComparison.Ordinal);

        var clusters = await OkAsync("get eksclusters");
        Assert.Equal(["NAME", "VERSION", "STATUS", "READY", "REASON", "AGE"], Header(clusters.Stdout).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("demo", clusters.Stdout, StringComparison.Ordinal);

        var wide = await OkAsync("get eksclusters -o wide");
        Assert.Contains("ENDPOINT", Header(wide.Stdout), StringComparison.Ordinal);
        Assert.Contains("MESSAGE", Header(wide.Stdout), StringComparison.Ordinal);
        Assert.DoesNotContain("MESSAGE", Header(clusters.Stdout), StringComparison.Ordinal);

        var byShortName = await OkAsync("get ekc");
        Assert.Equal(clusters.Stdout.Split('\n').Select(l => l.Split(' ')[0]), byShortName.Stdout.Split('\n').Select(l => l.Split(' ')[0]));

        var nodeGroups = await OkAsync("get mng");
        Assert.Equal(["NAME", "CLUSTER", "VERSION", "STATUS", "DESIRED", "MIN", "MAX", "READY", "REASON", "AGE"], Header(nodeGroups.Stdout).Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var category = await OkAsync("get eks");
        Assert.Contains("ekscluster.eks.operator.dev/demo", category.Stdout, StringComparison.Ordinal);
        Assert.Contains("managednodegroup.eks.operator.dev/platform-system", category.Stdout, StringComparison.Ordinal);
        Assert.Contains("fargateprofile.eks.operator.dev/demo-serverless", category.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Explain_shows_the_field_description_from_the_crd_schema()
    {
        var result = await OkAsync("explain ekscluster.spec.version");
        Assert.Contains("KIND:       EksCluster", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("FIELD: version <string>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Cannot be", result.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Get_table_for_the_test_crd_converts_cells_and_hides_priority_columns()
    {
        var ns = await fixture.NewNamespaceAsync("table");
        await ApplyWidgetAsync(ns, "w1", replicas: 3);
        await fixture.SendAsync(HttpMethod.Patch, $"/apis/example.com/v1/namespaces/{ns}/widgets/w1/status",
            new JsonObject { ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }) } },
            "application/merge-patch+json");
        var normal = await OkAsync($"get wg -n {ns}");
        Assert.Equal(["NAME", "READY", "AGE"], Header(normal.Stdout).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("w1", normal.Stdout.Split('\n')[1], StringComparison.Ordinal);
        Assert.Contains("True", normal.Stdout.Split('\n')[1], StringComparison.Ordinal);
        var wide = await OkAsync($"get widgets -n {ns} -o wide");
        Assert.Equal(["NAME", "READY", "REPLICAS", "AGE"], Header(wide.Stdout).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("3", wide.Stdout.Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]);
        var all = await OkAsync("get widgets -A");
        Assert.Contains(ns, all.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Wait_for_condition_Ready_returns_once_status_is_written()
    {
        var ns = await fixture.NewNamespaceAsync("wait");
        await ApplyWidgetAsync(ns, "w1");
        using var waiting = _kubectl.Start($"wait --for=condition=Ready widget/w1 -n {ns} --timeout=30s");
        var (code, _) = await fixture.SendAsync(HttpMethod.Patch, $"/apis/example.com/v1/namespaces/{ns}/widgets/w1/status",
            new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["observedGeneration"] = 1,
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "Done", ["message"] = "ok", ["observedGeneration"] = 1 }),
                },
            },
            "application/merge-patch+json");
        Assert.Equal(200, code);
        var result = await Kubectl.WaitAsync(waiting, TimeSpan.FromSeconds(40));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("condition met", result.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Patch_merge_and_json_work_and_strategic_is_refused_for_custom_resources()
    {
        var ns = await fixture.NewNamespaceAsync("patch");
        await ApplyWidgetAsync(ns, "w1");
        await OkAsync($"patch widget w1 -n {ns} --type=merge -p {{\"spec\":{{\"replicas\":4}}}}");
        await OkAsync($"patch widget w1 -n {ns} --type=json -p [{{\"op\":\"add\",\"path\":\"/spec/tags\",\"value\":{{\"a\":\"b\"}}}}]");
        var json = JsonNode.Parse((await OkAsync($"get widget w1 -n {ns} -o json")).Stdout)!;
        Assert.Equal(4, json["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("b", json["spec"]!["tags"]!["a"]!.GetValue<string>());
        Assert.Equal(3, json["metadata"]!["generation"]!.GetValue<int>());

        var strategic = await _kubectl.RunAsync($"patch widget w1 -n {ns} --type=strategic -p {{\"spec\":{{\"replicas\":5}}}}");
        Assert.NotEqual(0, strategic.ExitCode);
        Assert.Contains("application/strategic-merge-patch+json is not supported", strategic.Stderr, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Server_side_apply_creates_then_merges()
    {
        var ns = await fixture.NewNamespaceAsync("ssa");
        var manifest = $"apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: {ns}\nspec:\n  tier: gold\n  tags: {{a: b}}\n";
        var first = await _kubectl.RunAsync("apply --server-side -f -", stdin: manifest);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("serverside-applied", first.Stdout, StringComparison.Ordinal);
        var second = await _kubectl.RunAsync("apply --server-side -f -", stdin: manifest.Replace("{a: b}", "{a: b, c: d}", StringComparison.Ordinal));
        Assert.True(second.ExitCode == 0, second.ToString());
        var json = JsonNode.Parse((await OkAsync($"get widget w1 -n {ns} -o json --show-managed-fields")).Stdout)!;
        Assert.Equal("d", json["spec"]!["tags"]!["c"]!.GetValue<string>());
        Assert.Equal(1, json["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains(json["metadata"]!["managedFields"]!.AsArray(), e => e!["manager"]!.GetValue<string>() == "kubectl" && e["operation"]!.GetValue<string>() == "Apply");
    }

    [ToolFact("kubectl")]
    public async Task Delete_waits_for_finalizers_to_be_removed()
    {
        var ns = await fixture.NewNamespaceAsync("delete");
        var widget = SimulatorFixture.Widget(ns, "w1");
        widget["metadata"]!["finalizers"] = new JsonArray("example.com/cleanup");
        Assert.Equal(201, (await fixture.SendAsync(HttpMethod.Post, $"/apis/example.com/v1/namespaces/{ns}/widgets", widget)).Code);

        using var deleting = _kubectl.Start($"delete widget w1 -n {ns} --timeout=30s");
        var path = $"/apis/example.com/v1/namespaces/{ns}/widgets/w1";
        JsonNode? marked = null;
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (marked?["metadata"]?["deletionTimestamp"] is null)
            {
                cts.Token.ThrowIfCancellationRequested();
                marked = (await fixture.SendAsync(HttpMethod.Get, path)).Body;
                await Task.Yield();
            }
        }

        Assert.False(deleting.HasExited, "kubectl delete must wait while a finalizer remains");
        Assert.Equal(2, marked!["metadata"]!["generation"]!.GetValue<int>());
        var removed = await fixture.SendAsync(HttpMethod.Patch, path,
            new JsonArray(new JsonObject { ["op"] = "remove", ["path"] = "/metadata/finalizers" }), "application/json-patch+json");
        Assert.Equal(200, removed.Code);
        var result = await Kubectl.WaitAsync(deleting, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(404, (await fixture.SendAsync(HttpMethod.Get, path)).Code);
    }

    [ToolFact("kubectl")]
    public async Task Describe_shows_events_about_the_object()
    {
        var ns = await fixture.NewNamespaceAsync("describe");
        await ApplyWidgetAsync(ns, "w1");
        var uid = (await fixture.SendAsync(HttpMethod.Get, $"/apis/example.com/v1/namespaces/{ns}/widgets/w1")).Body!["metadata"]!["uid"]!.GetValue<string>();
        var created = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "w1.17f0a1b2c3d4e5f6" },
            ["involvedObject"] = new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["name"] = "w1", ["namespace"] = ns, ["uid"] = uid },
            ["reason"] = "Provisioned",
            ["message"] = "widget is ready to use",
            ["type"] = "Normal",
            ["source"] = new JsonObject { ["component"] = "widget-operator" },
            ["count"] = 1,
        });
        Assert.Equal(201, created.Code);
        var result = await OkAsync($"describe widget w1 -n {ns}");
        Assert.Contains("Events:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Provisioned", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("widget is ready to use", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("widget-operator", result.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Get_events_shows_the_object_as_kind_slash_name_like_the_apiserver_table()
    {
        var ns = await fixture.NewNamespaceAsync("events");
        var created = await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "demo-general.17f0a1b2c3d4e5f6" },
            ["involvedObject"] = new JsonObject { ["apiVersion"] = "eks.operator.dev/v1alpha1", ["kind"] = "ManagedNodeGroup", ["name"] = "demo-general", ["namespace"] = ns },
            ["reason"] = "Created",
            ["message"] = "node group created",
            ["type"] = "Normal",
            ["source"] = new JsonObject { ["component"] = "eks-operator" },
            ["firstTimestamp"] = "2025-01-01T00:00:00Z",
            ["lastTimestamp"] = "2025-01-01T00:00:00Z",
            ["count"] = 2,
        });
        Assert.Equal(201, created.Code);
        var table = await OkAsync($"get events -n {ns}");
        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], Cells(Header(table.Stdout)));
        var row = Cells(table.Stdout.Split('\n')[1]);
        Assert.Equal(["Normal", "Created", "managednodegroup/demo-general", "node group created"], row[1..]);

        var wide = await OkAsync($"get events -n {ns} -o wide");
        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"], Cells(Header(wide.Stdout)));
        var wideRow = Cells(wide.Stdout.Split('\n')[1]);
        Assert.Equal(["managednodegroup/demo-general", "eks-operator", "node group created"], wideRow[3..6]); // SUBOBJECT empty
        Assert.Equal(["2", "demo-general.17f0a1b2c3d4e5f6"], wideRow[^2..]);

        // events.k8s.io/v1 serves the same storage and the apiserver prints it with the same table.
        var regarding = await fixture.SendAsync(HttpMethod.Post, $"/apis/events.k8s.io/v1/namespaces/{ns}/events", new JsonObject
        {
            ["apiVersion"] = "events.k8s.io/v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = "demo-general.27f0a1b2c3d4e5f6" },
            ["regarding"] = new JsonObject { ["apiVersion"] = "eks.operator.dev/v1alpha1", ["kind"] = "ManagedNodeGroup", ["name"] = "demo-general", ["namespace"] = ns },
            ["reason"] = "Scaled",
            ["note"] = "desired size 3",
            ["type"] = "Normal",
            ["action"] = "Scale",
            ["reportingController"] = "eks-operator",
            ["reportingInstance"] = "eks-operator-0",
            ["eventTime"] = "2025-01-01T00:00:00.000000Z",
        });
        Assert.True(regarding.Code == 201, regarding.Body?.ToJsonString());
        var v1 = await OkAsync($"get events.v1.events.k8s.io -n {ns} -o wide");
        Assert.Equal(Cells(Header(wide.Stdout)), Cells(Header(v1.Stdout)));
        var scaled = Cells(v1.Stdout.Split('\n').Single(l => l.Contains("Scaled", StringComparison.Ordinal)));
        // SUBOBJECT is empty, so the padding around it reads as one gap.
        Assert.Equal(["Normal", "Scaled", "managednodegroup/demo-general", "eks-operator, eks-operator-0", "desired size 3"], scaled[1..6]);
    }

    /// <summary>A table line's cells: kubectl pads columns with at least two spaces; cells hold single spaces.</summary>
    private static string[] Cells(string line) => System.Text.RegularExpressions.Regex.Split(line.TrimEnd(), " {2,}");

    [ToolFact("kubectl")]
    public async Task Invalid_manifests_are_refused_naming_the_field()
    {
        var ns = await fixture.NewNamespaceAsync("invalid");
        var unknown = await _kubectl.RunAsync("apply -f -", stdin: $"apiVersion: eks.operator.dev/v1alpha1\nkind: EksCluster\nmetadata:\n  name: bad\n  namespace: {ns}\nspec:\n  version: \"1.33\"\n  bogus: 1\n");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("unknown field \"spec.bogus\"", unknown.Stderr, StringComparison.Ordinal);

        var pattern = await _kubectl.RunAsync("apply -f -", stdin: $"apiVersion: eks.operator.dev/v1alpha1\nkind: EksCluster\nmetadata:\n  name: bad\n  namespace: {ns}\nspec:\n  version: \"banana\"\n");
        Assert.NotEqual(0, pattern.ExitCode);
        Assert.Contains("is invalid", pattern.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.version", pattern.Stderr, StringComparison.Ordinal);

        await ApplyWidgetAsync(ns, "w1", tier: "gold");
        var immutable = await _kubectl.RunAsync($"patch widget w1 -n {ns} --type=merge -p {{\"spec\":{{\"tier\":\"silver\"}}}}");
        Assert.NotEqual(0, immutable.ExitCode);
        Assert.Contains("spec.tier", immutable.Stderr, StringComparison.Ordinal);
        Assert.Contains("tier is immutable", immutable.Stderr, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task Core_kinds_apply_and_list()
    {
        var ns = await fixture.NewNamespaceAsync("core");
        var manifest = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\n  namespace: {ns}\ndata:\n  a: \"1\"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\n  namespace: {ns}\nstringData:\n  a: \"1\"\n";
        var created = await _kubectl.RunAsync("apply -f -", stdin: manifest);
        Assert.True(created.ExitCode == 0, created.ToString());
        var changed = await _kubectl.RunAsync("apply -f -", stdin: manifest.Replace("a: \"1\"\n---", "a: \"2\"\n---", StringComparison.Ordinal));
        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.DoesNotContain("warning", changed.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("2", (await OkAsync($"get configmap c1 -n {ns} -o jsonpath={{.data.a}}")).Stdout);
        Assert.Equal("MQ==", (await OkAsync($"get secret s1 -n {ns} -o jsonpath={{.data.a}}")).Stdout);
        var namespaces = await OkAsync("get namespaces");
        Assert.Contains(ns, namespaces.Stdout, StringComparison.Ordinal);
        await OkAsync($"delete namespace {ns} --timeout=30s");
        Assert.Equal(404, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/c1")).Code);
    }

    private async Task ApplyWidgetAsync(string ns, string name, string? tier = null, int? replicas = null)
    {
        var (code, body) = await fixture.SendAsync(HttpMethod.Post, $"/apis/example.com/v1/namespaces/{ns}/widgets", SimulatorFixture.Widget(ns, name, tier, replicas));
        Assert.True(code == 201, body?.ToJsonString());
    }
}
