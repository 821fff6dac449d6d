// Scale benchmark (issue 8, part 1): N clusters, each with 2 managed node groups and 1 Fargate profile, applied at
// once to the Kubernetes simulator; the operator runs as a separate process (dotnet EksOperator.dll) against both
// simulators, which live in this process. AWS durations are time-scaled; see ScaleBenchOptions for what else is.
// Usage: dotnet run -c Release --project bench/ScaleBench -- [--clusters 200] [--time-scale 0.1] [--changes 1000]
//        [--change-rate 0.5] [--wall-clock-limits] [--shared-roles] [--accounts 1] [--shards 1] [--out file.md] [--trace]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EksOperator.Bench.Scale;
using EksOperator.Simulators.Aws;
using EksOperator.Simulators.Kubernetes;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(ScaleBenchOptions.Usage);
    return 0;
}

ScaleBenchOptions options;
try
{
    options = ScaleBenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n{ScaleBenchOptions.Usage}");
    return 2;
}

var inv = CultureInfo.InvariantCulture;
var root = Repo.Root();
var work = Directory.CreateTempSubdirectory("eksop-scale-").FullName;
var durations = new AwsLifecycleDurations();
var resources = options.Clusters * 4;
Console.WriteLine($"ScaleBench: {options.Clusters} clusters ({resources} resources), time x{options.TimeScale.ToString(inv)}, "
    + $"{options.Changes} changes at {options.ChangeRate.ToString(inv)}/simulated s, rate limits {(options.WallClockLimits ? "in wall-clock time" : "scaled with time")}"
    + (options.Accounts > 1 ? $", {options.Accounts} AWS accounts" : "")
    + (options.Shards > 1 ? $", {options.Shards} shards (one operator process each)" : ""));

await using var kube = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions
{
    CrdFiles = [.. Directory.GetFiles(Path.Combine(root, "config", "crd"), "*.yaml").Order(StringComparer.Ordinal)],
    // Thousands of creates and status writes at once: keep enough history that no informer is sent 410.
    WatchHistorySize = Math.Max(10_000, resources * 8),
});
// EKS's default quota is 100 clusters per region; like an account that asked for more, the simulator's is raised to N.
await using var aws = await AwsSimulator.StartAsync(new AwsSimulatorOptions
{
    TimeScale = options.TimeScale,
    ClusterEndpoint = kube.BaseAddress,
    ClusterQuota = Math.Max(100, options.Clusters),
    Accounts = options.Accounts,
});
aws.Faults.ReadLimit = new AwsRateLimit(aws.Faults.ReadLimit.Burst, aws.Faults.ReadLimit.RefillPerSecond * options.LimitFactor);
aws.Faults.WriteLimit = new AwsRateLimit(aws.Faults.WriteLimit.Burst, aws.Faults.WriteLimit.RefillPerSecond * options.LimitFactor);
aws.Faults.EnforceRateLimits = true;
var kubeconfig = kube.WriteKubeconfig(Path.Combine(work, "kubeconfig"));

var sharded = options.Shards > 1;
IReadOnlyList<FleetAccount>? accounts = null;
if (sharded)
{
    // No shard writes an AwsIdentity's status (only the default shard does), so there is no Ready to wait for: the
    // identities are created before the shards start, and every shard's informers have them once it is ready.
    accounts = FleetAccounts.Seed(aws, options.SharedRoles);
    await FleetAccounts.MapAsync(kubeconfig, accounts, aws.Options.Region, TimeSpan.FromMinutes(2), waitReady: false);
}

// Sharded: one access key of account 0 per shard, so that the call log says which shard made a call.
var shardKeys = sharded ? Enumerable.Range(0, options.Shards).Select(_ => aws.AddAccessKey()).ToList() : [];
await using var op = sharded
    ? new OperatorGroup(
        [.. Enumerable.Range(0, options.Shards).Select(k => OperatorProcess.Start(AppContext.BaseDirectory, OperatorArgs.For(options, aws, kubeconfig, Fleet.ShardName(k), shardKeys[k])))],
        [.. Enumerable.Range(0, options.Shards).Select(Fleet.ShardName)])
    : new OperatorGroup([OperatorProcess.Start(AppContext.BaseDirectory, OperatorArgs.For(options, aws, kubeconfig))], [null]);

// The simulators' hosts swallow SIGTERM/SIGINT (waiting for a stop that never comes): end the run, and the operator, here.
void Abort(PosixSignalContext signal)
{
    op.Kill();
    Directory.Delete(work, recursive: true);
    Environment.Exit(128 + (signal.Signal == PosixSignal.SIGINT ? 2 : 15));
}

