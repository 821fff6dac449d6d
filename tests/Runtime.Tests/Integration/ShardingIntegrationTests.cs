using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EksOperator.Runtime.Cache;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EksOperator.Runtime.Tests.Integration;

/// <summary>
/// Two shards' informers against the simulator: a relabel moves an object out of one cache (Deleted) and into the
/// other (Added); a kind outside the sharded groups is seen whole by both. Then another shard's Lease as the handover
/// rule reads it, the claim guarded by the resourceVersion, and the conditional release of status.shard.
/// </summary>
public sealed class ShardingIntegrationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string Label = "test.example.com/shard";

    private Informer<T> Start<T>(string ns, string shard, ConcurrentQueue<string> seen, CancellationToken stop)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var informer = new Informer<T>(
            fixture.Api,
            ResourceType.For<T>(),
            new InformerSettings([ns], null, TimeSpan.FromMinutes(1), Shards: new ShardFilter(Label, shard, ["test.example.com"])),
            TimeProvider.System,
            NullLogger.Instance);
        informer.Subscribe(e => seen.Enqueue($"{e.Type} {e.Object.Metadata.Name}"));
        _ = informer.RunAsync(stop);
        return informer;
    }

    private static V1Patch LabelPatch(string value) =>
        new("{\"metadata\":{\"labels\":{\"" + Label + "\":" + value + "}}}", V1Patch.PatchType.MergePatch);

    private static TestWidget Widget(string name, string? shard) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = shard is null ? null : new Dictionary<string, string> { [Label] = shard } },
    };

    [Fact]
    public async Task A_relabel_moves_the_object_from_one_shard_cache_to_the_other_and_other_kinds_are_not_split()
    {
        var ns = await fixture.NewNamespaceAsync();
        foreach (var w in new[] { Widget("w-default", null), Widget("w-a", "a"), Widget("w-b", "b") })
        {
            await fixture.Client.CustomObjects.CreateNamespacedCustomObjectAsync(w, "test.example.com", "v1", ns, "widgets");
        }

        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm", Labels = new Dictionary<string, string> { [Label] = "a" } } }, ns);
        using var stop = new CancellationTokenSource();
        var seenA = new ConcurrentQueue<string>();
        var seenDefault = new ConcurrentQueue<string>();
        var a = Start<TestWidget>(ns, "a", seenA, stop.Token);
        var byDefault = Start<TestWidget>(ns, ShardingOptions.DefaultShard, seenDefault, stop.Token);
        var mapsA = Start<V1ConfigMap>(ns, "a", new ConcurrentQueue<string>(), stop.Token);
        var mapsDefault = Start<V1ConfigMap>(ns, ShardingOptions.DefaultShard, new ConcurrentQueue<string>(), stop.Token);
        foreach (var informer in new IInformer[] { a, byDefault, mapsA, mapsDefault })
        {
            await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(["w-a"], a.Store.List().Select(w => w.Metadata.Name));
        Assert.Equal(["w-default"], byDefault.Store.List().Select(w => w.Metadata.Name));
        Assert.Single(mapsA.Store.List());
        Assert.Single(mapsDefault.Store.List());

        // Into shard a from the default shard, then back out by removing the label.
        await fixture.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            LabelPatch("\"a\""), "test.example.com", "v1", ns, "widgets", "w-default");
        await SimulatorFixture.Eventually(() => seenA.Contains("Added w-default") && seenDefault.Contains("Deleted w-default"), "w-default moved to shard a");
        await fixture.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            LabelPatch("null"), "test.example.com", "v1", ns, "widgets", "w-a");
        await SimulatorFixture.Eventually(() => seenA.Contains("Deleted w-a") && seenDefault.Contains("Added w-a"), "w-a moved to the default shard");

        Assert.Equal(["w-default"], a.Store.List().Select(w => w.Metadata.Name));
        Assert.Equal(["w-a"], byDefault.Store.List().Select(w => w.Metadata.Name));
        await stop.CancelAsync();
    }

    [Fact]
    public async Task Another_shard_Lease_is_held_until_it_lapses_and_a_release_names_the_shard_it_takes_from()
    {
        var ns = await fixture.NewNamespaceAsync();
        var runtime = new ControllerRuntimeOptions();
        runtime.LeaderElection.LeaseName = "op";
        runtime.LeaderElection.LeaseNamespace = ns;
        runtime.Sharding.LabelKey = Label;
        runtime.Sharding.Groups.Add("test.example.com");
        runtime.Sharding.Shard = "b";
        var types = new ResourceTypes();
        var shards = new Shards(fixture.Api, fixture.Client, types, Options.Create(runtime), TimeProvider.System, NullLogger<Shards>.Instance);

        Assert.Equal(new ShardLease(false, null), await shards.LeaseOfAsync("a", CancellationToken.None));
        var now = DateTime.UtcNow;
        await fixture.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "op-a" },
            Spec = new V1LeaseSpec { HolderIdentity = "a-1", LeaseDurationSeconds = 15, RenewTime = now, AcquireTime = now },
        }, ns);
        await fixture.Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "op" },
            Spec = new V1LeaseSpec { HolderIdentity = "d-1", LeaseDurationSeconds = 1, RenewTime = now.AddMinutes(-1) },
        }, ns);
        Assert.Equal(new ShardLease(true, "a-1"), await shards.LeaseOfAsync("a", CancellationToken.None));
        Assert.False((await shards.LeaseOfAsync(ShardingOptions.DefaultShard, CancellationToken.None)).Held);

        await fixture.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w", "b"), "test.example.com", "v1", ns, "widgets");
        await fixture.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"shard":"a"}}""", V1Patch.PatchType.MergePatch), "test.example.com", "v1", ns, "widgets", "w");
        var key = new ObjectKey(ns, "w");
        Assert.False(await shards.ReleaseAsync<TestWidget>(key, "b", CancellationToken.None));

        // A claim names the version the shard saw: stale, it is refused (409) and changes nothing.
        var stale = KubernetesJson.Deserialize<TestWidget>(KubernetesJson.Serialize(
            await fixture.Client.CustomObjects.GetNamespacedCustomObjectAsync("test.example.com", "v1", ns, "widgets", "w")));
        var seen = stale.Metadata.ResourceVersion;
        stale.Metadata.ResourceVersion = "1";
        Assert.Null(await shards.ClaimAsync(stale, CancellationToken.None));
        Assert.Equal("a", await ShardOfAsync(ns));
        stale.Metadata.ResourceVersion = seen;
        var claimed = await shards.ClaimAsync(stale, CancellationToken.None);
        Assert.NotNull(claimed);
        Assert.NotEqual(seen, claimed);
        Assert.Equal("b", await ShardOfAsync(ns));
        Assert.False(await shards.ReleaseAsync<TestWidget>(key, "a", CancellationToken.None));
        Assert.True(await shards.ReleaseAsync<TestWidget>(key, "b", CancellationToken.None));
        await fixture.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"shard":"a"}}""", V1Patch.PatchType.MergePatch), "test.example.com", "v1", ns, "widgets", "w");
        Assert.Equal("a", await ShardOfAsync(ns));
        Assert.True(await shards.ReleaseAsync<TestWidget>(key, "a", CancellationToken.None));
        Assert.Null(await ShardOfAsync(ns));
        Assert.False(await shards.ReleaseAsync<TestWidget>(new ObjectKey(ns, "gone"), "a", CancellationToken.None));
    }

    private async Task<string?> ShardOfAsync(string ns)
    {
        var obj = await fixture.Client.CustomObjects.GetNamespacedCustomObjectAsync("test.example.com", "v1", ns, "widgets", "w");
        return JsonNode.Parse(KubernetesJson.Serialize(obj))?["status"]?["shard"]?.GetValue<string>();
    }
}
