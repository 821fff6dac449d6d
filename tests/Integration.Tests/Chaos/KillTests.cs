using System.Threading.Channels;
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
        using var killer = new MutationKiller(env, run, maxKills: run.Long ? 400 : 80);
        var stacks = Enumerable.Range(1, run.Long ? 3 : 1).Select(i => new ChaosStack(env, $"kill{i}")).ToList();
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

            var target = run.Long ? "1.35" : "1.34";
            foreach (var s in stacks) await s.PatchClusterAsync(new { version = target });
            foreach (var s in stacks) await s.ConvergedAsync(run, timeout);
            run.Log($"upgraded to {target}; {killer.Fired.Count} kills so far");
            AssertNoDuplicates(env, run, stacks.Count);
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
    }

    private static void AssertNoDuplicates(OperatorEnvironment env, ChaosRun run, int stacks)
    {
        Assert.True(env.Calls("eks:CreateCluster") == stacks, run.Because($"{env.Calls("eks:CreateCluster")} clusters created for {stacks}"));
        Assert.True(env.Calls("eks:CreateNodegroup") == 2 * stacks, run.Because($"{env.Calls("eks:CreateNodegroup")} node groups created for {2 * stacks}"));
        Assert.True(env.Calls("eks:CreateFargateProfile") == stacks, run.Because($"{env.Calls("eks:CreateFargateProfile")} profiles created for {stacks}"));
    }
}

/// <summary>
/// Kills the operator process inside the AWS simulator's <see cref="AwsCallLog.Answering"/> hook (AWS has acted, the
/// answer is not yet sent) or shortly after the answer, at the first occurrences of every mutating operation, and
/// starts a new process each time.
/// </summary>
internal sealed class MutationKiller : IDisposable
{
    private readonly OperatorEnvironment _env;
    private readonly ChaosRun _run;
    private readonly int _maxKills;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Channel<bool> _restarts = Channel.CreateUnbounded<bool>();
    private readonly List<(string Point, string Mode)> _fired = [];
    private readonly List<string> _tails = [];
    private OperatorProcess? _current;
    private int _generation;
    private int _delayedKillFor = -1;
    private Task? _restarter;

    public MutationKiller(OperatorEnvironment env, ChaosRun run, int maxKills)
    {
        _env = env;
        _run = run;
        _maxKills = maxKills;
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
            if (_delayedKillFor == generation || _run.Random.NextDouble() < 0.6)
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
