using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Simulators.Aws;
using k8s;
using k8s.Models;

namespace EksOperator.Bench.Scale;

/// <summary>One spec change: the node group's AWS identity ("cluster/nodegroup") and when the PATCH was sent and answered.</summary>
internal sealed record Change(string Resource, DateTimeOffset SentAt, DateTimeOffset PatchedAt);

/// <summary>Roles every object names instead of letting the operator create one per object.</summary>
internal sealed record SharedRoles(string Cluster, string Node, string PodExecution);

/// <summary>
/// Where a share of the fleet lives: its namespace (which an AwsIdentity may map to an account), the default network of
/// that account, and the shared roles of that account, if any.
/// </summary>
internal sealed record FleetAccount(string Id, string Namespace, AwsDefaultNetwork Network, SharedRoles? Roles);

/// <summary>
/// The benchmark's objects: per cluster an EksCluster, two ManagedNodeGroups and one FargateProfile. Cluster i lives
/// in account i mod the number of accounts (with one account: everything in the default namespace). With several
/// shards, cluster i and its children carry the label <c>eks.operator.dev/shard: s{i mod shards}</c> (with one: no label).
/// </summary>
internal sealed class Fleet(string kubeconfig, int clusters, IReadOnlyList<FleetAccount> accounts, int shards = 1) : IDisposable
{
    private static readonly string[] Plurals = [OperatorApi.Plurals.EksClusters, OperatorApi.Plurals.ManagedNodeGroups, OperatorApi.Plurals.FargateProfiles];
    private readonly Kubernetes _client = new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    private readonly Dictionary<string, TimeSpan> _readyAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _shardReadyAt = new(StringComparer.Ordinal);

    public int Resources => clusters * 4;

    public static string ClusterName(int i) => $"c{i:D4}";

    /// <summary>When every object of an account's namespace was first seen Ready (elapsed on the wait's stopwatch).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ReadyAt => _readyAt;

    /// <summary>When every object of a shard was first seen Ready (sharded runs only).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ShardReadyAt => _shardReadyAt;

    public static string ShardName(int k) => $"s{k}";

    /// <summary>Cluster i's shard label, which its children carry too; null without sharding.</summary>
    private string? ShardOf(int i) => shards > 1 ? ShardName(i % shards) : null;

    private FleetAccount AccountOf(int i) => accounts[i % accounts.Count];