using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Abort);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Abort);
accounts ??= FleetAccounts.Seed(aws, options.SharedRoles);
using var cluster = new Fleet(kubeconfig, options.Clusters, accounts, options.Shards);
var results = new Results(options);
try
{
    // 5. Idle memory: ready with zero objects, then a few seconds to settle.
    await op.WaitReadyAsync(TimeSpan.FromMinutes(2));
    await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System);
    results.ProcessIdleRssMb = [.. op.Processes.Select(p => p.ReadStatusKb("VmRSS") / 1024.0)];
    results.IdleRssMb = results.ProcessIdleRssMb.Sum();
    for (var k = 0; k < op.Processes.Count; k++)
    {
        Console.WriteLine(op.Shards[k] is { } shard
            ? $"shard {shard}: operator pid {op.Processes[k].Pid} ready with no fleet objects ({accounts.Count - 1} AwsIdentities); RSS {results.ProcessIdleRssMb[k]:F1} MB"
            : $"operator pid {op.Processes[k].Pid} ready with no objects; RSS {results.IdleRssMb:F1} MB");
    }

    if (accounts.Count > 1 && !sharded)
    {
        var mapTimer = Stopwatch.StartNew();
        await FleetAccounts.MapAsync(kubeconfig, accounts, aws.Options.Region, TimeSpan.FromMinutes(2));
        Console.WriteLine($"{accounts.Count - 1} AwsIdentities Ready (roles assumed) in {mapTimer.Elapsed.TotalSeconds:F1} s: "
            + string.Join(", ", accounts.Select(a => $"{a.Namespace} → {a.Id}")));
    }

    // 1. Apply everything at once and wait for all Ready.
    // With roles that exist before the run, nothing waits for IAM to propagate.
    var rolePropagation = options.SharedRoles ? TimeSpan.Zero : durations.RolePropagation;
    var lowerBound = (rolePropagation + durations.ClusterCreate + Max(durations.NodegroupCreate, durations.FargateProfileCreate)) * options.TimeScale;
    results.LowerBound = lowerBound;
    var countersBefore = aws.Calls.Counters;
    var applyStart = TimeProvider.System.GetUtcNow();
    var applyTimer = Stopwatch.StartNew();
    await cluster.ApplyAllAsync(concurrency: 16);
    Console.WriteLine($"applied {resources} objects in {applyTimer.Elapsed.TotalSeconds:F1} s; lower bound {lowerBound.TotalSeconds:F1} s");
    var timeout = Max(lowerBound * 20, TimeSpan.FromMinutes(15));
    var converged = await cluster.WaitAllReadyAsync(applyTimer, timeout, options.Clusters >= 500 ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(1));
    results.TimeToReady = applyTimer.Elapsed;
    results.Converged = converged;
    results.ConvergeCalls = Delta(aws.Calls.Counters, countersBefore);
    results.ConvergeThrottles = Throttles(aws.Calls.Entries(applyStart));
    results.AccountReadyAt = cluster.ReadyAt;
    results.ConvergeCpuSeconds = op.CpuSeconds();
    results.ProcessPeakRssAfterConvergeMb = [.. op.Processes.Select(p => p.ReadStatusKb("VmHWM") / 1024.0)];
    results.PeakRssAfterConvergeMb = results.ProcessPeakRssAfterConvergeMb.Sum();
    results.ShardReadyAt = cluster.ShardReadyAt;
    Console.WriteLine(converged
        ? $"all {resources} Ready after {results.TimeToReady.TotalSeconds:F1} s ({results.TimeToReady / lowerBound:F2} x lower bound)"
        : $"NOT converged after {results.TimeToReady.TotalSeconds:F1} s: {await cluster.DescribeNotReadyAsync()}");
    results.PrintCalls("converge", results.ConvergeCalls, resources);
    PrintAccounts(accounts, cluster.ReadyAt, aws.Calls.Entries(applyStart));
    PrintRefused(aws.Calls.Entries(applyStart));
    foreach (var (shard, at) in cluster.ShardReadyAt.OrderBy(kv => kv.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"  shard {shard}: all Ready after {at.TotalSeconds:F1} s");
    }
    if (options.Trace)
    {
        // Every call naming the first cluster's resources, to see what one cluster costs and why.
        foreach (var c in aws.Calls.Entries(applyStart).Where(c => c.Resource?.Contains(Fleet.ClusterName(0), StringComparison.Ordinal) == true))
        {
            Console.WriteLine($"  {(c.Time - applyStart).TotalSeconds,8:F2} s {c.Service}:{c.Operation,-28} {c.Resource,-28} {c.StatusCode}");
        }
    }

    if (converged)
    {
        // 3. Steady state: one simulated hour.
        var hour = TimeSpan.FromHours(1) * options.TimeScale;
        var steadyBefore = aws.Calls.Counters;
        var steadyStart = TimeProvider.System.GetUtcNow();
        var cpuBefore = op.CpuSeconds();
        var steadyTimer = Stopwatch.StartNew();
        Console.WriteLine($"steady state for one simulated hour ({hour.TotalSeconds:F0} s)...");
        await Task.Delay(hour, TimeProvider.System);
        results.SteadyCalls = Delta(aws.Calls.Counters, steadyBefore);
        results.SteadyCpuSeconds = op.CpuSeconds() - cpuBefore;
        results.SteadyWall = steadyTimer.Elapsed;
        results.SteadyThrottles = Throttles(aws.Calls.Entries(steadyStart));
        results.PrintCalls("steady hour", results.SteadyCalls, resources);

        // 4. Spec changes at a steady rate.
        if (options.Changes > 0)
        {
            var changesStart = TimeProvider.System.GetUtcNow();
            var minGap = (durations.NodegroupConfigUpdate * options.TimeScale * 2) + TimeSpan.FromSeconds(1);
            var changes = await cluster.ChangeNodeGroupsAsync(options.Changes, options.ChangeRate / options.TimeScale, minGap);
            // Let the last changes reach AWS before reading the log.
            await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System);
            var log = aws.Calls.Entries(changesStart);
            results.ChangeLatencies = Latencies(changes, log, out var missing);
            if (options.Trace) TraceSlowestChanges(changes, log);
            results.ChangesMissing = missing;
            results.ChangeThrottles = Throttles(log);
        }
    }

    results.ProcessPeakRssMb = [.. op.Processes.Select(p => p.ReadStatusKb("VmHWM") / 1024.0)];
    results.PeakRssMb = results.ProcessPeakRssMb.Sum();
    results.AssumeRoleCalls = aws.Calls.Entries().Count(c => c is { Service: "sts", Operation: "AssumeRole" });
    if (sharded)
    {
        // Did any object get reconciled by both shards? Its last claim is status.shard; and every AWS call signed by
        // a shard's own key (account 0's, STS) about a cluster or its children should come from that cluster's shard.
        var mismatches = await cluster.ShardMismatchesAsync();
        results.ShardMismatches = mismatches.Count;
        foreach (var m in mismatches.Take(10)) Console.WriteLine($"  status.shard ≠ label: {m}");
        var calls = aws.Calls.Entries();
        var shardOfKey = shardKeys.Select((key, k) => (key.AccessKeyId, Shard: Fleet.ShardName(k))).ToDictionary(x => x.AccessKeyId, x => x.Shard, StringComparer.Ordinal);
        results.AssumeRoleByShard = calls.Where(c => c is { Service: "sts", Operation: "AssumeRole" })
            .GroupBy(c => c.AccessKeyId is { } key && shardOfKey.TryGetValue(key, out var s) ? s : "other")
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var signed = calls.Where(c => c.Resource is not null && c.AccessKeyId is { } key && shardOfKey.ContainsKey(key)).ToList();
        results.ForeignShardClusters = Enumerable.Range(0, options.Clusters).Count(i =>
            signed.Any(c => c.Resource!.Contains(Fleet.ClusterName(i), StringComparison.Ordinal) && shardOfKey[c.AccessKeyId!] != Fleet.ShardName(i % options.Shards)));
        results.ShardSignedCalls = signed.GroupBy(c => shardOfKey[c.AccessKeyId!]).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Console.WriteLine($"shards: {mismatches.Count} objects with status.shard ≠ label; {results.ForeignShardClusters} clusters with AWS calls by another shard's key; "
            + $"AssumeRole by {string.Join(", ", results.AssumeRoleByShard.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"))}");
    }
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
{
    Console.Error.WriteLine($"benchmark failed: {e.Message}");
    op.PrintTail();
    results.Failure = e.Message;
}
finally
{
    Directory.Delete(work, recursive: true);
}

