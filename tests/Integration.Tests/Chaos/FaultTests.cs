using Xunit.Abstractions;

namespace EksOperator.Integration.Tests.Chaos;

/// <summary>
/// AWS throttles 20% of calls, fails 5% with 5xx, drops connections before and after acting, and has latency spikes;
/// the API server drops every watch every few seconds, forgets its history (410 on resume) and answers writes with
/// 409. Meanwhile a user keeps changing scaling, labels, tags and versions without waiting. Afterwards AWS equals
/// the last spec of every object, nothing was created twice, and deleting leaves nothing behind.
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class FaultTests(ITestOutputHelper output)
{
    private static readonly string[] Versions = ["1.32", "1.33", "1.34", "1.35"];

    [Fact]
    public async Task Under_AWS_and_Kubernetes_faults_no_user_change_is_lost_nothing_is_duplicated_and_nothing_is_orphaned()
    {
        var run = new ChaosRun(output, "faults");
        await using var env = await OperatorEnvironment.StartAsync(startOperator: false);
        var stacks = Enumerable.Range(1, run.Long ? 4 : 2).Select(i => new ChaosStack(env, $"storm{i}")).ToList();
        using var operatorProcess = OperatorProcess.Start("operator", env.OperatorArguments());
        var timeout = TimeSpan.FromSeconds(run.Long ? 900 : 240);
        using var calm = new CancellationTokenSource();
        var faults = new FaultCounts();
        env.Aws.Faults.UseSeed(run.Seed);
        env.Aws.Faults.ThrottleRate = 0.20;
        env.Aws.Faults.ServerErrorRate = 0.05;
        env.Aws.Faults.DropConnectionRate = 0.02;
        env.Aws.Faults.LoseResponseRate = 0.02;
        // Each loop draws from its own generator, seeded from the run's, so the loops do not race for one.
        var storms = new[]
        {
            LatencySpikesAsync(env, new Random(run.Random.Next()), faults, calm.Token),
            KubernetesFaultsAsync(env, new Random(run.Random.Next()), faults, calm.Token),
        };

        try
        {
            foreach (var s in stacks) await s.CreateAsync("1.32");
            var changes = run.Long ? 60 : 16;
            for (var i = 0; i < changes; i++)
            {
                await Task.Delay(run.Random.Next(300, 1500));
                var s = stacks[run.Random.Next(stacks.Count)];
                var ng = run.Random.Next(2) == 0 ? s.NodeGroupA : s.NodeGroupB;
                switch (run.Random.Next(4))
                {
                    case 0:
                        var max = run.Random.Next(2, 6);
                        var desired = run.Random.Next(1, max + 1);
                        run.Log($"change {i}: {ng} scaling 1/{max}/{desired}");
                        await s.PatchNodeGroupAsync(ng, new { scaling = new { minSize = 1, maxSize = max, desiredSize = desired } });
                        break;
                    case 1:
                        var tier = $"t{run.Random.Next(100)}";
                        run.Log($"change {i}: {ng} label tier={tier}");
                        await s.PatchNodeGroupAsync(ng, new { labels = new Dictionary<string, string> { ["role"] = ng, ["tier"] = tier } });
                        break;
                    case 2:
                        var cost = $"{run.Random.Next(1000)}";
                        run.Log($"change {i}: {s.Cluster} tag cost-center={cost}");
                        await s.PatchClusterAsync(new { tags = new Dictionary<string, string> { ["team"] = "platform", ["cost-center"] = cost } });
                        break;
                    default:
                        var current = (await env.GetAsync<Entities.V1Alpha1.EksCluster>(s.Cluster))!.Spec.Version!;
                        var next = Array.IndexOf(Versions, current) + 1;
                        if (next >= Versions.Length - (run.Long ? 0 : 1)) goto case 0;
                        run.Log($"change {i}: {s.Cluster} version {Versions[next]}");
                        await s.PatchClusterAsync(new { version = Versions[next] });
                        break;
                }
            }

            run.Log("changes done; waiting for AWS to equal every spec, faults still on");
            foreach (var s in stacks) await s.ConvergedAsync(run, timeout);
            var state = await env.AwsStateAsync();
            var clusters = state["clusters"]!.AsArray();
            Assert.True(clusters.Count == stacks.Count, run.Because($"{clusters.Count} clusters in AWS for {stacks.Count} stacks"));
            Assert.True(clusters.All(c => c!["nodegroups"]!.AsArray().Count == 2 && c["fargateProfiles"]!.AsArray().Count == 1), run.Because($"children in AWS: {clusters.ToJsonString()}"));
            var roles = state["roles"]!.AsArray().Count;
            Assert.True(roles == 4 * stacks.Count, run.Because($"{roles} IAM roles for {stacks.Count} stacks of 4 roles each"));

            run.Log("converged; deleting under the same faults");
            foreach (var s in stacks) await s.DeleteAsync();
            foreach (var s in stacks) await s.GoneAsync(run, timeout);
            state = await env.AwsStateAsync();
            Assert.True(state["clusters"]!.AsArray().Count == 0 && state["roles"]!.AsArray().Count == 0, run.Because($"left in AWS: {state.ToJsonString()}"));
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{operatorProcess.Tail()}");
        }
        finally
        {
            await calm.CancelAsync();
            await Task.WhenAll(storms);
            env.Aws.Faults.Reset();
            env.Kube.Faults.FailNextWrites(0, 409);
        }

        var entries = env.Aws.Calls.Entries();
        var throttled = entries.Count(c => c.StatusCode is 429 || (c.StatusCode is 400 or 503 && c.Service is "iam" or "ec2"));
        var errors = entries.Count(c => c.StatusCode >= 500 && c.StatusCode != 503);
        var dropped = entries.Count(c => c.StatusCode == 0);
        run.Log($"AWS: {entries.Count} calls, {throttled} throttled, {errors} 5xx, {dropped} dropped or lost; {faults}");
        Assert.True(throttled > 0 && errors > 0 && dropped > 0, run.Because("some AWS fault was never injected"));
        Assert.True(faults.WatchDrops > 0 && faults.Expiries > 0 && faults.Conflicts > 0 && faults.Spikes > 0, run.Because($"some fault was never injected: {faults}"));
        Assert.False(operatorProcess.HasExited, run.Because("the operator process died"));
    }

    private static async Task LatencySpikesAsync(OperatorEnvironment env, Random random, FaultCounts counts, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(random.Next(2000, 5000), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested) break;
            env.Aws.Faults.Latency = TimeSpan.FromMilliseconds(random.Next(300, 1500));
            Interlocked.Increment(ref counts.Spikes);
            await Task.Delay(random.Next(500, 2000), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            env.Aws.Faults.Latency = TimeSpan.Zero;
        }
    }

    private static async Task KubernetesFaultsAsync(OperatorEnvironment env, Random random, FaultCounts counts, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(random.Next(1000, 3000), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested) break;
            if (random.Next(3) == 0)
            {
                // Forgotten history: every informer's resume gets 410 Gone and must relist.
                env.Kube.Faults.ExpireHistory();
                Interlocked.Increment(ref counts.Expiries);
            }

            env.Kube.Faults.DropAllWatches();
            Interlocked.Increment(ref counts.WatchDrops);
            env.Kube.Faults.FailNextWrites(random.Next(1, 4), 409);
            Interlocked.Increment(ref counts.Conflicts);
        }
    }

    private sealed class FaultCounts
    {
        public int Spikes;
        public int WatchDrops;
        public int Expiries;
        public int Conflicts;

        public override string ToString() =>
            $"{Spikes} latency spikes, {WatchDrops} watch drops, {Expiries} forced 410s, {Conflicts} bursts of 409 on writes";
    }
}
