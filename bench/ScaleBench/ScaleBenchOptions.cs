using System.Globalization;

namespace EksOperator.Bench.Scale;

/// <summary>
/// Command line of the benchmark. Time scaling: AWS lifecycle durations (the simulator's), the operator's poll
/// intervals and resync periods, and (unless <see cref="WallClockLimits"/>) the refill rates of the rate limits on
/// both sides (the simulator's AWS-like buckets and the operator's own default client-side buckets) are all scaled by
/// the same factor, so a run is a time-lapse of a real one: one simulated hour is 3600 s × scale of wall time, and the
/// operator spends the same share of its API budget as it would at scale 1. Bucket capacities (bursts) are counts
/// and stay as they are.
/// </summary>
internal sealed record ScaleBenchOptions
{
    public const string Usage =
        "usage: ScaleBench [--clusters 200] [--time-scale 0.1] [--changes 1000] [--change-rate 0.5] [--wall-clock-limits] [--shared-roles] [--accounts 1] [--shards 1] [--out file.md] [--trace]";

    public int Clusters { get; init; } = 200;

    /// <summary>0.1: a 12-minute cluster create takes 72 s, one simulated hour 6 minutes.</summary>
    public double TimeScale { get; init; } = 0.1;

    public int Changes { get; init; } = 1000;

    /// <summary>Node group changes per simulated second across the fleet (0.5: 1,800 an hour).</summary>
    public double ChangeRate { get; init; } = 0.5;

    /// <summary>Keep rate limits in wall-clock time while durations are scaled (stresses the API budget 1/scale times).</summary>
    public bool WallClockLimits { get; init; }

    public string? Out { get; init; }

    /// <summary>
    /// Every object names one of three IAM roles that exist before the run (spec.roleArn, nodeRoleArn,
    /// podExecutionRoleArn), as a fleet with pre-created roles would: no IAM calls, no role propagation.
    /// </summary>
    public bool SharedRoles { get; init; }

    /// <summary>
    /// AWS accounts the fleet is spread over (the simulator gets as many). Cluster i and its children live in the
    /// namespace of account i mod N: account 0 is the operator's own, in the default namespace, without an
    /// AwsIdentity (as with one account); account k ≥ 1 in namespace <c>account-k</c>, which an AwsIdentity maps to a
    /// role in account k that trusts account 0.
    /// </summary>
    public int Accounts { get; init; } = 1;

    /// <summary>
    /// Operator processes, one shard each (docs/usage.md, "Sharding"). With N &gt; 1 process k serves shard <c>s{k}</c>
    /// with leader election on (its own Lease in the default namespace) and its own access key of account 0; cluster i
    /// and its children carry the label <c>eks.operator.dev/shard: s{i mod N}</c>. With 1 (the default) there is one
    /// unsharded operator, as before.
    /// </summary>
    public int Shards { get; init; } = 1;

    /// <summary>Print every AWS call about the first cluster and its children (diagnostics).</summary>
    public bool Trace { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Multiplier of every token bucket's refill rate.</summary>
    public double LimitFactor => WallClockLimits ? 1 : 1 / TimeScale;

    public string Command => "dotnet run -c Release --project bench/ScaleBench" + (Args.Count > 0 ? " -- " + string.Join(' ', Args) : "");

    public static ScaleBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ScaleBenchOptions { Args = [.. args] };
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--clusters" => o with { Clusters = Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--clusters") },
                "--time-scale" => o with { TimeScale = PositiveDouble(double.Parse(Value(), CultureInfo.InvariantCulture), "--time-scale") },
                "--changes" => o with { Changes = Math.Max(0, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--change-rate" => o with { ChangeRate = PositiveDouble(double.Parse(Value(), CultureInfo.InvariantCulture), "--change-rate") },
                "--wall-clock-limits" => o with { WallClockLimits = true },
                "--out" => o with { Out = Value() },
                "--trace" => o with { Trace = true },
                "--shared-roles" => o with { SharedRoles = true },
                "--accounts" => o with { Accounts = Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--accounts") },
                "--shards" => o with { Shards = Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--shards") },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        if (o.Accounts > o.Clusters) throw new ArgumentException("--accounts must not exceed --clusters (every account gets clusters)");
        return o.Shards <= o.Clusters ? o : throw new ArgumentException("--shards must not exceed --clusters (every shard gets clusters)");
    }

    private static int Positive(int value, string name) => value > 0 ? value : throw new ArgumentException($"{name} must be positive");

    private static double PositiveDouble(double value, string name) => value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{name} must be positive");
}

internal static class Repo
{
    // config/crd ships next to the sources; the benchmark runs from the repository.
    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln"))) return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmark from inside the repository");
    }
}

internal static class AwsCalls
{
    public static bool IsRead(string operation) =>
        operation.StartsWith("Describe", StringComparison.Ordinal) || operation.StartsWith("List", StringComparison.Ordinal)
        || operation.StartsWith("Get", StringComparison.Ordinal);

    public static bool IsMutating(string operation) => !IsRead(operation);
}
