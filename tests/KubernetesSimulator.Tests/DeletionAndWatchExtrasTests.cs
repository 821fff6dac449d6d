using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>Propagation policies, deletecollection, sendInitialEvents and Table watch events.</summary>
[Collection(SharedSimulator.Name)]
public sealed class DeletionAndWatchExtrasTests(SimulatorFixture fixture)
{
    private static string Widgets(string ns) => $"/apis/example.com/v1/namespaces/{ns}/widgets";

    private async Task<string> OwnerWithDependentAsync(string ns)
    {
        var (_, owner) = await fixture.SendAsync(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "owner"));
        var uid = owner!["metadata"]!["uid"]!.GetValue<string>();
        var dependent = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "owned",
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Widget", ["name"] = "owner", ["uid"] = uid }),
            },
        };
        Assert.Equal(201, (await fixture.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", dependent)).Code);
        return uid;
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents_and_drops_their_owner_reference()
    {
        var ns = await fixture.NewNamespaceAsync("orphan");
        await OwnerWithDependentAsync(ns);
        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Orphan" };
        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Delete, $"{Widgets(ns)}/owner", options)).Code);
        var (code, kept) = await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/owned");
        Assert.Equal(200, code);
        Assert.Empty(kept!["metadata"]!["ownerReferences"]!.AsArray());
    }

    [Fact]
    public async Task Foreground_propagation_removes_dependents_before_the_owner_answer()
    {
        var ns = await fixture.NewNamespaceAsync("foreground");
        await OwnerWithDependentAsync(ns);
        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Delete, $"{Widgets(ns)}/owner?propagationPolicy=Foreground")).Code);
        Assert.Equal(404, (await fixture.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/owned")).Code);
    }

    [Fact]
    public async Task Delete_preconditions_mismatch_gives_409()
    {
        var ns = await fixture.NewNamespaceAsync("precond");
        await fixture.SendAsync(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "w1"));
        var options = new JsonObject { ["preconditions"] = new JsonObject { ["uid"] = "not-the-uid" } };
        Assert.Equal(409, (await fixture.SendAsync(HttpMethod.Delete, $"{Widgets(ns)}/w1", options)).Code);
        Assert.Equal(200, (await fixture.SendAsync(HttpMethod.Get, $"{Widgets(ns)}/w1")).Code);
    }

    [Fact]
    public async Task Delete_collection_honours_the_label_selector()
    {
        var ns = await fixture.NewNamespaceAsync("delcol");
        foreach (var (name, team) in new[] { ("a", "x"), ("b", "y"), ("c", "x") })
        {
            var widget = SimulatorFixture.Widget(ns, name);
            widget["metadata"]!["labels"] = new JsonObject { ["team"] = team };
            await fixture.SendAsync(HttpMethod.Post, Widgets(ns), widget);
        }

        var (code, deleted) = await fixture.SendAsync(HttpMethod.Delete, $"{Widgets(ns)}?labelSelector=team%3Dx");
        Assert.Equal(200, code);
        Assert.Equal(["a", "c"], deleted!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        var (_, left) = await fixture.SendAsync(HttpMethod.Get, Widgets(ns));
        Assert.Equal("b", Assert.Single(left!["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_initial_events_ends_with_an_annotated_bookmark()
    {
        var ns = await fixture.NewNamespaceAsync("initial");
        await fixture.SendAsync(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "a"));
        await using var watch = await WatchStream.OpenAsync(fixture.Http,
            $"{Widgets(ns)}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true");
        Assert.Equal("ADDED", (await watch.NextAsync())!["type"]!.GetValue<string>());
        var end = await watch.NextAsync();
        Assert.Equal("BOOKMARK", end!["type"]!.GetValue<string>());
        Assert.Equal("true", end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watch_with_table_accept_sends_one_row_tables()
    {
        var ns = await fixture.NewNamespaceAsync("tablewatch");
        await fixture.SendAsync(HttpMethod.Post, Widgets(ns), SimulatorFixture.Widget(ns, "a"));
        await using var watch = await WatchStream.OpenAsync(fixture.Http, $"{Widgets(ns)}?watch=1",
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        var added = await watch.NextChangeAsync();
        Assert.Equal("Table", added!["object"]!["kind"]!.GetValue<string>());
        Assert.Equal("a", added["object"]!["rows"]![0]!["cells"]![0]!.GetValue<string>());
    }
}