    public async Task ApplyAllAsync(int concurrency)
    {
        // In cluster order, so that with several accounts every account's objects arrive from the start.
        var objects = Enumerable.Range(0, clusters).SelectMany(Objects).ToList();
        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (o, ct) =>
            await _client.CustomObjects.CreateNamespacedCustomObjectAsync(o.Body, OperatorApi.Group, OperatorApi.Version, o.Namespace, o.Plural, cancellationToken: ct));
    }

    /// <summary>Lists the three kinds until every object is Ready for its generation; false on timeout.</summary>
    public async Task<bool> WaitAllReadyAsync(Stopwatch since, TimeSpan timeout, TimeSpan interval)
    {
        var lastPrint = TimeSpan.Zero;
        TimeSpan? stalledSince = null;
        while (since.Elapsed < timeout)
        {
            var counts = new int[Plurals.Length];
            var stalled = 0;
            var notReady = new HashSet<string>(StringComparer.Ordinal);
            var shardsNotReady = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < Plurals.Length; k++)
            {
                var items = await ListAsync(Plurals[k]);
                counts[k] = items.Count(IsReady);
                stalled += items.Count(IsStalled);
                foreach (var o in items.Where(o => !IsReady(o)))
                {
                    notReady.Add((string?)o["metadata"]?["namespace"] ?? "");
                    shardsNotReady.Add(LabelOf(o) ?? "");
                }
            }

            var ready = counts.Sum();
            foreach (var account in accounts.Where(a => !notReady.Contains(a.Namespace)))
            {
                _readyAt.TryAdd(account.Id, since.Elapsed);
            }

            for (var k = 0; k < shards && shards > 1; k++)
            {
                if (!shardsNotReady.Contains(ShardName(k))) _shardReadyAt.TryAdd(ShardName(k), since.Elapsed);
            }

            if (ready == Resources) return true;

            // Stalled needs a human (a quota, a refused spec): waiting longer would only hide it.
            stalledSince = stalled == 0 ? null : stalledSince ?? since.Elapsed;
            if (since.Elapsed - stalledSince > StalledGrace)
            {
                Console.WriteLine($"  {stalled} object(s) Stalled for over {StalledGrace.TotalSeconds:F0} s; giving up");
                return false;
            }
            if (since.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = since.Elapsed;
                Console.WriteLine($"  {since.Elapsed.TotalSeconds,6:F0} s: Ready clusters {counts[0]}/{clusters}, node groups {counts[1]}/{clusters * 2}, profiles {counts[2]}/{clusters}");
            }

            await Task.Delay(interval, TimeProvider.System);
        }

        return false;
    }

    /// <summary>
    /// Per kind, the objects whose status.shard (who claimed it last) is not the shard of their label: none when every
    /// object was reconciled by its own shard only (a claim by the other shard would have been a status write of its name).
    /// </summary>
    public async Task<IReadOnlyList<string>> ShardMismatchesAsync()
    {
        var mismatches = new List<string>();
        foreach (var plural in Plurals)
        {
            foreach (var o in await ListAsync(plural))
            {
                var claimed = (string?)o["status"]?["shard"];
                if (claimed != LabelOf(o)) mismatches.Add($"{plural}/{o["metadata"]?["name"]}: label {LabelOf(o) ?? "none"}, status.shard {claimed ?? "none"}");
            }
        }

        return mismatches;
    }

    public async Task<string> DescribeNotReadyAsync()
    {
        var lines = new List<string>();
        foreach (var plural in Plurals)
        {
            foreach (var o in (await ListAsync(plural)).Where(o => !IsReady(o)).Take(3))
            {
                var conditions = o["status"]?["conditions"]?.AsArray().Select(c => $"{c?["type"]}={c?["status"]} {c?["reason"]}: {c?["message"]}");
                lines.Add($"{plural}/{o["metadata"]?["name"]}: {string.Join("; ", conditions ?? [])}");
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// Patches spec.scaling.desiredSize (2 ↔ 3) of node groups in turn at <paramref name="perSecond"/>, never touching one
    /// changed less than <paramref name="minGap"/> ago (its previous update may still be running).
    /// </summary>
    public async Task<IReadOnlyList<Change>> ChangeNodeGroupsAsync(int count, double perSecond, TimeSpan minGap)
    {
        var names = Enumerable.Range(0, clusters)
            .SelectMany(i => new[] { (Cluster: ClusterName(i), NodeGroup: $"{ClusterName(i)}-a", AccountOf(i).Namespace), (Cluster: ClusterName(i), NodeGroup: $"{ClusterName(i)}-b", AccountOf(i).Namespace) })
            .ToList();
        var lastChanged = new TimeSpan?[names.Count];
        var desired = Enumerable.Repeat(2, names.Count).ToArray();
        var changes = new List<Change>(count);
        var clock = Stopwatch.StartNew();
        var next = 0;
        for (var k = 0; k < count; k++)
        {
            var due = TimeSpan.FromSeconds(k / perSecond);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, TimeProvider.System);
            int pick;
            while (true)
            {
                pick = Enumerable.Range(0, names.Count).Select(j => (next + j) % names.Count)
                    .FirstOrDefault(j => lastChanged[j] is not { } at || clock.Elapsed - at >= minGap, -1);
                if (pick >= 0) break;
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            }

            next = (pick + 1) % names.Count;
            desired[pick] = desired[pick] == 2 ? 3 : 2;
            var patch = new JsonObject { ["spec"] = new JsonObject { ["scaling"] = new JsonObject { ["desiredSize"] = desired[pick] } } };
            var sent = TimeProvider.System.GetUtcNow();
            await _client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), OperatorApi.Group, OperatorApi.Version, names[pick].Namespace, OperatorApi.Plurals.ManagedNodeGroups, names[pick].NodeGroup);
            changes.Add(new Change($"{names[pick].Cluster}/{names[pick].NodeGroup}", sent, TimeProvider.System.GetUtcNow()));
            lastChanged[pick] = clock.Elapsed;
            if ((k + 1) % 200 == 0) Console.WriteLine($"  {k + 1}/{count} changes");
        }

        return changes;
    }

    public void Dispose() => _client.Dispose();

    private async Task<IReadOnlyList<JsonNode>> ListAsync(string plural)
    {
        var all = new List<JsonNode>();
        foreach (var ns in accounts.Select(a => a.Namespace).Distinct(StringComparer.Ordinal))
        {
            var list = await _client.CustomObjects.ListNamespacedCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, ns, plural);
            var items = JsonSerializer.SerializeToNode(list)?["items"]?.AsArray();
            if (items is not null) all.AddRange(items.OfType<JsonNode>());
        }

        return all;
    }

    private static readonly TimeSpan StalledGrace = TimeSpan.FromSeconds(15);

    private static string? LabelOf(JsonNode o) => (string?)o["metadata"]?["labels"]?[Labels.Shard];

    private static bool IsStalled(JsonNode o) =>
        o["status"]?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Stalled" && (string?)c?["status"] == "True") == true;

    private static bool IsReady(JsonNode o) =>
        o["status"]?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true
        && o["status"]?["observedGeneration"]?.GetValue<long>() == o["metadata"]?["generation"]?.GetValue<long>();

    private IEnumerable<(string Namespace, string Plural, JsonObject Body)> Objects(int i) =>
        Unnulled(ObjectsWithNulls(i)).Select(o => (AccountOf(i).Namespace, o.Plural, o.Body));

    // Unset fields are left out rather than sent as null.
    private static IEnumerable<(string Plural, JsonObject Body)> Unnulled(IEnumerable<(string Plural, JsonObject Body)> objects)
    {
        foreach (var (plural, body) in objects)
        {
            var spec = body["spec"]!.AsObject();
            foreach (var key in spec.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList()) spec.Remove(key);
            yield return (plural, body);
        }
    }

    private IEnumerable<(string Plural, JsonObject Body)> ObjectsWithNulls(int i)
    {
        var name = ClusterName(i);
        var (_, ns, network, roles) = AccountOf(i);
        var shard = ShardOf(i);
        JsonObject Meta(string n) => shard is null
            ? new() { ["name"] = n, ["namespace"] = ns }
            : new() { ["name"] = n, ["namespace"] = ns, ["labels"] = new JsonObject { [Labels.Shard] = shard } };
        JsonArray Strings(IEnumerable<string> values) => [.. values.Select(v => (JsonNode)v)];
        yield return (OperatorApi.Plurals.EksClusters, new JsonObject
        {
            ["apiVersion"] = $"{OperatorApi.Group}/{OperatorApi.Version}",
            ["kind"] = "EksCluster",
            ["metadata"] = Meta(name),
            ["spec"] = new JsonObject
            {
                ["version"] = "1.33",
                ["vpc"] = new JsonObject { ["subnetIds"] = Strings(network.PrivateSubnetIds) },
                ["tags"] = new JsonObject { ["bench"] = "scale" },
                ["roleArn"] = roles?.Cluster,
            },
        });
        foreach (var suffix in new[] { "a", "b" })
        {
            yield return (OperatorApi.Plurals.ManagedNodeGroups, new JsonObject
            {
                ["apiVersion"] = $"{OperatorApi.Group}/{OperatorApi.Version}",
                ["kind"] = "ManagedNodeGroup",
                ["metadata"] = Meta($"{name}-{suffix}"),
                ["spec"] = new JsonObject
                {
                    ["clusterRef"] = new JsonObject { ["name"] = name },
                    ["scaling"] = new JsonObject { ["minSize"] = 1, ["maxSize"] = 4, ["desiredSize"] = 2 },
                    ["instanceTypes"] = Strings(["m6i.large"]),
                    ["labels"] = new JsonObject { ["pool"] = suffix },
                    ["nodeRoleArn"] = roles?.Node,
                },
            });
        }

        yield return (OperatorApi.Plurals.FargateProfiles, new JsonObject
        {
            ["apiVersion"] = $"{OperatorApi.Group}/{OperatorApi.Version}",
            ["kind"] = "FargateProfile",
            ["metadata"] = Meta($"{name}-fp"),
            ["spec"] = new JsonObject
            {
                ["clusterRef"] = new JsonObject { ["name"] = name },
                ["subnetIds"] = Strings(network.PrivateSubnetIds.Take(2)),
                ["selectors"] = new JsonArray(new JsonObject { ["namespace"] = "jobs" }),
                ["podExecutionRoleArn"] = roles?.PodExecution,
            },
        });
    }
}
