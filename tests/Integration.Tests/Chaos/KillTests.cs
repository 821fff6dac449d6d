using System.Threading.Channels;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Simulators.Aws;
using Xunit.Abstractions;

namespace EksOperator.Integration.Tests.Chaos;

/// <summary>Chaos scenarios run alone, after the rest: they start operator processes and time leader handovers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "Chaos";
}

/// <summary>
/// The operator process SIGKILLed right after AWS carried out one of its mutations (before or just after the answer
/// reached it), at every mutation of a whole create → update → upgrade → delete lifecycle, and restarted each time.
/// The upgrade's kills include its Addons phase: kube-proxy's UpdateAddon at every step.
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class KillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killed_at_every_AWS_mutation_of_a_lifecycle_the_restarted_operator_leaves_no_duplicate_and_no_orphan()
    {
        var run = new ChaosRun(output, "kill");
        await using var env = await OperatorEnvironment.StartAsync(startOperator: false);
        // The add-ons' calls come once or twice per stack (kube-proxy's UpdateAddon once per upgrade step): their first
        // kill is not left to the dice (a delayed kill can be overtaken by the next mutation, which then takes it).
        string[] addonCalls = ["eks:CreateAddon", "eks:UpdateAddon", "eks:DeleteAddon"];
        using var killer = new MutationKiller(env, run, maxKills: run.Long ? 400 : 80, coverBeforeAnswer: addonCalls);
        var stacks = Enumerable.Range(1, run.Long ? 3 : 1).Select(i => new ChaosStack(env, $"kill{i}", addons: true)).ToList();
        var timeout = TimeSpan.FromSeconds(run.Long ? 600 : 180);
        try
        {
            killer.Start();
            foreach (var s in stacks) await s.CreateAsync("1.33");
            foreach (var s in stacks) await s.ConvergedAsync(run, timeout);
            run.Log($"created; {killer.Fired.Count} kills so far");
            AssertNoDuplicates(env, run, stacks.Count);

            foreach (var s in stacks)
            {
                await s.PatchNodeGroupAsync(s.NodeGroupA, new { scaling = new { minSize = 1, maxSize = 4, desiredSize = 3 } });
                await s.PatchNodeGroupAsync(s.NodeGroupB, new { labels = new Dictionary<string, string> { ["role"] = s.NodeGroupB, ["tier"] = "gold" } });
                await s.PatchClusterAsync(new { tags = new Dictionary<string, string> { ["team"] = "platform", ["cost-center"] = "42" } });
            }

            foreach (var s in stacks) await s.ConvergedAsync(run, timeout);
            foreach (var s in stacks)
            {
                await s.PatchNodeGroupAsync(s.NodeGroupB, new { scaling = new { minSize = 2, maxSize = 5, desiredSize = 2 } });
                await s.PatchClusterAsync(new { logging = new[] { "api", "audit", "authenticator" } });
            }

            foreach (var s in stacks) await s.ConvergedAsync(run, timeout);
            run.Log($"updated; {killer.Fired.Count} kills so far");

            var before = await AddonVersionsAsync(env, stacks);
            var updatesBefore = UpdateAddonCalls(env);
            var upgradeStarted = env.Aws.Calls.Entries().Count;
            var target = run.Long ? "1.35" : "1.34";
            var steps = run.Long ? 2 : 1;
            foreach (var s in stacks) await s.PatchClusterAsync(new { version = target });
            foreach (var s in stacks) await s.ConvergedAsync(run, timeout);
            run.Log($"upgraded to {target}; {killer.Fired.Count} kills so far");
            AssertNoDuplicates(env, run, stacks.Count);
            await AssertAddonsUpgradedAsync(env, run, stacks, target, steps, before, updatesBefore);
            AssertAddonsBeforeNodeGroups(env, run, stacks, upgradeStarted, steps);
            var roles = (await env.AwsStateAsync())["roles"]!.AsArray().Count;
            Assert.True(roles == env.Calls("iam:CreateRole"), run.Because($"{roles} roles in AWS but {env.Calls("iam:CreateRole")} created"));

            foreach (var s in stacks) await s.DeleteAsync();
            foreach (var s in stacks) await s.GoneAsync(run, timeout);
            var state = await env.AwsStateAsync();
            Assert.True(state["clusters"]!.AsArray().Count == 0, run.Because($"orphaned clusters: {state["clusters"]!.ToJsonString()}"));
            Assert.True(state["roles"]!.AsArray().Count == 0, run.Because($"orphaned roles: {state["roles"]!.ToJsonString()}"));
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail(run.Because($"{e}\n{killer.Tail()}"));
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{killer.Tail()}");
        }
        finally
        {
            await killer.StopAsync();
        }

        var points = killer.Fired.Select(f => f.Point).Distinct().ToList();
        run.Log($"{killer.Fired.Count} kills at {points.Count} distinct points: {string.Join(", ", points)}");
        Assert.True(points.Count >= 20, run.Because($"only {points.Count} distinct kill points fired: {string.Join(", ", points)}"));
        foreach (var flow in new[] { "Create", "Update", "Delete" })
        {
            Assert.True(points.Any(p => p.Contains(':' + flow, StringComparison.Ordinal)), run.Because($"no kill during a {flow} call"));
        }

        Assert.Contains(points, p => p.Contains("Version#", StringComparison.Ordinal));
        foreach (var op in addonCalls)
        {
            var kills = points.Count(p => p.StartsWith(op + '#', StringComparison.Ordinal));
            run.Log($"kills at {op}: {kills}");
            Assert.True(kills > 0, run.Because($"no kill at {op}{(op == "eks:UpdateAddon" ? " (the upgrade's Addons phase)" : "")}"));
        }
    }

    /// <summary>
    /// Whoever was killed where, each step ran its phases in order: the control plane, kube-proxy, then the node groups
    /// (a step whose record a kill lost once let the node groups go first).
    /// </summary>
    private static void AssertAddonsBeforeNodeGroups(OperatorEnvironment env, ChaosRun run, IEnumerable<ChaosStack> stacks, int from, int steps)
    {
        var calls = env.Aws.Calls.Entries().Skip(from)
            .Where(c => c is { Service: "eks", Operation: "UpdateClusterVersion" or "UpdateAddon" or "UpdateNodegroupVersion", StatusCode: >= 200 and < 300 }).ToList();
        foreach (var s in stacks)
        {
            var mine = calls.Where(c => c.Resource == s.Cluster || (c.Resource ?? "").StartsWith(s.Cluster + '/', StringComparison.Ordinal))
                .Select(c => c.Operation == "UpdateAddon" ? $"UpdateAddon {c.Resource}" : c.Operation).ToList();
            var segments = new List<List<string>>();
            foreach (var call in mine)
            {
                if (call == "UpdateClusterVersion") segments.Add([]);
                else if (segments.Count > 0) segments[^1].Add(call);
            }

            Assert.True(segments.Count == steps, run.Because($"{segments.Count} control-plane steps for {s.Cluster}: {string.Join(", ", mine)}"));
            foreach (var segment in segments)
            {
                var proxy = segment.IndexOf($"UpdateAddon {s.Cluster}/kube-proxy");
                var nodes = segment.IndexOf("UpdateNodegroupVersion");
                Assert.True(proxy >= 0 && (nodes < 0 || proxy < nodes), run.Because($"a step of {s.Cluster} out of order: {string.Join(", ", segment)}"));
            }
        }
    }

    /// <summary>Each add-on's version in AWS, by "cluster/add-on".</summary>
    private static async Task<Dictionary<string, string>> AddonVersionsAsync(OperatorEnvironment env, IEnumerable<ChaosStack> stacks)
    {
        var state = await env.AwsStateAsync();
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in stacks)
        {
            var aws = state["clusters"]!.AsArray().Single(x => (string?)x!["name"] == s.Cluster)!;
            foreach (var a in aws["addons"]!.AsArray()) versions[$"{s.Cluster}/{a!["name"]}"] = (string)a["version"]!;
        }

        return versions;
    }

    /// <summary>Successful UpdateAddon calls so far, by "cluster/add-on" (a call EKS refused, e.g. as in progress, is not counted).</summary>
    private static Dictionary<string, int> UpdateAddonCalls(OperatorEnvironment env) =>
        env.Aws.Calls.Entries().Where(c => c is { Service: "eks", Operation: "UpdateAddon", StatusCode: >= 200 and < 300 })
            .GroupBy(c => c.Resource ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Every add-on runs a version chosen for the target minor, in its status and in AWS, reached with one UpdateAddon
    /// per step that changes its version: kube-proxy (built for one minor) at every step, coredns only where its band of
    /// minors changes (at most once in these upgrades), no other.
    /// </summary>
    private static async Task AssertAddonsUpgradedAsync(
        OperatorEnvironment env, ChaosRun run, IEnumerable<ChaosStack> stacks, string target, int steps, Dictionary<string, string> before, Dictionary<string, int> updatesBefore)
    {
        var after = await AddonVersionsAsync(env, stacks);
        var updates = UpdateAddonCalls(env);
        foreach (var s in stacks)
        {
            foreach (var name in ChaosStack.AddonNames)
            {
                var key = $"{s.Cluster}/{name}";
                var addon = (await env.GetAsync<Addon>(s.AddonObject(name)))!;
                Assert.True(addon.Status!.KubernetesVersion == target && addon.Status.Version == after[key] && addon.Status.CompatibleVersions!.Contains(after[key]),
                    run.Because($"{key} at {after[key]} in AWS, status {addon.Status.Version} for {addon.Status.KubernetesVersion} (compatible: {string.Join(", ", addon.Status.CompatibleVersions ?? [])})"));
                var expected = name == "kube-proxy" ? steps : before[key] == after[key] ? 0 : 1;
                if (name == "kube-proxy") Assert.True(after[key].StartsWith($"v{target}.", StringComparison.Ordinal), run.Because($"kube-proxy at {after[key]} on {target}"));
                var sent = updates.GetValueOrDefault(key) - updatesBefore.GetValueOrDefault(key);
                Assert.True(sent == expected, run.Because($"{sent} UpdateAddon calls succeeded for {key} ({before[key]} → {after[key]} in {steps} steps), {expected} expected"));
            }
        }
    }

    private static void AssertNoDuplicates(OperatorEnvironment env, ChaosRun run, int stacks)
    {
        Assert.True(env.Calls("eks:CreateCluster") == stacks, run.Because($"{env.Calls("eks:CreateCluster")} clusters created for {stacks}"));
        Assert.True(env.Calls("eks:CreateNodegroup") == 2 * stacks, run.Because($"{env.Calls("eks:CreateNodegroup")} node groups created for {2 * stacks}"));
        Assert.True(env.Calls("eks:CreateFargateProfile") == stacks, run.Because($"{env.Calls("eks:CreateFargateProfile")} profiles created for {stacks}"));
        var addons = ChaosStack.AddonNames.Count * stacks;
        Assert.True(env.Calls("eks:CreateAddon") == addons, run.Because($"{env.Calls("eks:CreateAddon")} add-ons created for {addons}"));
    }
}

/// <summary>
/// Kills the operator process inside the AWS simulator's <see cref="AwsCallLog.Answering"/> hook (AWS has acted, the
/// answer is not yet sent) or shortly after the answer, at the first occurrences of every mutating operation, and
/// starts a new process each time. An operation named in coverBeforeAnswer is killed before its answer while no
/// kill has fired at it yet, so that an operation called only once or twice is sure to get one.
/// </summary>
internal sealed class MutationKiller : IDisposable
{
    private readonly OperatorEnvironment _env;
    private readonly ChaosRun _run;
    private readonly int _maxKills;
    private readonly HashSet<string> _cover;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Channel<bool> _restarts = Channel.CreateUnbounded<bool>();
    private readonly List<(string Point, string Mode)> _fired = [];
    private readonly List<string> _tails = [];
    private OperatorProcess? _current;
    private int _generation;
    private int _delayedKillFor = -1;
    private Task? _restarter;

    public MutationKiller(OperatorEnvironment env, ChaosRun run, int maxKills, IReadOnlyCollection<string>? coverBeforeAnswer = null)
    {
        _env = env;
        _run = run;
        _maxKills = maxKills;
        _cover = new HashSet<string>(coverBeforeAnswer ?? [], StringComparer.Ordinal);
        env.Aws.Calls.Answering += OnAnswering;
    }

    public IReadOnlyList<(string Point, string Mode)> Fired
    {
        get { lock (_gate) return [.. _fired]; }
    }

    public void Start()
    {
        lock (_gate) _current = StartProcess();
        _restarter = Task.Run(RestartLoopAsync);
    }

    public async Task StopAsync()
    {
        _env.Aws.Calls.Answering -= OnAnswering;
        _restarts.Writer.TryComplete();
        if (_restarter is not null) await _restarter;
        lock (_gate)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    public string Tail()
    {
        lock (_gate) return string.Join('\n', _tails.TakeLast(2)) + '\n' + _current?.Tail();
    }

    public void Dispose()
    {
        _env.Aws.Calls.Answering -= OnAnswering;
        lock (_gate) _current?.Dispose();
    }

    private void OnAnswering(AwsCall call)
    {
        if (call.StatusCode is < 200 or >= 300 || !OperatorEnvironment.Mutates(call)) return;
        lock (_gate)
        {
            var op = $"{call.Service}:{call.Operation}";
            var occurrence = _occurrences[op] = _occurrences.GetValueOrDefault(op) + 1;
            if (_fired.Count >= _maxKills || _current is null || _current.HasExited) return;
            var point = $"{op}#{occurrence}";
            var generation = _generation;
            // Two moments: before the answer leaves AWS (the operator never learns it succeeded) or a little after
            // (it may have written status, or be halfway through its next step).
            // A mutation that comes while a delayed kill is pending is a point of its own: kill there.
            var uncovered = _cover.Contains(op) && !_fired.Any(f => f.Point.StartsWith(op + '#', StringComparison.Ordinal));
            if (uncovered || _delayedKillFor == generation || _run.Random.NextDouble() < 0.6)
            {
                KillLocked(point, "before the answer");
            }
            else
            {
                var delay = TimeSpan.FromMilliseconds(_run.Random.Next(0, 300));
                _delayedKillFor = generation;
                _ = Task.Run(async () =>
                {
                    await Task.Delay(delay);
                    lock (_gate)
                    {
                        if (_generation == generation && _fired.Count < _maxKills && _current is { HasExited: false }) KillLocked(point, $"{delay.TotalMilliseconds:F0} ms after the answer");
                    }
                });
            }
        }
    }

    private void KillLocked(string point, string mode)
    {
        _current!.Kill();
        _tails.Add(_current.Tail());
        _current.Dispose();
        _current = null;
        _fired.Add((point, mode));
        _run.Log($"SIGKILL at {point}, {mode}");
        _restarts.Writer.TryWrite(true);
    }

    private async Task RestartLoopAsync()
    {
        await foreach (var _ in _restarts.Reader.ReadAllAsync())
        {
            int pause;
            lock (_gate) pause = _run.Random.Next(0, 500);
            await Task.Delay(pause);
            lock (_gate) _current ??= StartProcess();
        }
    }

    private OperatorProcess StartProcess()
    {
        _generation++;
        return OperatorProcess.Start($"operator-{_generation}", _env.OperatorArguments());
    }
}
