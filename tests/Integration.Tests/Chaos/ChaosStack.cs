using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Entities.V1Alpha1;
using k8s.Autorest;

namespace EksOperator.Integration.Tests.Chaos;

/// <summary>
/// One cluster with two node groups, a Fargate profile and, with <c>addons</c>, two add-ons following EKS's default
/// version (kube-proxy, built for one minor, moves at every upgrade step; coredns when its band of minors changes), driven the way a user drives it: every write is retried
/// on the conflicts and errors the API server may answer (injected here), and convergence means that AWS, as the
/// simulator holds it, equals the latest spec.
/// </summary>
internal sealed class ChaosStack(OperatorEnvironment env, string cluster, bool addons = false)
{
    public string Cluster => cluster;

    public string NodeGroupA => cluster + "-a";

    public string NodeGroupB => cluster + "-b";

    public string Profile => cluster + "-fp";

    public IEnumerable<string> NodeGroups => [NodeGroupA, NodeGroupB];

    /// <summary>The add-ons' names in EKS; the objects are named cluster-name.</summary>
    public static IReadOnlyList<string> AddonNames => ["kube-proxy", "coredns"];

    public IEnumerable<string> Addons => addons ? AddonNames.Select(AddonObject) : [];

    public string AddonObject(string awsName) => $"{cluster}-{awsName}";

    public async Task CreateAsync(string version)
    {
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        await RetryAsync(() => env.CreateAsync(Manifests.Cluster(cluster, subnets, version)));
        await RetryAsync(() => env.CreateAsync(Manifests.NodeGroup(NodeGroupA, cluster)));
        await RetryAsync(() => env.CreateAsync(Manifests.NodeGroup(NodeGroupB, cluster)));
        await RetryAsync(() => env.CreateAsync(Manifests.Profile(Profile, cluster, subnets)));
        foreach (var name in addons ? AddonNames : []) await RetryAsync(() => env.CreateAsync(Manifests.Addon(cluster, name, "default")));
    }

    public Task PatchNodeGroupAsync(string name, object spec) => RetryAsync(() => env.PatchSpecAsync<ManagedNodeGroup>(name, spec));

    public Task PatchClusterAsync(object spec) => RetryAsync(() => env.PatchSpecAsync<EksCluster>(cluster, spec));

    public Task DeleteAsync() => RetryAsync(async () =>
    {
        try
        {
            await env.DeleteAsync<EksCluster>(cluster);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // A retried delete whose first attempt went through.
        }
    });

