using EksOperator.Simulators.Aws;
using k8s;
using Xunit.Abstractions;

namespace EksOperator.Integration.Tests.Chaos;

/// <summary>
/// Two replicas with leader election; the leader is SIGKILLed again and again (a replacement replica starts each
/// time) while a user creates, changes, upgrades and deletes a stack. Each kill must be followed by a new leader;
/// how long that took is logged, not asserted (bench/RuntimeBench --handover measures it into docs/benchmarks.md).
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class LeaderTests(ITestOutputHelper output)
{
    private const string LeaseName = "eks-operator-leader";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task With_the_leader_killed_repeatedly_a_follower_takes_over_and_no_mutation_is_sent_twice()
    {
        var run = new ChaosRun(output, "leader");
        await using var env = await OperatorEnvironment.StartAsync(startOperator: false);
        var replicas = new Dictionary<string, OperatorProcess>(StringComparer.Ordinal);
        var started = 0;
        void StartReplica()
        {
            var identity = $"replica-{++started}";
            lock (replicas) replicas[identity] = OperatorProcess.Start(identity, env.OperatorArguments(
                "--Runtime:LeaderElection:Enabled=true",
                $"--Runtime:LeaderElection:Identity={identity}",
                $"--Runtime:LeaderElection:LeaseDuration={LeaseDuration}",
                "--Runtime:LeaderElection:RenewDeadline=00:00:02",
                $"--Runtime:LeaderElection:RetryPeriod={RetryPeriod}"));
        }

        StartReplica();
        StartReplica();
        var takeovers = new List<TimeSpan>();
        var leaderless = new List<string>();
        using var stop = new CancellationTokenSource();
        var killer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(run.Random.Next(1500, 3500)), stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested) return;
                var leader = await HolderAsync(env);
                OperatorProcess? process;
                lock (replicas) process = leader is null ? null : replicas.GetValueOrDefault(leader);
                if (process is null || process.HasExited) continue;
                process.Kill();
                var killed = DateTimeOffset.UtcNow;
                run.Log($"SIGKILL leader {leader}");
                StartReplica();
                string? next;
                do
                {
                    await Task.Delay(25);
                    next = await HolderAsync(env);
                }
                while ((next is null || next == leader) && DateTimeOffset.UtcNow - killed < TimeSpan.FromSeconds(30));

                var took = DateTimeOffset.UtcNow - killed;
                if (next is null || next == leader)
                {
                    lock (leaderless) leaderless.Add($"{leader} killed, then {next ?? "no one"} still held the lease after {took.TotalSeconds:F0} s");
                    continue;
                }

                lock (takeovers) takeovers.Add(took);
                run.Log($"{next} leads {took.TotalSeconds:F2} s after the kill");
            }
        });

        try
        {
            var timeout = TimeSpan.FromSeconds(run.Long ? 600 : 180);
            var attached = 0;
            // Rounds go on until the leader has been killed often enough, however fast the machine runs them.
            var minimumKills = run.Long ? 15 : 4;
            var rounds = 0;
            for (var round = 1; round <= (run.Long ? 4 : 1) || (Count(takeovers) < minimumKills && round <= 20); round++)
            {
                rounds = round;
                var stack = new ChaosStack(env, $"led{round}");
                await stack.CreateAsync("1.33");
                await stack.ConvergedAsync(run, timeout);
                await stack.PatchNodeGroupAsync(stack.NodeGroupA, new { scaling = new { minSize = 1, maxSize = 4, desiredSize = 3 } });
                await stack.ConvergedAsync(run, timeout);
                await stack.PatchNodeGroupAsync(stack.NodeGroupB, new { labels = new Dictionary<string, string> { ["role"] = stack.NodeGroupB, ["tier"] = "gold" } });
                await stack.ConvergedAsync(run, timeout);
                await stack.PatchClusterAsync(new { tags = new Dictionary<string, string> { ["team"] = "platform", ["cost-center"] = "42" } });
                await stack.ConvergedAsync(run, timeout);
                await stack.PatchClusterAsync(new { version = "1.34" });
                await stack.ConvergedAsync(run, timeout);
                attached += (await env.AwsStateAsync())["roles"]!.AsArray().Sum(r => r!["attachedPolicies"]!.AsArray().Count);
                await stack.DeleteAsync();
                await stack.GoneAsync(run, timeout);
                run.Log($"round {round} done");
            }

            await stop.CancelAsync();
            await killer;

            var state = await env.AwsStateAsync();
            Assert.True(state["clusters"]!.AsArray().Count == 0 && state["roles"]!.AsArray().Count == 0, run.Because($"left in AWS: {state.ToJsonString()}"));

            // Every intent above maps to exactly one mutation of one resource; policies are counted per role. A call
            // counts when AWS acted on it (2xx, or an answer that never arrived) or refused it as already done (409);
            // a create refused because a new role has not propagated yet is a retry AWS never acted on.
            var mutations = env.Aws.Calls.Entries().Where(c => OperatorEnvironment.Mutates(c) && c.StatusCode is (>= 200 and < 300) or 409 or 0).ToList();
            var twice = mutations.Where(c => c.Operation is not ("AttachRolePolicy" or "DetachRolePolicy"))
                .GroupBy(c => $"{c.Service}:{c.Operation} {c.Resource}").Where(g => g.Count() > 1)
                .Select(g => $"{g.Key} ×{g.Count()} ({string.Join(", ", g.Select(c => c.StatusCode))})").ToList();
            Assert.True(twice.Count == 0, run.Because($"mutations sent more than once: {string.Join(", ", twice)}"));
            Assert.True(mutations.Count(c => c.Operation == "AttachRolePolicy") == attached, run.Because($"{mutations.Count(c => c.Operation == "AttachRolePolicy")} AttachRolePolicy for {attached} attachments"));
            Assert.True(mutations.Count(c => c.Operation == "DetachRolePolicy") == attached, run.Because($"{mutations.Count(c => c.Operation == "DetachRolePolicy")} DetachRolePolicy for {attached} attachments"));
            Assert.True(mutations.Count(c => c.Operation == "UpdateClusterVersion") == rounds, run.Because("one UpdateClusterVersion per upgrade"));
        }
        catch (Xunit.Sdk.XunitException e)
        {
            string tails;
            lock (replicas) tails = string.Join('\n', replicas.Values.Select(r => r.Tail()));
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{tails}");
        }
        finally
        {
            await stop.CancelAsync();
            await killer;
            lock (replicas)
            {
                foreach (var r in replicas.Values) r.Dispose();
            }
        }

        run.Log($"{takeovers.Count} takeovers: {string.Join(", ", takeovers.Select(t => t.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))} s");
        Assert.True(leaderless.Count == 0, run.Because($"no follower took over: {string.Join("; ", leaderless)}"));
        Assert.True(takeovers.Count >= (run.Long ? 15 : 4), run.Because($"the leader was killed only {takeovers.Count} times"));
    }

    private static int Count(List<TimeSpan> takeovers)
    {
        lock (takeovers) return takeovers.Count;
    }

    private static async Task<string?> HolderAsync(OperatorEnvironment env)
    {
        try
        {
            var lease = await env.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, env.Namespace);
            return lease.Spec?.HolderIdentity;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
