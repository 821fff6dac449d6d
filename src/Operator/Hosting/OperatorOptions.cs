using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EksOperator.Hosting;

/// <summary>
/// Operator behaviour (section "Operator" of the configuration), validated at start: the annotations, those of
/// <see cref="ExpectedDurations"/> too (<see cref="OperatorOptionsAnnotations"/>), and the rules across fields
/// (<see cref="OperatorOptionsValidator"/>).
/// </summary>
public sealed class OperatorOptions
{
    /// <summary>AWS region this operator manages; EksClusters without spec.region use it.</summary>
    [Required]
    [RegularExpression("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Shortest wait between polls of an AWS resource that is changing (CREATING, UPDATING, DELETING).</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest such wait. A 12-minute cluster create is looked at after 5, 10 and 12 minutes.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an in-sync resource is compared with AWS to catch drift.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Token-mode kubeconfigs are rewritten at least this often (EKS tokens live 15 minutes).</summary>
    public TimeSpan TokenRefreshPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a node group or profile waits for the EksCluster its spec.clusterRef names to appear (GitOps tools may
    /// apply the cluster a little later) before it is Stalled ClusterNotFound; it goes on when the cluster appears.
    /// </summary>
    public TimeSpan ClusterNotFoundGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long AWS typically takes for each operation: the first look at a changing resource is then.</summary>
    [ValidateObjectMembers]
    public ExpectedDurations ExpectedDurations { get; set; } = new();

    /// <summary>Past its expected duration (or when none is known), a changing resource is looked at again after this
    /// share of the time it has spent so far, between <see cref="MinPollInterval"/> and <see cref="MaxPollInterval"/>.</summary>
    [Range(0.01, 1.0)]
    public double OverdueFraction { get; set; } = 0.1;

    /// <summary>
    /// The shard this replica serves (docs/usage.md, "Sharding"): it watches only the operator's objects labelled
    /// <c>eks.operator.dev/shard=&lt;Shard&gt;</c> and elects its leader on its own Lease. Unset: the default shard, the
    /// objects without that label. A label value; "default" is the default shard's name and cannot be chosen.
    /// </summary>
    [MaxLength(63)]
    [RegularExpression("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")]
    public string? Shard { get; set; }
}

/// <summary>
/// Typical AWS durations (the middle of the ranges AWS documents and users observe; a zero turns the expectation off
/// and the resource is polled from <see cref="OperatorOptions.MinPollInterval"/> upwards instead). Environments that
/// scale AWS's time (simulators) should scale these too, or set them to zero.
/// </summary>
public sealed class ExpectedDurations
{
    // Each duration's range: a zero is allowed (no expectation); a week is longer than anything AWS documents, so more is a typo.
    internal const string Shortest = "00:00:00";
    internal const string Longest = "7.00:00:00";

    /// <summary>Multiplies every duration below: one knob for environments whose AWS runs faster (a simulator's time scale).</summary>
    [Range(0.0, 1000.0)]
    public double Scale { get; set; } = 1.0;

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan ClusterCreate { get; set; } = TimeSpan.FromMinutes(12);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan ClusterVersionUpdate { get; set; } = TimeSpan.FromMinutes(12);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan ClusterConfigUpdate { get; set; } = TimeSpan.FromMinutes(3);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan ClusterDelete { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan NodegroupCreate { get; set; } = TimeSpan.FromMinutes(4);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan NodegroupConfigUpdate { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan NodegroupVersionUpdate { get; set; } = TimeSpan.FromMinutes(3);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan NodegroupDelete { get; set; } = TimeSpan.FromMinutes(3);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan FargateProfileCreate { get; set; } = TimeSpan.FromMinutes(3);

    [Range(typeof(TimeSpan), Shortest, Longest)]
    public TimeSpan FargateProfileDelete { get; set; } = TimeSpan.FromMinutes(3);
}

/// <summary>Data-annotation rules of the options, nested <see cref="ExpectedDurations"/> included (source-generated, no reflection).</summary>
[OptionsValidator]
internal sealed partial class OperatorOptionsAnnotations : IValidateOptions<OperatorOptions>;

/// <summary>Rules across fields and of periods, which data annotations do not express; each message names its option.</summary>
internal sealed class OperatorOptionsValidator : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var errors = new List<string>();
        void Positive(string option, TimeSpan value)
        {
            if (value <= TimeSpan.Zero) errors.Add($"Operator:{option} must be positive (is {value}).");
        }

        Positive(nameof(options.MinPollInterval), options.MinPollInterval);
        Positive(nameof(options.MaxPollInterval), options.MaxPollInterval);
        Positive(nameof(options.ResyncPeriod), options.ResyncPeriod);
        Positive(nameof(options.TokenRefreshPeriod), options.TokenRefreshPeriod);
        if (options.MinPollInterval > options.MaxPollInterval)
        {
            errors.Add($"Operator:MinPollInterval ({options.MinPollInterval}) must not exceed Operator:MaxPollInterval ({options.MaxPollInterval}).");
        }

        if (options.ClusterNotFoundGracePeriod < TimeSpan.Zero)
        {
            errors.Add($"Operator:ClusterNotFoundGracePeriod must not be negative (is {options.ClusterNotFoundGracePeriod}).");
        }

        if (options.ExpectedDurations is null) errors.Add("Operator:ExpectedDurations is required.");
        if (string.Equals(options.Shard, Runtime.ShardingOptions.DefaultShard, StringComparison.Ordinal))
        {
            errors.Add($"Operator:Shard must not be \"{Runtime.ShardingOptions.DefaultShard}\": that is the default shard's name (leave Operator:Shard unset for it).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
