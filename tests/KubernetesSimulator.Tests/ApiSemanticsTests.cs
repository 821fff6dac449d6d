using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>Wire-level rules of reference/kubernetes-api.md checked with plain HTTP.</summary>
[Collection(SharedSimulator.Name)]
public sealed class ApiSemanticsTests(SimulatorFixture fixture)
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private static string Widgets(string ns) => $"/apis/example.com/v1/namespaces/{ns}/widgets";

    private Task<(int Code, JsonNode? Body)> Send(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", string? accept = null) =>
        fixture.SendAsync(method, path, body, contentType, accept);

    private static string Rv(JsonNode? o) => o!["metadata"]!["resourceVersion"]!.GetValue<string>();

    [Fact]
    public async Task Discovery_lists_groups_resources_status_subresource_and_version()
    {
        var (_, api) = await Send(HttpMethod.Get, "/api");
        Assert.Equal("APIVersions", api!["kind"]!.GetValue<string>());
        var (_, apis) = await Send(HttpMethod.Get, "/apis");
        var groups = apis!["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("eks.operator.dev", groups);
        Assert.Contains("coordination.k8s.io", groups);
        Assert.Contains("events.k8s.io", groups);
        var (_, resources) = await Send(HttpMethod.Get, "/apis/example.com/v1");
        var names = resources!["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["widgets", "widgets/status"], names);
        var widgets = resources["resources"]![0]!;
        Assert.Equal("wg", widgets["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("example", widgets["categories"]![0]!.GetValue<string>());
        Assert.Contains("watch", widgets["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        var (_, core) = await Send(HttpMethod.Get, "/api/v1");
        Assert.Superset(new HashSet<string> { "namespaces", "secrets", "configmaps", "events" },
            core!["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToHashSet());
        var (_, version) = await Send(HttpMethod.Get, "/version");
        Assert.Equal("33", version!["minor"]!.GetValue<string>());
        var (code, openapi) = await Send(HttpMethod.Get, "/openapi/v3");
        Assert.Equal(200, code);
        Assert.NotNull(openapi!["paths"]!["apis/example.com/v1"]);
    }

    [Fact]
    public async Task Create_rules_generateName_required_name_conflicts_and_namespaces()
    {
        var ns = await fixture.NewNamespaceAsync("create");
        var generated = SimulatorFixture.Widget(ns, "");
        generated["metadata"]!.AsObject().Remove("name");
        generated["metadata"]!["generateName"] = "w-";
        generated["status"] = new JsonObject { ["observedGeneration"] = 3 };
        var (code, created) = await Send(HttpMethod.Post, Widgets(ns), generated);
        Assert.Equal(201, code);
        var name = created!["metadata"]!["name"]!.GetValue<string>();
        Assert.Matches("^w-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
        Assert.Null(created["status"]); // status subresource: status in a create body is dropped

        var unnamed = SimulatorFixture.Widget(ns, "");
        unnamed["metadata"]!.AsObject().Remove("name");
        var (noName, invalid) = await Send(HttpMethod.Post, Widgets(ns), unnamed);
        Assert.Equal(422, noName);
        Assert.Equal("metadata.name", invalid!["details"]!["causes"]![0]!["field"]!.GetValue<string>());

        var (duplicate, exists) = await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, name));
        Assert.Equal(409, duplicate);
        Assert.Equal("AlreadyExists", exists!["reason"]!.GetValue<string>());
        Assert.Equal($"widgets.example.com \"{name}\" already exists", exists["message"]!.GetValue<string>());

        var (mismatch, _) = await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget("other", "x"));
        Assert.Equal(400, mismatch);
        var (missingNs, notFound) = await Send(HttpMethod.Post, Widgets("nope"), SimulatorFixture.Widget("nope", "x"));
        Assert.Equal(404, missingNs);
        Assert.Equal("namespaces \"nope\" not found", notFound!["message"]!.GetValue<string>());
        var (badName, _) = await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "Upper_Case"));
        Assert.Equal(422, badName);
    }

    [Fact]
    public async Task Update_requires_resourceVersion_and_never_creates_custom_resources()
    {
        var ns = await fixture.NewNamespaceAsync("put");
        var (_, created) = await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1"));
        var body = created!.DeepClone();
        body["metadata"]!.AsObject().Remove("resourceVersion");
        var (noRv, status) = await Send(HttpMethod.Put, $"{Widgets(ns)}/w1", body);
        Assert.Equal(422, noRv);
        Assert.Contains("must be specified for an update", status!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var (missing, _) = await Send(HttpMethod.Put, $"{Widgets(ns)}/w2", SimulatorFixture.Widget(ns, "w2"));
        Assert.Equal(404, missing);

        var renamed = created.DeepClone();
        renamed["metadata"]!["creationTimestamp"] = "2000-01-01T00:00:00Z";
        renamed["metadata"]!["uid"] = "";
        var (ok, kept) = await Send(HttpMethod.Put, $"{Widgets(ns)}/w1", renamed);
        Assert.Equal(200, ok);
        Assert.Equal(created["metadata"]!["creationTimestamp"]!.GetValue<string>(), kept!["metadata"]!["creationTimestamp"]!.GetValue<string>());
        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), kept["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_types_json_patch_failures_strategic_415_and_apply()
    {
        var ns = await fixture.NewNamespaceAsync("patch");
        var path = $"{Widgets(ns)}/w1";
        await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1", tier: "gold"));

        var (strategic, unsupported) = await Send(HttpMethod.Patch, path, new JsonObject { ["spec"] = new JsonObject() }, "application/strategic-merge-patch+json");
        Assert.Equal(415, strategic);
        Assert.Equal("UnsupportedMediaType", unsupported!["reason"]!.GetValue<string>());

        var failingTest = new JsonArray(new JsonObject { ["op"] = "test", ["path"] = "/spec/tier", ["value"] = "silver" });
        Assert.Equal(422, (await Send(HttpMethod.Patch, path, failingTest, "application/json-patch+json")).Code);
        Assert.Equal(400, (await Send(HttpMethod.Patch, path, new JsonObject(), "application/json-patch+json")).Code);

        var stale = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "1" }, ["spec"] = new JsonObject { ["replicas"] = 3 } };
        Assert.Equal(409, (await Send(HttpMethod.Patch, path, stale, "application/merge-patch+json")).Code);

        var apply = new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w2" },
            ["spec"] = new JsonObject { ["replicas"] = 2 },
        };
        Assert.Equal(422, (await Send(HttpMethod.Patch, $"{Widgets(ns)}/w2", apply, "application/apply-patch+yaml")).Code);
        var (applied, body) = await Send(HttpMethod.Patch, $"{Widgets(ns)}/w2?fieldManager=test", apply, "application/apply-patch+yaml");
        Assert.Equal(201, applied);
        Assert.Equal("test", body!["metadata"]!["managedFields"]![0]!["manager"]!.GetValue<string>());

        // SSA merges list-map entries by key (here status.conditions keyed by type) instead of replacing the list.
        foreach (var type in new[] { "Ready", "Synced" })
        {
            var condition = new JsonObject
            {
                ["apiVersion"] = "example.com/v1",
                ["kind"] = "Widget",
                ["metadata"] = new JsonObject { ["name"] = "w2" },
                ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = type, ["status"] = "True" }) },
            };
            Assert.Equal(200, (await Send(HttpMethod.Patch, $"{Widgets(ns)}/w2/status?fieldManager={type}", condition, "application/apply-patch+yaml")).Code);
        }

        var (_, merged) = await Send(HttpMethod.Get, $"{Widgets(ns)}/w2");
        Assert.Equal(["Ready", "Synced"], merged!["status"]!["conditions"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Server_side_apply_drops_fields_the_manager_stopped_applying_but_keeps_other_managers_fields()
    {
        var ns = await fixture.NewNamespaceAsync("ssa-drop");
        JsonObject Applied(JsonObject tags) => new()
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w1" },
            ["spec"] = new JsonObject { ["tags"] = tags },
        };
        var path = $"{Widgets(ns)}/w1?fieldManager=flux";
        Assert.Equal(201, (await Send(HttpMethod.Patch, path, Applied(new JsonObject { ["a"] = "1", ["b"] = "2" }), "application/apply-patch+yaml")).Code);
        Assert.Equal(200, (await Send(HttpMethod.Patch, $"{Widgets(ns)}/w1?fieldManager=human",
            new JsonObject { ["spec"] = new JsonObject { ["tags"] = new JsonObject { ["c"] = "3" } } }, "application/merge-patch+json")).Code);
        var (code, after) = await Send(HttpMethod.Patch, path, Applied(new JsonObject { ["a"] = "1" }), "application/apply-patch+yaml");
        Assert.Equal(200, code);
        var tags = after!["spec"]!["tags"]!.AsObject();
        Assert.Equal(["a", "c"], tags.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(1, after["spec"]!["replicas"]!.GetValue<int>()); // defaulted, never applied: untouched
    }

    [Fact]
    public async Task Field_validation_strict_rejects_warn_prunes_with_warning()
    {
        var ns = await fixture.NewNamespaceAsync("fv");
        var widget = SimulatorFixture.Widget(ns, "w1");
        widget["spec"]!["colour"] = "red";
        var (strict, status) = await Send(HttpMethod.Post, $"{Widgets(ns)}?fieldValidation=Strict", widget);
        Assert.Equal(400, strict);
        Assert.Equal("strict decoding error: unknown field \"spec.colour\"", status!["message"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Post, Widgets(ns)) { Content = new StringContent(widget.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        using var response = await fixture.Http.SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Contains("unknown field \\\"spec.colour\\\"", string.Join(" ", response.Headers.GetValues("Warning")), StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["spec"]!["colour"]);
    }

    [Fact]
    public async Task Duplicate_or_malformed_json_is_a_400_not_a_server_error()
    {
        var ns = await fixture.NewNamespaceAsync("dup");
        var text = $"{{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{{\"name\":\"w1\"}},\"spec\":{{\"tier\":\"a\",\"tier\":\"b\"}}}}";
        foreach (var body in new[] { text, "{not json" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Widgets(ns)) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            using var response = await fixture.Http.SendAsync(request);
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal("BadRequest", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["reason"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Validation_errors_are_Invalid_status_with_causes_naming_fields()
    {
        var ns = await fixture.NewNamespaceAsync("invalid");
        var (code, status) = await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1", replicas: -1));
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        Assert.Equal("Widget", status["details"]!["kind"]!.GetValue<string>());
        Assert.StartsWith("Widget.example.com \"w1\" is invalid: ", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "spec.replicas");
    }

    [Fact]
    public async Task Label_and_field_selectors_and_pagination()
    {
        var ns = await fixture.NewNamespaceAsync("select");
        for (var i = 0; i < 5; i++)
        {
            var widget = SimulatorFixture.Widget(ns, $"w{i}");
            widget["metadata"]!["labels"] = new JsonObject { ["tier"] = i % 2 == 0 ? "even" : "odd", ["n"] = $"{i}" };
            await Send(HttpMethod.Post, Widgets(ns), widget);
        }

        async Task<List<string>> Names(string query) =>
            (await Send(HttpMethod.Get, $"{Widgets(ns)}?{query}")).Body!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToList();

        Assert.Equal(["w0", "w2", "w4"], await Names("labelSelector=tier%3Deven"));
        Assert.Equal(["w1", "w3"], await Names("labelSelector=tier!%3Deven"));
        Assert.Equal(["w0", "w3"], await Names("labelSelector=n%20in%20(0,3)"));
        Assert.Equal(["w1", "w2", "w4"], await Names("labelSelector=n%20notin%20(0,3),tier"));
        Assert.Empty(await Names("labelSelector=!tier"));
        Assert.Equal(["w3"], await Names("fieldSelector=metadata.name%3Dw3"));
        Assert.Equal(400, (await Send(HttpMethod.Get, $"{Widgets(ns)}?fieldSelector=spec.tier%3Dx")).Code);
        Assert.Equal(400, (await Send(HttpMethod.Get, $"{Widgets(ns)}?labelSelector=a%20in%20(")).Code);

        var pages = new List<string>();
        string? token = null;
        string? firstRv = null;
        do
        {
            var (_, page) = await Send(HttpMethod.Get, $"{Widgets(ns)}?limit=2{(token is null ? "" : $"&continue={Uri.EscapeDataString(token)}")}");
            firstRv ??= Rv(page);
            Assert.Equal(firstRv, Rv(page));
            Assert.True(page!["items"]!.AsArray().Count <= 2);
            pages.AddRange(page["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            token = page["metadata"]!["continue"]?.GetValue<string>();
        }
        while (token is not null);
        Assert.Equal(["w0", "w1", "w2", "w3", "w4"], pages);
    }

    [Fact]
    public async Task Table_response_has_name_first_printer_columns_and_typed_row_objects()
    {
        var ns = await fixture.NewNamespaceAsync("tbl");
        await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1", replicas: 3));
        var (_, table) = await Send(HttpMethod.Get, Widgets(ns), accept: TableAccept);
        Assert.Equal("Table", table!["kind"]!.GetValue<string>());
        Assert.Equal(["Name", "Ready", "Replicas", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(1, table["columnDefinitions"]![2]!["priority"]!.GetValue<int>());
        var row = table["rows"]![0]!;
        Assert.Equal("w1", row["cells"]![0]!.GetValue<string>());
        Assert.Null(row["cells"]![1]);
        Assert.Equal(3, row["cells"]![2]!.GetValue<long>());
        Assert.Matches("^[0-9]+s$", row["cells"]![3]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", row["object"]!["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_two_views_and_involvedObject_field_selectors()
    {
        var ns = await fixture.NewNamespaceAsync("events");
        JsonObject Event(string name, string kind) => new()
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["involvedObject"] = new JsonObject { ["kind"] = kind, ["name"] = "w1", ["namespace"] = ns },
            ["reason"] = "Created",
            ["message"] = "hello",
            ["type"] = "Normal",
        };
        Assert.Equal(201, (await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events", Event("e1", "Widget"))).Code);
        Assert.Equal(201, (await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events", Event("e2", "Gadget"))).Code);
        var (_, selected) = await Send(HttpMethod.Get, $"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3Dw1,involvedObject.kind%3DWidget,involvedObject.namespace%3D{ns}");
        Assert.Equal("e1", Assert.Single(selected!["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());

        var (_, view) = await Send(HttpMethod.Get, $"/apis/events.k8s.io/v1/namespaces/{ns}/events/e1");
        Assert.Equal("events.k8s.io/v1", view!["apiVersion"]!.GetValue<string>());
        Assert.Equal("hello", view["note"]!.GetValue<string>());
        Assert.Equal("w1", view["regarding"]!["name"]!.GetValue<string>());

        var wrongNs = Event("e3", "Widget");
        wrongNs["involvedObject"]!["namespace"] = "elsewhere";
        Assert.Equal(422, (await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/events", wrongNs)).Code);
    }

    [Fact]
    public async Task Watch_with_selector_turns_label_changes_into_added_and_deleted()
    {
        var ns = await fixture.NewNamespaceAsync("wsel");
        var (_, created) = await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1"));
        await using var watch = await WatchStream.OpenAsync(fixture.Http, $"{Widgets(ns)}?watch=1&labelSelector=team%3Da&resourceVersion={Rv(created)}");
        Assert.Equal(200, watch.StatusCode);
        Assert.Equal("application/json", watch.ContentType);
        await Send(HttpMethod.Patch, $"{Widgets(ns)}/w1", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "a" } } }, "application/merge-patch+json");
        Assert.Equal("ADDED", (await watch.NextChangeAsync())!["type"]!.GetValue<string>());
        await Send(HttpMethod.Patch, $"{Widgets(ns)}/w1", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 2 } }, "application/merge-patch+json");
        Assert.Equal("MODIFIED", (await watch.NextChangeAsync())!["type"]!.GetValue<string>());
        await Send(HttpMethod.Patch, $"{Widgets(ns)}/w1", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "b" } } }, "application/merge-patch+json");
        Assert.Equal("DELETED", (await watch.NextChangeAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_synthetic_added_events()
    {
        var ns = await fixture.NewNamespaceAsync("wsyn");
        await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "a"));
        await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "b"));
        foreach (var rv in new[] { "", "&resourceVersion=0" })
        {
            await using var watch = await WatchStream.OpenAsync(fixture.Http, $"{Widgets(ns)}?watch=true{rv}");
            var first = await watch.NextChangeAsync();
            var second = await watch.NextChangeAsync();
            Assert.Equal(["ADDED", "ADDED"], new[] { first, second }.Select(e => e!["type"]!.GetValue<string>()));
            Assert.Equal(["a", "b"], new[] { first, second }.Select(e => e!["object"]!["metadata"]!["name"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Owner_deletion_garbage_collects_dependents_in_the_background()
    {
        var ns = await fixture.NewNamespaceAsync("gc");
        var (_, owner) = await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "owner"));
        var dependent = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "owned",
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "example.com/v1",
                    ["kind"] = "Widget",
                    ["name"] = "owner",
                    ["uid"] = owner!["metadata"]!["uid"]!.GetValue<string>(),
                }),
            },
        };
        Assert.Equal(201, (await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", dependent)).Code);
        Assert.Equal(200, (await Send(HttpMethod.Delete, $"{Widgets(ns)}/owner")).Code);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await Send(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/owned")).Code != 404)
        {
            cts.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    [Fact]
    public async Task Accesses_record_verbs_resources_and_subresources()
    {
        var ns = await fixture.NewNamespaceAsync("access");
        await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1"));
        await Send(HttpMethod.Patch, $"{Widgets(ns)}/w1/status", new JsonObject { ["status"] = new JsonObject() }, "application/merge-patch+json");
        Assert.Contains(new ApiAccess("create", "example.com", "widgets", ""), fixture.Simulator.Accesses);
        Assert.Contains(new ApiAccess("patch", "example.com", "widgets", "status"), fixture.Simulator.Accesses);
        var (_, overHttp) = await Send(HttpMethod.Get, "/_sim/accesses");
        Assert.Contains(overHttp!.AsArray(), a => a!["verb"]!.GetValue<string>() == "patch" && a["subresource"]!.GetValue<string>() == "status");
    }

    [Fact]
    public async Task Query_parameters_are_read_as_the_apiserver_reads_them()
    {
        var ns = await fixture.NewNamespaceAsync("query");
        Assert.Equal(201, (await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "a"))).Code);
        Assert.Equal(201, (await Send(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "b"))).Code);

        // watch=True, as the Python client writes it, is a watch, not a list.
        await using (var watch = await WatchStream.OpenAsync(fixture.Http, $"{Widgets(ns)}?watch=True&timeoutSeconds=30"))
        {
            Assert.Equal(200, watch.StatusCode);
            Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.GetValue<string>());
        }

        // Integers are parsed strictly: a 400 with Go's message, for lists and watches alike.
        var (limitCode, limit) = await Send(HttpMethod.Get, $"{Widgets(ns)}?limit=1x");
        Assert.Equal(400, limitCode);
        Assert.Equal("strconv.ParseInt: parsing \"1x\": invalid syntax", limit!["message"]!.GetValue<string>());
        var (timeoutCode, timeout) = await Send(HttpMethod.Get, $"{Widgets(ns)}?watch=1&timeoutSeconds=ten");
        Assert.Equal(400, timeoutCode);
        Assert.Equal("BadRequest", timeout!["reason"]!.GetValue<string>());

        // dryRun takes only All; deletecollection honours it.
        var (invalidCode, invalid) = await Send(HttpMethod.Post, $"{Widgets(ns)}?dryRun=true", SimulatorFixture.Widget(ns, "c"));
        Assert.Equal(422, invalidCode);
        Assert.Equal("dryRun", invalid!["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        var (dryCode, dry) = await Send(HttpMethod.Delete, $"{Widgets(ns)}?dryRun=All");
        Assert.Equal(200, dryCode);
        Assert.Equal(2, dry!["items"]!.AsArray().Count);
        var (_, left) = await Send(HttpMethod.Get, Widgets(ns));
        Assert.Equal(2, left!["items"]!.AsArray().Count);

        // An unknown propagation policy is refused rather than taken as Background.
        var (policyCode, policy) = await Send(HttpMethod.Delete, $"{Widgets(ns)}/a?propagationPolicy=orphan");
        Assert.Equal(422, policyCode);
        Assert.StartsWith("DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"orphan\"", policy!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(200, (await Send(HttpMethod.Get, $"{Widgets(ns)}/a")).Code);

        // pretty=true indents objects and lists as the apiserver does; without it the JSON is compact.
        Assert.StartsWith("{\n  \"", await fixture.Http.GetStringAsync($"{Widgets(ns)}/a?pretty=true"), StringComparison.Ordinal);
        Assert.Contains("\n  \"items\": [", await fixture.Http.GetStringAsync($"{Widgets(ns)}?pretty=True"), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", await fixture.Http.GetStringAsync($"{Widgets(ns)}/a?pretty=yes"), StringComparison.Ordinal);
    }
}
