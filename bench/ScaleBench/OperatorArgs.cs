using System.Globalization;
using EksOperator.Aws;
using EksOperator.Hosting;
using EksOperator.OnSimulators;
using EksOperator.Simulators.Aws;

namespace EksOperator.Bench.Scale;

/// <summary>The operator's command line: its defaults, with every period and rate scaled as <see cref="ScaleBenchOptions"/> says.</summary>
internal static class OperatorArgs
{
    /// <summary>
    /// With <paramref name="shard"/> (sharded runs): that shard, leader election on (sharding needs it: the handover
    /// reads the other shards' Leases), its Lease in the default namespace, its own identity, and its own access key of
    /// account 0, so that the simulator's call log tells the shards apart.
    /// </summary>
    public static IReadOnlyList<string> For(ScaleBenchOptions options, AwsSimulator aws, string kubeconfig, string? shard = null, AwsAccount? key = null)
    {
        var operatorDefaults = new OperatorOptions();
        var awsDefaults = new AwsOptions();
        var s = options.TimeScale;
        var args = OperatorArguments.Against(aws, kubeconfig)
            // The runtime's informer resync (default 10 minutes) re-queues every object; the runtime rejects < 1 s.
            .Set("Runtime:ResyncPeriod", Max(TimeSpan.FromMinutes(10) * s, TimeSpan.FromSeconds(1)))
            // The listening address is read from this line.
            .Set("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information");

        // Every period of the operator's options (poll bounds, resync, expected AWS durations), whatever they are.
        args.Add(ScaledPeriods("Operator", operatorDefaults, s));

        if (!options.WallClockLimits)
        {
            foreach (var (name, limits) in new[] { ("Eks", awsDefaults.Eks), ("Iam", awsDefaults.Iam), ("Ec2", awsDefaults.Ec2) })
            {
                if (limits.RequestsPerSecond > 0)
                {
                    args.Set($"Aws:{name}:RequestsPerSecond", limits.RequestsPerSecond * options.LimitFactor);
                }
            }
        }

        if (shard is not null)
        {
            // Later arguments win: these replace Against's single-replica settings.
            args.Set("Operator:Shard", shard)
                .Set("Runtime:LeaderElection:Enabled", "true")
                .Set("Runtime:LeaderElection:LeaseNamespace", "default")
                .Set("Runtime:LeaderElection:Identity", $"scale-bench-{shard}");
            if (key is not null) args.Set("Aws:AccessKeyId", key.AccessKeyId).Set("Aws:SecretAccessKey", key.SecretAccessKey);
        }

        return args.ToArray();
    }

    private static IEnumerable<string> ScaledPeriods(string section, object defaults, double scale)
    {
        foreach (var property in defaults.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            var value = property.GetValue(defaults);
            if (value is TimeSpan period)
            {
                yield return $"--{section}:{property.Name}={Span(period * scale)}";
            }
            else if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                foreach (var nested in ScaledPeriods($"{section}:{property.Name}", value, scale)) yield return nested;
            }
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