    /// <summary>Null when every object is Ready for its latest generation and AWS equals its spec; else what differs.</summary>
    public async Task<string?> DivergenceAsync()
    {
        var c = await env.GetAsync<EksCluster>(cluster);
        var groups = new List<ManagedNodeGroup?>();
        foreach (var name in NodeGroups) groups.Add(await env.GetAsync<ManagedNodeGroup>(name));
        var profile = await env.GetAsync<FargateProfile>(Profile);
        var addonObjects = new List<Addon?>();
        foreach (var name in Addons) addonObjects.Add(await env.GetAsync<Addon>(name));
        if (c is null || profile is null || groups.Any(g => g is null) || addonObjects.Any(a => a is null)) return "an object is missing";
        IEksResource[] all = [c, profile, .. groups!, .. addonObjects!];
        if (all.FirstOrDefault(o => !OperatorEnvironment.IsReady(o)) is { } notReady) return $"{notReady.Metadata.Name} not Ready at generation {notReady.Metadata.Generation}";
        if (c.Status?.Upgrade is { } upgrade) return $"cluster upgrade still in {upgrade.Step}/{upgrade.Phase}";

        var state = await env.AwsStateAsync();
        var aws = state["clusters"]!.AsArray().SingleOrDefault(x => (string?)x!["name"] == cluster);
        if (aws is null) return $"cluster {cluster} not in AWS";
        if ((string?)aws["version"] != c.Spec.Version) return $"cluster version {aws["version"]} in AWS, {c.Spec.Version} in spec";
        if (!TagsInclude(aws["tags"], c.Spec.Tags)) return $"cluster tags {aws["tags"]!.ToJsonString()} lack spec tags";
        var logging = aws["logging"]!.AsArray().Select(l => (string)l!).Order(StringComparer.Ordinal);
        var wantedLogging = (c.Spec.Logging ?? []).Select(l => System.Text.Json.JsonSerializer.Serialize(l).Trim('"')).Order(StringComparer.Ordinal);
        if (!logging.SequenceEqual(wantedLogging)) return $"cluster logging {aws["logging"]!.ToJsonString()} in AWS differs from spec";
        if (aws["fargateProfiles"]!.AsArray().Count(p => (string?)p!["name"] == Profile && (string?)p["status"] == "ACTIVE") != 1) return "Fargate profile not ACTIVE in AWS";
        foreach (var g in groups)
        {
            var ng = aws["nodegroups"]!.AsArray().SingleOrDefault(x => (string?)x!["name"] == g!.Metadata.Name);
            if (ng is null) return $"node group {g!.Metadata.Name} not in AWS";
            var s = g!.Spec.Scaling;
            var awsScaling = ((int)ng["minSize"]!, (int)ng["maxSize"]!, (int)ng["desiredSize"]!);
            if (awsScaling != (s.MinSize, s.MaxSize, s.DesiredSize ?? awsScaling.Item3)) return $"{g.Metadata.Name} scaling {awsScaling} in AWS, {(s.MinSize, s.MaxSize, s.DesiredSize)} in spec";
            var labels = ng["labels"]!.AsObject().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
            var wanted = g.Spec.Labels ?? new Dictionary<string, string>();
            if (labels.Count != wanted.Count || wanted.Any(kv => !labels.TryGetValue(kv.Key, out var v) || v != kv.Value)) return $"{g.Metadata.Name} labels {ng["labels"]!.ToJsonString()} in AWS differ from spec";
            if ((string?)ng["version"] != (g.Spec.Version ?? c.Spec.Version)) return $"{g.Metadata.Name} version {ng["version"]} in AWS, cluster at {c.Spec.Version}";
        }

        foreach (var a in addonObjects)
        {
            var s = a!.Status!;
            var awsAddon = aws["addons"]!.AsArray().SingleOrDefault(x => (string?)x!["name"] == a.Spec.Name);
            if (awsAddon is null) return $"add-on {a.Spec.Name} not in AWS";
            if ((string?)awsAddon["status"] != "ACTIVE") return $"add-on {a.Spec.Name} {awsAddon["status"]} in AWS";
            if (s.KubernetesVersion != c.Spec.Version) return $"{a.Metadata.Name} chose its version for {s.KubernetesVersion}, cluster at {c.Spec.Version}";
            if (s.Version != s.TargetVersion || (string?)awsAddon["version"] != s.Version) return $"{a.Metadata.Name} at {awsAddon["version"]} in AWS, {s.Version} in status, {s.TargetVersion} targeted";
        }

        return null;
    }

    public Task ConvergedAsync(ChaosRun run, TimeSpan timeout) => OperatorEnvironment.EventuallyAsync(
        DivergenceAsync, d => d is null, run.Because($"stack {cluster} converged to its spec"), timeout);

    public async Task GoneAsync(ChaosRun run, TimeSpan timeout)
    {
        await OperatorEnvironment.EventuallyAsync(
            async () =>
            {
                var left = new List<string>();
                if (await env.GetAsync<EksCluster>(cluster) is not null) left.Add(cluster);
                foreach (var name in NodeGroups) if (await env.GetAsync<ManagedNodeGroup>(name) is not null) left.Add(name);
                if (await env.GetAsync<FargateProfile>(Profile) is not null) left.Add(Profile);
                foreach (var name in Addons) if (await env.GetAsync<Addon>(name) is not null) left.Add(name);
                return left;
            },
            left => left.Count == 0,
            run.Because($"stack {cluster} deleted"),
            timeout);
    }

    /// <summary>A user (or kubectl) retries writes the API server refused with a conflict or a server error.</summary>
    public static async Task RetryAsync(Func<Task> write)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (HttpOperationException e) when (attempt < 50 && (e.Response.StatusCode is HttpStatusCode.Conflict || (int)e.Response.StatusCode >= 500))
            {
                await Task.Delay(50);
            }
        }
    }

    private static bool TagsInclude(JsonNode? aws, IDictionary<string, string>? wanted) =>
        wanted is null || wanted.All(kv => (string?)aws?[kv.Key] == kv.Value);
}
