using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EksOperator.Runtime;

/// <summary>Settings of the controller runtime, validated when the host starts.</summary>
public sealed class ControllerRuntimeOptions
{
    /// <summary>Namespaces to watch; empty means all namespaces.</summary>
    public IList<string> Namespaces { get; } = [];

    /// <summary>Label selector applied to every list and watch (e.g. to shard objects between operators); empty means none.</summary>
    public string? LabelSelector { get; set; }

    /// <summary>Concurrent reconciles per kind.</summary>
    [Range(1, 256)]
    public int Workers { get; set; } = 2;

    /// <summary>How often every cached object is reconciled again even without a change (drift detection).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Up to this fraction of <see cref="ResyncPeriod"/> is added at random, so resyncs of many objects do not align.</summary>
    [Range(0.0, 1.0)]
    public double ResyncJitter { get; set; } = 0.1;

    /// <summary>How long start-up waits for the caches before the host fails.</summary>
    public TimeSpan CacheSyncTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a graceful shutdown waits for in-flight reconciles before cancelling them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A watch that has delivered nothing (not even a bookmark) for this long is restarted.</summary>
    public TimeSpan WatchSilenceTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Component name written into Events' <c>source.component</c>.</summary>
    [Required]
    public string EventSource { get; set; } = "controller-runtime";

    /// <summary>Retry limits.</summary>
    [ValidateObjectMembers]
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Lease-based leader election.</summary>
    [ValidateObjectMembers]
    public LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary>Splitting objects between groups of replicas by a label (off unless <see cref="ShardingOptions.LabelKey"/> is set).</summary>
    public ShardingOptions Sharding { get; set; } = new();
}

/// <summary>
/// Sharding: a replica of shard S watches the namespaced kinds of <see cref="Groups"/> with <c>LabelKey=S</c>, the
/// default shard with <c>!LabelKey</c> (label absent); every other kind is watched whole. Each shard elects its own
/// leader on the Lease <c>LeaseName-S</c> (the default shard keeps <c>LeaseName</c>).
/// </summary>
public sealed class ShardingOptions
{
    /// <summary>The name the default shard (objects without the label) goes by in status and logs.</summary>
    public const string DefaultShard = "default";

    /// <summary>The label that names an object's shard; empty turns sharding off (every replica sees every object).</summary>
    public string? LabelKey { get; set; }

    /// <summary>This replica's shard (a label value); empty means the default shard.</summary>
    public string? Shard { get; set; }

    /// <summary>API groups whose namespaced kinds are split; cluster-scoped kinds and other groups are not filtered.</summary>
    public IList<string> Groups { get; } = [];

    /// <summary><see cref="Shard"/>, or <see cref="DefaultShard"/> when it is empty.</summary>
    public string Current => Shard is { Length: > 0 } shard ? shard : DefaultShard;
}

/// <summary>Retry policy: max(per-key exponential backoff, one token bucket for all keys).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Delay after the first failure; doubles with each further failure.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Cap of the per-key backoff.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1000);

    /// <summary>Overall retries per second.</summary>
    [Range(0.001, 100_000)]
    public double QueriesPerSecond { get; set; } = 10;

    /// <summary>Retries allowed at once before the bucket rate applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;
}

/// <summary>Leader election over a coordination.k8s.io/v1 Lease.</summary>
public sealed class LeaderElectionOptions
{
    /// <summary>When false every replica runs workers (single-replica deployments and tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Name of the Lease.</summary>
    [Required]
    public string LeaseName { get; set; } = "controller-runtime-leader";

    /// <summary>Namespace of the Lease; defaults to the pod's namespace file, else "default".</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>This replica's identity; defaults to the host name plus a random suffix.</summary>
    public string? Identity { get; set; }

    /// <summary>How long a lease is valid without renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The leader gives up if it cannot renew within this time.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquisition and renewal attempts.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Stop the host when leadership is lost (controller-runtime's behaviour); otherwise campaign again.</summary>
    public bool StopHostOnLoss { get; set; } = true;
}

/// <summary>Cross-field rules that data annotations cannot express.</summary>
internal sealed class ControllerRuntimeOptionsValidator : IValidateOptions<ControllerRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, ControllerRuntimeOptions options)
    {
        var errors = new List<string>();
        if (options.ResyncPeriod < TimeSpan.FromSeconds(1))
        {
            errors.Add("ResyncPeriod must be at least 1s.");
        }

        if (options.CacheSyncTimeout <= TimeSpan.Zero || options.ShutdownTimeout < TimeSpan.Zero)
        {
            errors.Add("CacheSyncTimeout must be positive and ShutdownTimeout not negative.");
        }

        if (options.WatchSilenceTimeout < TimeSpan.FromSeconds(1))
        {
            errors.Add("WatchSilenceTimeout must be at least 1s.");
        }

        if (options.Namespaces.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Namespaces must not contain empty names (leave the list empty to watch all).");
        }

        var rates = options.RateLimits;
        if (rates.BaseDelay <= TimeSpan.Zero || rates.MaxDelay < rates.BaseDelay)
        {
            errors.Add("RateLimits: BaseDelay must be positive and MaxDelay at least BaseDelay.");
        }

        var lease = options.LeaderElection;
        if (lease.Enabled)
        {
            if (lease.RetryPeriod <= TimeSpan.Zero || lease.RenewDeadline <= lease.RetryPeriod || lease.LeaseDuration <= lease.RenewDeadline)
            {
                errors.Add("LeaderElection: need 0 < RetryPeriod < RenewDeadline < LeaseDuration.");
            }

            if (lease.LeaseDuration.TotalSeconds < 1 || lease.LeaseDuration.TotalSeconds % 1 != 0)
            {
                errors.Add("LeaderElection: LeaseDuration must be whole seconds (the Lease stores seconds).");
            }
        }

        if (options.Sharding.LabelKey is { Length: > 0 } && options.Sharding.Groups.Count == 0)
        {
            errors.Add("Sharding: Groups must name the API groups to split when LabelKey is set.");
        }

        if (options.Sharding.Shard is { Length: > 0 } && options.Sharding.LabelKey is not { Length: > 0 })
        {
            errors.Add("Sharding: Shard needs LabelKey.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
