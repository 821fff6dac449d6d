using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>The official Kubernetes Python client against the simulator. It sends booleans the Python way
/// (<c>watch=True</c>), patches core kinds with a dict as a strategic merge patch and a list as a JSON patch, and
/// custom objects as a merge patch.</summary>
[Collection(SharedSimulator.Name)]
public sealed class PythonClientTests(SimulatorFixture fixture)
{
    private readonly PythonClient _python = new(fixture.Kubeconfig);

    private static string Widgets(string ns) => $"/apis/example.com/v1/namespaces/{ns}/widgets";

    private static string ConfigMaps(string ns) => $"/api/v1/namespaces/{ns}/configmaps";

    private static string Type(JsonNode? e) => e!["type"]!.GetValue<string>();

    [PythonClientFact]
    public async Task ConfigMap_create_list_patch_strategic_and_json_then_delete()
    {
        var ns = await fixture.NewNamespaceAsync("py-cm");
        var lines = await _python.RunAsync("""
            v1 = client.CoreV1Api()
            cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="c1", labels={"app": "py"}), data={"a": "1"})
            created = v1.create_namespaced_config_map(ns, cm)
            out(step="created", rv=created.metadata.resource_version, uid=created.metadata.uid)
            dry = v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="dry")), dry_run="All")
            out(step="dry-run", name=dry.metadata.name)
            listed = v1.list_namespaced_config_map(ns, label_selector="app=py", limit=10)
            out(step="listed", names=[i.metadata.name for i in listed.items], rv=listed.metadata.resource_version)
            strategic = v1.patch_namespaced_config_map("c1", ns, {"data": {"b": "2"}})
            out(step="strategic", data=strategic.data)
            jsonpatch = v1.patch_namespaced_config_map("c1", ns, [{"op": "remove", "path": "/data/a"}])
            out(step="json", data=jsonpatch.data)
            v1.delete_namespaced_config_map("c1", ns, propagation_policy="Background")
            try:
                v1.read_namespaced_config_map("c1", ns)
                out(step="read-after-delete", status=200)
            except client.exceptions.ApiException as e:
                out(step="read-after-delete", status=e.status, reason=json.loads(e.body)["reason"])
            """, ns);

        Assert.Equal(["created", "dry-run", "listed", "strategic", "json", "read-after-delete"], lines.Select(l => l["step"]!.GetValue<string>()));
        Assert.Equal("dry", lines[1]["name"]!.GetValue<string>());
        Assert.Equal(["c1"], lines[2]["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":"1","b":"2"}"""), lines[3]["data"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"b":"2"}"""), lines[4]["data"]));
        Assert.Equal(404, lines[5]["status"]!.GetValue<int>());
        Assert.Equal("NotFound", lines[5]["reason"]!.GetValue<string>());
        // The dry-run create (dryRun=All) left nothing behind.
        Assert.Equal(404, (await fixture.SendAsync(HttpMethod.Get, $"{ConfigMaps(ns)}/dry")).Code);
    }

    [PythonClientFact]
    public async Task Custom_object_create_get_list_merge_patch_and_delete()
    {
        var ns = await fixture.NewNamespaceAsync("py-cr");
        var lines = await _python.RunAsync("""
            api = client.CustomObjectsApi()
            body = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1"}, "spec": {"tier": "gold"}}
            created = api.create_namespaced_custom_object("example.com", "v1", ns, "widgets", body)
            out(step="created", generation=created["metadata"]["generation"], replicas=created["spec"]["replicas"])
            got = api.get_namespaced_custom_object("example.com", "v1", ns, "widgets", "w1")
            out(step="got", tier=got["spec"]["tier"])
            patched = api.patch_namespaced_custom_object("example.com", "v1", ns, "widgets", "w1", {"spec": {"replicas": 3}, "metadata": {"labels": {"team": "a"}}})
            out(step="patched", replicas=patched["spec"]["replicas"], generation=patched["metadata"]["generation"])
            listed = api.list_namespaced_custom_object("example.com", "v1", ns, "widgets", label_selector="team=a")
            out(step="listed", kind=listed["kind"], names=[i["metadata"]["name"] for i in listed["items"]])
            deleted = api.delete_namespaced_custom_object("example.com", "v1", ns, "widgets", "w1")
            out(step="deleted", status=deleted["status"])
            left = api.list_namespaced_custom_object("example.com", "v1", ns, "widgets")
            out(step="left", count=len(left["items"]))
            """, ns);

        Assert.Equal(["created", "got", "patched", "listed", "deleted", "left"], lines.Select(l => l["step"]!.GetValue<string>()));
        Assert.Equal(1, lines[0]["generation"]!.GetValue<int>());
        Assert.Equal(1, lines[0]["replicas"]!.GetValue<int>()); // schema default
        Assert.Equal("gold", lines[1]["tier"]!.GetValue<string>());
        Assert.Equal(3, lines[2]["replicas"]!.GetValue<int>());
        Assert.Equal(2, lines[2]["generation"]!.GetValue<int>());
        Assert.Equal("WidgetList", lines[3]["kind"]!.GetValue<string>());
        Assert.Equal(["w1"], lines[3]["names"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("Success", lines[4]["status"]!.GetValue<string>());
        Assert.Equal(0, lines[5]["count"]!.GetValue<int>());
    }

    [PythonClientFact]
    public async Task Watch_on_configmaps_streams_added_modified_and_deleted()
    {
        var ns = await fixture.NewNamespaceAsync("py-watch");
        Assert.Equal(201, (await fixture.SendAsync(HttpMethod.Post, ConfigMaps(ns),
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "c1" }, ["data"] = new JsonObject { ["a"] = "1" } })).Code);

        // No resourceVersion: the watch starts with the current objects as ADDED, the positive sign that it is open.
        using var run = _python.Start("""
            v1 = client.CoreV1Api()
            w = watch.Watch()
            for event in w.stream(v1.list_namespaced_config_map, ns, timeout_seconds=60):
                obj = event["object"]
                out(type=event["type"], name=obj.metadata.name, data=obj.data, rv=obj.metadata.resource_version)
                if event["type"] == "DELETED":
                    w.stop()
            out(type="END")
            """, ns);

        var added = await run.NextAsync();
        Assert.Equal("ADDED", Type(added));
        Assert.Equal("c1", added!["name"]!.GetValue<string>());

        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Patch, $"{ConfigMaps(ns)}/c1",
            new JsonObject { ["data"] = new JsonObject { ["a"] = "2" } }, "application/merge-patch+json")).Code);
        var modified = await run.NextAsync();
        Assert.Equal("MODIFIED", Type(modified));
        Assert.Equal("2", modified!["data"]!["a"]!.GetValue<string>());
        Assert.NotEqual(added["rv"]!.GetValue<string>(), modified["rv"]!.GetValue<string>());

        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Delete, $"{ConfigMaps(ns)}/c1")).Code);
        Assert.Equal("DELETED", Type(await run.NextAsync()));
        Assert.Equal("END", Type(await run.NextAsync()));
        var (code, _, stderr) = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(code == 0, stderr);
    }

    [PythonClientFact]
    public async Task Watch_on_custom_objects_from_a_list_resource_version_with_bookmarks()
    {
        var ns = await fixture.NewNamespaceAsync("py-crwatch");
        using var run = _python.Start("""
            api = client.CustomObjectsApi()
            listed = api.list_namespaced_custom_object("example.com", "v1", ns, "widgets")
            w = watch.Watch()
            for event in w.stream(api.list_namespaced_custom_object, "example.com", "v1", ns, "widgets",
                                  resource_version=listed["metadata"]["resourceVersion"], allow_watch_bookmarks=True, timeout_seconds=60):
                obj = event["raw_object"]
                out(type=event["type"], name=obj["metadata"].get("name"), spec=obj.get("spec"))
                if event["type"] == "DELETED":
                    w.stop()
            out(type="END")
            """, ns);

        // The simulator bookmarks a new watch that asked for bookmarks at once: the sign that it is open.
        Assert.Equal("BOOKMARK", Type(await run.NextAsync()));
        Assert.Equal(201, (await fixture.SendAsync(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1"))).Code);
        var added = await NextChangeAsync(run);
        Assert.Equal("ADDED", Type(added));
        Assert.Equal("w1", added!["name"]!.GetValue<string>());

        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Patch, $"{Widgets(ns)}/w1",
            new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 5 } }, "application/merge-patch+json")).Code);
        var modified = await NextChangeAsync(run);
        Assert.Equal("MODIFIED", Type(modified));
        Assert.Equal(5, modified!["spec"]!["replicas"]!.GetValue<int>());

        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Delete, $"{Widgets(ns)}/w1")).Code);
        Assert.Equal("DELETED", Type(await NextChangeAsync(run)));
        Assert.Equal("END", Type(await NextChangeAsync(run)));
        var (code, _, stderr) = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(code == 0, stderr);
    }

    [PythonClientFact]
    public async Task Invalid_options_come_back_as_the_apiserver_s_status()
    {
        var ns = await fixture.NewNamespaceAsync("py-invalid");
        var lines = await _python.RunAsync("""
            v1 = client.CoreV1Api()
            def attempt(step, call):
                try:
                    call()
                    out(step=step, status=200)
                except client.exceptions.ApiException as e:
                    body = json.loads(e.body)
                    out(step=step, status=e.status, reason=body["reason"], message=body["message"])
            attempt("dry-run-true", lambda: v1.create_namespaced_config_map(ns, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="c1")), dry_run="true"))
            attempt("limit", lambda: v1.list_namespaced_config_map(ns, limit="ten"))
            attempt("watch-false", lambda: v1.list_namespaced_config_map(ns, watch=False))
            """, ns);

        Assert.Equal(422, lines[0]["status"]!.GetValue<int>());
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: [\"true\"]: supported values: \"All\"", lines[0]["message"]!.GetValue<string>());
        Assert.Equal(400, lines[1]["status"]!.GetValue<int>());
        Assert.Equal("BadRequest", lines[1]["reason"]!.GetValue<string>());
        Assert.Equal("strconv.ParseInt: parsing \"ten\": invalid syntax", lines[1]["message"]!.GetValue<string>());
        Assert.Equal(200, lines[2]["status"]!.GetValue<int>()); // watch=False is a plain list
    }

    [PythonClientFact]
    public async Task Watches_with_key_value_and_not_key_selectors_see_a_relabelled_object_leave_one_and_join_the_other()
    {
        const string label = "example.com/shard";
        var ns = await fixture.NewNamespaceAsync("py-shard");
        Assert.Equal(201, (await fixture.SendAsync(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w-none"))).Code);
        var labelled = SimulatorFixture.Widget(ns, "w-a");
        labelled["metadata"]!["labels"] = new JsonObject { [label] = "a" };
        Assert.Equal(201, (await fixture.SendAsync(HttpMethod.Post, Widgets(ns), labelled)).Code);

        static string Script(string selector) => $$"""
            api = client.CustomObjectsApi()
            sel = "{{selector}}"
            listed = api.list_namespaced_custom_object("example.com", "v1", ns, "widgets", label_selector=sel)
            out(type="LIST", names=sorted(i["metadata"]["name"] for i in listed["items"]))
            w = watch.Watch()
            for event in w.stream(api.list_namespaced_custom_object, "example.com", "v1", ns, "widgets", label_selector=sel,
                                  resource_version=listed["metadata"]["resourceVersion"], allow_watch_bookmarks=True, timeout_seconds=60):
                obj = event["raw_object"]
                if event["type"] == "BOOKMARK":
                    out(type="BOOKMARK")
                    continue
                out(type=event["type"], name=obj["metadata"]["name"], labels=obj["metadata"].get("labels") or {}, rv=obj["metadata"]["resourceVersion"])
                if obj["metadata"]["name"] == "stop":
                    w.stop()
            out(type="END")
            """;
        using var byDefault = _python.Start(Script("!" + label), ns);
        using var shardA = _python.Start(Script(label + "=a"), ns);

        // The lists are filtered as the watches will be; the first bookmark says each watch is open.
        foreach (var (run, names) in new[] { (byDefault, "w-none"), (shardA, "w-a") })
        {
            var list = await run.NextAsync();
            Assert.Equal("LIST", Type(list));
            Assert.Equal([names], list!["names"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal("BOOKMARK", Type(await run.NextAsync()));
        }

        async Task<string> RelabelAsync(string name, string? value)
        {
            var (code, body) = await fixture.SendAsync(HttpMethod.Patch, $"{Widgets(ns)}/{name}",
                new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [label] = value } } }, "application/merge-patch+json");
            Assert.Equal(200, code);
            return body!["metadata"]!["resourceVersion"]!.GetValue<string>();
        }

        // Into shard a: DELETED for the default shard's watch, with the content it matched (no label) at the new
        // resourceVersion, as the apiserver's cacher sends it; ADDED for shard a's watch with the new labels.
        var moved = await RelabelAsync("w-none", "a");
        var left = await NextChangeAsync(byDefault);
        Assert.Equal(("DELETED", "w-none", moved), (Type(left), left!["name"]!.GetValue<string>(), left["rv"]!.GetValue<string>()));
        Assert.Empty(left["labels"]!.AsObject());
        var joined = await NextChangeAsync(shardA);
        Assert.Equal(("ADDED", "w-none", moved), (Type(joined), joined!["name"]!.GetValue<string>(), joined["rv"]!.GetValue<string>()));
        Assert.Equal("a", joined["labels"]![label]!.GetValue<string>());

        // Out of shard a by removing the label: the reverse.
        await RelabelAsync("w-a", null);
        var leftA = await NextChangeAsync(shardA);
        Assert.Equal(("DELETED", "w-a", "a"), (Type(leftA), leftA!["name"]!.GetValue<string>(), leftA["labels"]![label]!.GetValue<string>()));
        var joinedDefault = await NextChangeAsync(byDefault);
        Assert.Equal(("ADDED", "w-a"), (Type(joinedDefault), joinedDefault!["name"]!.GetValue<string>()));

        // "stop" ends each script as it arrives there: nothing else reached either watch meanwhile.
        Assert.Equal(201, (await fixture.SendAsync(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "stop"))).Code);
        var stopDefault = await NextChangeAsync(byDefault);
        Assert.Equal(("ADDED", "stop"), (Type(stopDefault), stopDefault!["name"]!.GetValue<string>()));
        Assert.Equal("END", Type(await NextChangeAsync(byDefault)));
        await RelabelAsync("stop", "a");
        var stopA = await NextChangeAsync(shardA);
        Assert.Equal(("ADDED", "stop"), (Type(stopA), stopA!["name"]!.GetValue<string>()));
        Assert.Equal("END", Type(await NextChangeAsync(shardA)));
        foreach (var run in new[] { byDefault, shardA })
        {
            var (code, _, stderr) = await run.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(code == 0, stderr);
        }
    }

    private static async Task<JsonNode?> NextChangeAsync(PythonRun run)
    {
        while (true)
        {
            var next = await run.NextAsync();
            if (next?["type"]?.GetValue<string>() != "BOOKMARK")
            {
                return next;
            }
        }
    }
}
