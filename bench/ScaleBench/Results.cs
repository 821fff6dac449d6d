using System.Globalization;
using System.Text;

namespace EksOperator.Bench.Scale;

/// <summary>What a run measured, and the markdown table it prints.</summary>
internal sealed class Results(ScaleBenchOptions options)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string? Failure { get; set; }
    public double IdleRssMb { get; set; }
    public TimeSpan LowerBound { get; set; }
    public TimeSpan TimeToReady { get; set; }
    public bool Converged { get; set; }
    public Dictionary<string, long> ConvergeCalls { get; set; } = [];
    public int ConvergeThrottles { get; set; }
    public double ConvergeCpuSeconds { get; set; }
    public double PeakRssAfterConvergeMb { get; set; }
    public Dictionary<string, long>? SteadyCalls { get; set; }
    public double SteadyCpuSeconds { get; set; }
    public TimeSpan SteadyWall { get; set; }
    public int SteadyThrottles { get; set; }
    public List<double>? ChangeLatencies { get; set; }
    public int ChangesMissing { get; set; }
    public int ChangeThrottles { get; set; }
    public double PeakRssMb { get; set; }

    /// <summary>Per account id, when all its objects were first seen Ready (since the apply started).</summary>
    public IReadOnlyDictionary<string, TimeSpan> AccountReadyAt { get; set; } = new Dictionary<string, TimeSpan>();

    /// <summary>sts:AssumeRole calls the simulator answered during the whole run (identities' set-up included).</summary>
    public int AssumeRoleCalls { get; set; }

    /// <summary>Per operator process (one per shard, or the one unsharded): idle RSS, peak at convergence, peak at the end.</summary>
    public IReadOnlyList<double> ProcessIdleRssMb { get; set; } = [];
    public IReadOnlyList<double> ProcessPeakRssAfterConvergeMb { get; set; } = [];
    public IReadOnlyList<double> ProcessPeakRssMb { get; set; } = [];

    /// <summary>Sharded runs: per shard, when all its objects were first seen Ready.</summary>
    public IReadOnlyDictionary<string, TimeSpan> ShardReadyAt { get; set; } = new Dictionary<string, TimeSpan>();

    /// <summary>Sharded runs, at the end: objects whose status.shard is not their label's shard.</summary>
    public int? ShardMismatches { get; set; }

    /// <summary>Sharded runs: clusters with an AWS call about them (or their children) signed by another shard's key.</summary>
    public int? ForeignShardClusters { get; set; }

    public IReadOnlyDictionary<string, int> AssumeRoleByShard { get; set; } = new Dictionary<string, int>();

    /// <summary>Sharded runs: AWS calls naming a resource signed by each shard's own key (account 0 and STS).</summary>
    public IReadOnlyDictionary<string, int> ShardSignedCalls { get; set; } = new Dictionary<string, int>();

    private int Resources => options.Clusters * 4;

    public void PrintCalls(string phase, IReadOnlyDictionary<string, long> calls, int resources)
    {
        Console.WriteLine($"AWS calls, {phase}: {calls.Values.Sum()} ({(double)calls.Values.Sum() / resources:F2} per resource)");
        foreach (var (op, n) in calls.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine($"  {op,-40} {n,8} {(double)n / resources,8:F2}/resource");
        }
    }

    public string Table()
    {
        var n = options.Clusters;
        var cmd = $"`{options.Command}`";
        var sb = new StringBuilder();
        var limits = (options.WallClockLimits ? ", rate limits in wall-clock time" : ", rate limits scaled with time")
            + (options.SharedRoles ? ", three shared pre-created IAM roles" : ", one operator-created IAM role per object")
            + (options.Accounts > 1 ? string.Create(Inv, $", {options.Accounts} AWS accounts (clusters split evenly, account 0 the operator's own, the others through an AwsIdentity each)") : "")
            + (options.Shards > 1 ? string.Create(Inv, $", {options.Shards} shards (one operator process each, cluster i and its children labelled s{{i mod {options.Shards}}})") : "");
        var failed = Failure is null ? "" : "; FAILED: " + Failure;
        sb.AppendLine(Inv, $"N = {n} clusters ({Resources} resources: {n} EksClusters, {n * 2} ManagedNodeGroups, {n} FargateProfiles), time scale {options.TimeScale}{limits}{failed}");
        sb.AppendLine();
        sb.AppendLine("| # | Measure | Goal | Measured | Command |");
        sb.AppendLine("|---|---|---|---|---|");
        var ratio = TimeToReady / LowerBound;
        var measured = Converged
            ? string.Create(Inv, $"{ratio:F2} ({TimeToReady.TotalSeconds:F0} s ÷ {LowerBound.TotalSeconds:F0} s)")
            : string.Create(Inv, $"not converged in {TimeToReady.TotalSeconds:F0} s");
        var chain = options.SharedRoles ? "cluster → node group" : "role propagation → cluster → node group";
        sb.AppendLine(Inv, $"| 1 | Time to all Ready ÷ AWS lifecycle lower bound ({chain}) | ≤ 1.25 at N = 1000 | {measured} | {cmd} |");
        var total = ConvergeCalls.Values.Sum();
        sb.AppendLine(Inv, $"| 2 | AWS calls per resource to converge | ≤ 8 | {(double)total / Resources:F2} ({total} calls; {Top(ConvergeCalls, Resources, 4)}) | {cmd} |");
        if (SteadyCalls is { } steady)
        {
            var reads = steady.Where(kv => AwsCalls.IsRead(kv.Key[(kv.Key.IndexOf(':', StringComparison.Ordinal) + 1)..])).Sum(kv => kv.Value);
            var writes = steady.Values.Sum() - reads;
            var perResourceHour = reads / (double)Resources;
            sb.AppendLine(Inv, $"| 3 | Steady state, one simulated hour: AWS reads per resource-hour | ≤ 6 | {perResourceHour:F2} ({reads} reads, {writes} writes; {Top(steady, Resources, 4)}) | {cmd} |");
            var cpuShare = SteadyCpuSeconds / SteadyWall.TotalSeconds * 100;
            sb.AppendLine(Inv, $"| 3 | Steady state: operator CPU | — | {SteadyCpuSeconds:F1} CPU-s per simulated hour ({cpuShare:F1} % of one core at this time scale, ≈ {cpuShare * options.TimeScale:F2} % in real time) | {cmd} |");
        }
        else
        {
            sb.AppendLine(Inv, $"| 3 | Steady state, one simulated hour | ≤ 6 reads per resource-hour | not run | {cmd} |");
        }

        if (ChangeLatencies is { Count: > 0 } l)
        {
            var missing = ChangesMissing > 0 ? string.Create(Inv, $"; {ChangesMissing} without a call") : "";
            sb.AppendLine(Inv, $"| 4 | Spec change → first AWS call (desiredSize patch → UpdateNodegroupConfig), {l.Count + ChangesMissing} changes at {options.ChangeRate / options.TimeScale:F1}/s | p99 ≤ 1 s | p50 {Pct(l, 50):F0} ms, p99 {Pct(l, 99):F0} ms, max {l[^1]:F0} ms{missing} | {cmd} |");
        }
        else
        {
            sb.AppendLine(Inv, $"| 4 | Spec change → first AWS call | p99 ≤ 1 s | not run | {cmd} |");
        }

        sb.AppendLine(Inv, $"| 5 | Operator peak RSS (VmHWM) at N = {n} | ≤ 150 MB at N = 1000 | {PeakRssMb:F0} MB ({PeakRssAfterConvergeMb:F0} MB at convergence) | {cmd} |");
        sb.AppendLine(Inv, $"| 5 | Operator RSS idle, no objects (VmRSS) | ≤ 60 MB | {IdleRssMb:F0} MB | {cmd} |");
        sb.AppendLine(Inv, $"| 6 | Throttling errors, default limits, simulator enforcing AWS-like limits | 0 | {ConvergeThrottles + SteadyThrottles + ChangeThrottles} (converge {ConvergeThrottles}, steady {SteadyThrottles}, changes {ChangeThrottles}) | {cmd} |");
        if (options.Shards > 1)
        {
            string PerShard(IReadOnlyList<double> mb) => string.Join(", ", mb.Select((v, k) => string.Create(Inv, $"s{k} {v:F0} MB")));
            sb.AppendLine(Inv, $"| 8 | {options.Shards} shards: peak RSS (VmHWM) per process | — | {PerShard(ProcessPeakRssMb)}; sum {PeakRssMb:F0} MB (at convergence {PerShard(ProcessPeakRssAfterConvergeMb)}) | {cmd} |");
            sb.AppendLine(Inv, $"| 8 | {options.Shards} shards: idle RSS (VmRSS) per process | — | {PerShard(ProcessIdleRssMb)}; sum {IdleRssMb:F0} MB | {cmd} |");
            var perShard = string.Join(", ", ShardReadyAt.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(Inv, $"{kv.Key} {kv.Value.TotalSeconds:F0} s")));
            sb.AppendLine(Inv, $"| 8 | {options.Shards} shards: all Ready per shard (since the apply) | — | {(perShard.Length > 0 ? perShard : "none")} | {cmd} |");
            var assumes = string.Join(", ", AssumeRoleByShard.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(Inv, $"{kv.Key} {kv.Value}")));
            sb.AppendLine(Inv, $"| 8 | Objects reconciled by another shard than their label's: status.shard ≠ label at the end; clusters with AWS calls by another shard's key | 0; 0 | {ShardMismatches?.ToString(Inv) ?? "not checked"}; {ForeignShardClusters?.ToString(Inv) ?? "not checked"} (sts:AssumeRole by shard: {(assumes.Length > 0 ? assumes : "none")}) | {cmd} |");
        }

        if (options.Accounts > 1)
        {
            var perAccount = string.Join(", ", AccountReadyAt.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(Inv, $"{kv.Key} {kv.Value.TotalSeconds:F0} s")));
            sb.AppendLine(Inv, $"| 7 | {options.Accounts} accounts: all Ready per account (since the apply) | — | {(perAccount.Length > 0 ? perAccount : "none")} | {cmd} |");
            sb.AppendLine(Inv, $"| 7 | sts:AssumeRole calls, whole run | one per mapped account ({options.Accounts - 1}) | {AssumeRoleCalls} | {cmd} |");
        }

        sb.AppendLine();
        sb.AppendLine("| AWS operation | Calls per resource to converge | Calls per resource-hour, steady |");
        sb.AppendLine("|---|---|---|");
        foreach (var op in ConvergeCalls.Keys.Union(SteadyCalls?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
        {
            sb.AppendLine(Inv, $"| {op} | {ConvergeCalls.GetValueOrDefault(op) / (double)Resources:F2} | {(SteadyCalls?.GetValueOrDefault(op) ?? 0) / (double)Resources:F2} |");
        }

        return sb.ToString();
    }

    private static string Top(IReadOnlyDictionary<string, long> calls, int resources, int count) =>
        string.Join(", ", calls.OrderByDescending(kv => kv.Value).Take(count).Select(kv => string.Create(Inv, $"{kv.Key} {kv.Value / (double)resources:F2}")));

    private static double Pct(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
