using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>The official C# KubernetesClient against the simulator.</summary>
[Collection(SharedSimulator.Name)]
public sealed class ClientTests(SimulatorFixture fixture)
{
    private const string Group = "example.com";
    private const string Version = "v1";
    private const string Plural = "widgets";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private IKubernetes Client => fixture.Client;

    private static JsonNode Node(object o) => o is JsonElement e ? JsonNode.Parse(e.GetRawText())! : JsonSerializer.SerializeToNode(o)!;

    private static string Rv(JsonNode o) => o["metadata"]!["resourceVersion"]!.GetValue<string>();

    private static long Generation(JsonNode o) => o["metadata"]!["generation"]!.GetValue<long>();

    private async Task<JsonNode> CreateAsync(string ns, string name, string? tier = null, JsonArray? finalizers = null)
    {
        var widget = SimulatorFixture.Widget(ns, name, tier);
        if (finalizers is not null)
        {
            widget["metadata"]!["finalizers"] = finalizers;
        }

        return Node(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Group, Version, ns, Plural));
    }

    private async Task<JsonNode> GetAsync(string ns, string name) =>
        Node(await Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, ns, Plural, name));

    [Fact]
    public async Task Crud_round_trip_with_server_set_metadata_and_defaults()
    {
        var ns = await fixture.NewNamespaceAsync("crud");
        var created = await CreateAsync(ns, "w1", tier: "gold");
        Assert.False(string.IsNullOrEmpty(created["metadata"]!["uid"]!.GetValue<string>()));
        Assert.NotNull(created["metadata"]!["creationTimestamp"]);
        Assert.Equal(1, Generation(created));
        Assert.Equal(1, created["spec"]!["replicas"]!.GetValue<int>()); // schema default

        var fetched = await GetAsync(ns, "w1");
        Assert.Equal(Rv(created), Rv(fetched));

        fetched["spec"]!["replicas"] = 2;
        var replaced = Node(await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(fetched, Group, Version, ns, Plural, "w1"));
        Assert.Equal(2, Generation(replaced));
        Assert.NotEqual(Rv(fetched), Rv(replaced));

        var patched = Node(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"metadata\":{\"labels\":{\"team\":\"a\"}}}", V1Patch.PatchType.MergePatch), Group, Version, ns, Plural, "w1"));
        Assert.Equal("a", patched["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal(2, Generation(patched)); // metadata-only change

        var list = Node(await Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, ns, Plural, labelSelector: "team=a"));
        var item = Assert.Single(list["items"]!.AsArray());
        Assert.Equal("Widget", item!["kind"]!.GetValue<string>());
        Assert.Equal("example.com/v1", item["apiVersion"]!.GetValue<string>());

        var deleted = Node(await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, "w1"));
        Assert.Equal("Status", deleted["kind"]!.GetValue<string>());
        Assert.Equal("widgets", deleted["details"]!["kind"]!.GetValue<string>());
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => GetAsync(ns, "w1"));
        Assert.Equal(404, (int)missing.Response.StatusCode);
        Assert.Equal("NotFound", JsonNode.Parse(missing.Response.Content)!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stale_update_gets_409_conflict_status()
    {
        var ns = await fixture.NewNamespaceAsync("conflict");
        var stale = await CreateAsync(ns, "w1");
        var fresh = await GetAsync(ns, "w1");
        fresh["spec"]!["replicas"] = 5;
        await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(fresh, Group, Version, ns, Plural, "w1");

        stale["spec"]!["replicas"] = 7;
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(stale, Group, Version, ns, Plural, "w1"));
        Assert.Equal(409, (int)error.Response.StatusCode);
        var status = JsonNode.Parse(error.Response.Content)!;
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Contains("the object has been modified", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(5, (await GetAsync(ns, "w1"))["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Status_writes_do_not_touch_spec_or_generation_and_main_writes_ignore_status()
    {
        var ns = await fixture.NewNamespaceAsync("status");
        var created = await CreateAsync(ns, "w1");
        var withStatus = created.DeepClone();
        withStatus["spec"]!["replicas"] = 9;
        withStatus["status"] = new JsonObject { ["observedGeneration"] = 1 };
        var afterStatus = Node(await Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(withStatus, Group, Version, ns, Plural, "w1"));
        Assert.Equal(1, afterStatus["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(1, afterStatus["status"]!["observedGeneration"]!.GetValue<int>());
        Assert.Equal(1, Generation(afterStatus));

        var mainWrite = afterStatus.DeepClone();
        mainWrite["status"] = new JsonObject { ["observedGeneration"] = 42 };
        var afterMain = Node(await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(mainWrite, Group, Version, ns, Plural, "w1"));
        Assert.Equal(1, afterMain["status"]!["observedGeneration"]!.GetValue<int>());
        Assert.Equal(1, Generation(afterMain)); // nothing outside metadata/status changed
        Assert.Equal(Rv(afterStatus), Rv(afterMain)); // a no-op write keeps the resourceVersion
    }

    [Fact]
    public async Task Deletion_with_finalizers_marks_then_removes_when_the_last_finalizer_goes()
    {
        var ns = await fixture.NewNamespaceAsync("finalizer");
        await CreateAsync(ns, "w1", finalizers: new JsonArray("example.com/a"));
        var marked = Node(await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, "w1"));
        Assert.Equal("Widget", marked["kind"]!.GetValue<string>());
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        Assert.Equal(2, Generation(marked));

        var again = Node(await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, "w1"));
        Assert.Equal(Rv(marked), Rv(again));

        var adding = marked.DeepClone();
        adding["metadata"]!["finalizers"] = new JsonArray("example.com/a", "example.com/b");
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(adding, Group, Version, ns, Plural, "w1"));
        Assert.Equal(422, (int)forbidden.Response.StatusCode);

        var removing = marked.DeepClone();
        removing["metadata"]!["finalizers"] = new JsonArray();
        await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(removing, Group, Version, ns, Plural, "w1");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => GetAsync(ns, "w1"));
        Assert.Equal(404, (int)gone.Response.StatusCode);
    }

    [Fact]
    public async Task List_then_watch_from_the_list_resourceVersion_sees_later_changes_only()
    {
        var ns = await fixture.NewNamespaceAsync("watch");
        await CreateAsync(ns, "before");
        var list = Node(await Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, ns, Plural));
        Assert.Single(list["items"]!.AsArray());
        var listRv = Rv(list);

        using var cts = new CancellationTokenSource(Bound);
        var events = Channel.CreateUnbounded<(WatchEventType Type, JsonNode Object)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, obj) in Client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                Group, Version, ns, Plural, allowWatchBookmarks: true, resourceVersion: listRv, cancellationToken: cts.Token))
            {
                await events.Writer.WriteAsync((type, Node(obj)), cts.Token);
            }
        }, cts.Token);

        var first = await events.Reader.ReadAsync(cts.Token);
        Assert.Equal(WatchEventType.Bookmark, first.Type);
        await CreateAsync(ns, "after");
        var added = await NextNonBookmarkAsync(events.Reader, cts.Token);
        Assert.Equal(WatchEventType.Added, added.Type);
        Assert.Equal("after", added.Object["metadata"]!["name"]!.GetValue<string>());
        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, ns, Plural, "after", cancellationToken: cts.Token);
        var deleted = await NextNonBookmarkAsync(events.Reader, cts.Token);
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watching);
    }

    [Fact]
    public async Task Watch_resumed_from_a_resourceVersion_replays_exactly_the_later_events()
    {
        var ns = await fixture.NewNamespaceAsync("resume");
        var one = await CreateAsync(ns, "one");
        await CreateAsync(ns, "two");
        await CreateAsync(ns, "three");

        using var cts = new CancellationTokenSource(Bound);
        var names = new List<string>();
        await foreach (var (type, obj) in Client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Group, Version, ns, Plural, resourceVersion: Rv(one), cancellationToken: cts.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            names.Add(Node(obj)["metadata"]!["name"]!.GetValue<string>());
            if (names.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["two", "three"], names);
    }

    [Fact]
    public async Task Watch_from_an_expired_resourceVersion_reports_410_Expired()
    {
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { CrdFiles = [SimulatorFixture.CrdFiles[^1]], WatchHistorySize = 2 });
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = simulator.BaseAddress.ToString() });
        var first = Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(SimulatorFixture.Widget("default", "a"), Group, Version, "default", Plural));
        foreach (var name in new[] { "b", "c", "d" })
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(SimulatorFixture.Widget("default", name), Group, Version, "default", Plural);
        }

        using var cts = new CancellationTokenSource(Bound);
        Exception? error = null;
        await foreach (var _ in client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Group, Version, "default", Plural, resourceVersion: Rv(first), onError: e => error = e, cancellationToken: cts.Token))
        {
            Assert.Fail("no event may be delivered from an expired resourceVersion");
        }

        var expired = Assert.IsType<KubernetesException>(error);
        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);

        simulator.Faults.ExpireHistory();
        var list = Node(await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", Plural, cancellationToken: cts.Token));
        error = null;
        await foreach (var _ in client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Group, Version, "default", Plural, resourceVersion: Rv(list), timeoutSeconds: 1, allowWatchBookmarks: true, onError: e => error = e, cancellationToken: cts.Token))
        {
            // A relist's resourceVersion is resumable again (only bookmarks arrive here).
        }

        Assert.Null(error);
    }

    [Fact]
    public async Task Leases_support_leader_election_with_LeaseLock()
    {
        var ns = await fixture.NewNamespaceAsync("lease");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var config = (string identity) => new LeaderElectionConfig(new LeaseLock(Client, ns, "operator-lock", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };

        using var first = new LeaderElector(config("first"));
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        using var firstStop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var firstRun = first.RunUntilLeadershipLostAsync(firstStop.Token);
        await firstLeads.Task.WaitAsync(cts.Token);

        var lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-lock", ns, cancellationToken: cts.Token);
        Assert.Equal("first", lease.Spec.HolderIdentity);

        using var second = new LeaderElector(config("second"));
        var secondLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        second.OnStartedLeading += () => secondLeads.TrySetResult();
        using var secondStop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var secondRun = second.RunUntilLeadershipLostAsync(secondStop.Token);
        Assert.False(secondLeads.Task.IsCompleted);

        await firstStop.CancelAsync(); // the leader dies without releasing; the lease must expire first
        await secondLeads.Task.WaitAsync(cts.Token);
        lease = await Client.CoordinationV1.ReadNamespacedLeaseAsync("operator-lock", ns, cancellationToken: cts.Token);
        Assert.Equal("second", lease.Spec.HolderIdentity);
        Assert.True(lease.Spec.LeaseTransitions >= 1);
        await secondStop.CancelAsync();
        await Task.WhenAll(firstRun, secondRun).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task Lease_keeps_microsecond_times_and_rejects_stale_updates()
    {
        var ns = await fixture.NewNamespaceAsync("lease-rv");
        var now = new DateTime(2025, 5, 1, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234560);
        var lease = await Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l1" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, AcquireTime = now, RenewTime = now, LeaseTransitions = 0 },
        }, ns);
        var (_, raw) = await fixture.SendAsync(HttpMethod.Get, $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/l1");
        Assert.Equal("2025-05-01T10:00:00.123456Z", raw!["spec"]!["renewTime"]!.GetValue<string>());

        lease.Spec.HolderIdentity = "b";
        await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "l1", ns);
        lease.Spec.HolderIdentity = "c";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "l1", ns));
        Assert.Equal(409, (int)conflict.Response.StatusCode);
    }

    private static async Task<(WatchEventType Type, JsonNode Object)> NextNonBookmarkAsync(ChannelReader<(WatchEventType Type, JsonNode Object)> reader, CancellationToken ct)
    {
        while (true)
        {
            var next = await reader.ReadAsync(ct);
            if (next.Type != WatchEventType.Bookmark)
            {
                return next;
            }
        }
    }
}