var table = results.Table();
Console.WriteLine();
Console.WriteLine(table);
if (options.Out is { } outFile)
{
    await File.WriteAllTextAsync(outFile, table);
    Console.WriteLine($"written to {outFile}");
}

return results.Failure is null && results.Converged ? 0 : 1;

static void TraceSlowestChanges(IReadOnlyList<Change> changes, IReadOnlyList<AwsCall> log)
{
    // The five slowest changes with every call about their node group around them: where did the time go?
    var byResource = log.Where(c => c.Resource is not null).ToLookup(c => c.Resource!, StringComparer.Ordinal);
    var slowest = changes
        .Select(ch => (Change: ch, First: byResource[ch.Resource].FirstOrDefault(c => c.Time >= ch.SentAt && AwsCalls.IsMutating(c.Operation))))
        .Where(x => x.First is not null)
        .OrderByDescending(x => x.First!.Time - x.Change.PatchedAt)
        .Take(5);
    foreach (var (change, first) in slowest)
    {
        Console.WriteLine($"  change {change.Resource}: PATCH took {(change.PatchedAt - change.SentAt).TotalMilliseconds:F0} ms, first mutation after {(first!.Time - change.PatchedAt).TotalMilliseconds:F0} ms");
        foreach (var c in byResource[change.Resource].Where(c => c.Time >= change.SentAt - TimeSpan.FromSeconds(2) && c.Time <= first.Time + TimeSpan.FromSeconds(1)))
        {
            Console.WriteLine($"    {(c.Time - change.PatchedAt).TotalMilliseconds,8:F0} ms {c.Service}:{c.Operation} {c.StatusCode}");
        }
    }
}

static void PrintRefused(IReadOnlyList<AwsCall> calls)
{
    foreach (var g in calls.Where(c => c.StatusCode is 0 or >= 400).GroupBy(c => $"{c.Service}:{c.Operation} {c.StatusCode}").OrderByDescending(g => g.Count()))
    {
        Console.WriteLine($"  refused: {g.Key,-44} {g.Count(),8}");
    }
}

static void PrintAccounts(IReadOnlyList<FleetAccount> accounts, IReadOnlyDictionary<string, TimeSpan> readyAt, IReadOnlyList<AwsCall> calls)
{
    // Each account's share: when its namespace was all Ready, and the calls its own buckets answered (EKS's rates,
    // to set against the operator's per-account EKS buckets: reads 10/s, writes 4/s, scaled unless --wall-clock-limits).
    foreach (var a in accounts)
    {
        var mine = calls.Where(c => c.Account == a.Id).ToList();
        var eks = mine.Where(c => c.Service == "eks").ToList();
        var writes = eks.Count(c => AwsCalls.IsMutating(c.Operation));
        var (ready, seconds) = readyAt.TryGetValue(a.Id, out var t) ? ($"{t.TotalSeconds:F1} s", t.TotalSeconds) : ("not Ready", double.NaN);
        Console.WriteLine($"  account {a.Id} ({a.Namespace}): all Ready after {ready}; {mine.Count} calls, EKS {eks.Count - writes} reads ({(eks.Count - writes) / seconds:F1}/s), "
            + $"{writes} writes ({writes / seconds:F1}/s); {Throttles(mine)} throttled");
    }
}

static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before) =>
    after.Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key))).Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

// The simulator's throttling answers: EKS 429 ThrottlingException, IAM and STS 400 Throttling, EC2 503 RequestLimitExceeded.
// No other fault is injected here, so these statuses are throttling and nothing else.
static int Throttles(IReadOnlyList<AwsCall> calls) =>
    calls.Count(c => (c.Service, c.StatusCode) is ("eks", 429) or ("iam", 400) or ("ec2", 503) or ("sts", 400));

static List<double> Latencies(IReadOnlyList<Change> changes, IReadOnlyList<AwsCall> log, out int missing)
{
    var byResource = log
        .Where(c => c.Service == "eks" && c.Resource is not null && AwsCalls.IsMutating(c.Operation))
        .GroupBy(c => c.Resource!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(c => c.Time).Order().ToList(), StringComparer.Ordinal);
    var latencies = new List<double>(changes.Count);
    missing = 0;
    foreach (var change in changes)
    {
        // The operator may see the watch event before the PATCH response reaches us: match from the request's start,
        // measure from the response (a call before the response counts as 0).
        var first = byResource.TryGetValue(change.Resource, out var times) ? times.FirstOrDefault(t => t >= change.SentAt) : default;
        if (first == default)
        {
            missing++;
            continue;
        }

        latencies.Add(Math.Max(0, (first - change.PatchedAt).TotalMilliseconds));
    }

    latencies.Sort();
    return latencies;
}
