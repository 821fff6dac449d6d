using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EksOperator.Runtime;

/// <summary>
/// Which shard this replica serves and what it may learn about the others: whether another shard's Lease is held, and
/// a conditional release of an object this shard recorded as its own (<c>status.shard</c>). Reconcilers use it to hand
/// objects over between shards without two replicas acting on one object (the rule lives in the reconcile frame).
/// </summary>
public interface IShards
{
    /// <summary>This replica's shard: the label value it watches, or <see cref="ShardingOptions.DefaultShard"/>.</summary>
    string Current { get; }

    /// <summary>Whether sharding is configured at all (a label key is set).</summary>
    bool Enabled { get; }

    /// <summary>The Lease of <paramref name="shard"/> as it stands now (not held when it does not exist).</summary>
    Task<ShardLease> LeaseOfAsync(string shard, CancellationToken cancellationToken);

    /// <summary>
    /// Writes this shard's name into <c>status.shard</c> only if the object is still the version <paramref name="cached"/>
    /// shows (a status merge patch carrying its resourceVersion): two shards that both see an unclaimed object cannot
    /// both claim it, and a shard never claims an object relabelled away since its cache read it. Returns the new
    /// resourceVersion, or null when the object changed meanwhile or is gone.
    /// </summary>
    Task<string?> ClaimAsync<T>(T cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Removes <c>status.shard</c> from the object only if it still names <paramref name="shard"/> (a JSON patch with a
    /// <c>test</c> operation, so a new owner's record is never clobbered). False when the object is gone or names
    /// another shard (nothing to release).
    /// </summary>
    Task<bool> ReleaseAsync<T>(ObjectKey key, string shard, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}

/// <summary>A shard's Lease: whether some replica holds it now (renewed within its duration), and who.</summary>
public sealed record ShardLease(bool Held, string? Holder);

/// <summary>The per-type label filter of a shard: only namespaced kinds of the sharded API groups are split.</summary>
internal sealed record ShardFilter(string LabelKey, string Shard, IReadOnlyList<string> Groups)
{
    /// <summary><c>key=shard</c>, or <c>!key</c> (label absent) for the default shard.</summary>
    public string Selector => Shard == ShardingOptions.DefaultShard ? "!" + LabelKey : $"{LabelKey}={Shard}";

    public bool AppliesTo(ResourceType resource) => resource.Namespaced && Groups.Contains(resource.Group, StringComparer.Ordinal);

    /// <summary>The sharded selector of a resource type, combined with the runtime-wide one.</summary>
    public static string? SelectorFor(ResourceType resource, string? global, ShardFilter? filter)
    {
        var shard = filter is not null && filter.AppliesTo(resource) ? filter.Selector : null;
        return (global is { Length: > 0 }, shard) switch
        {
            (true, not null) => global + "," + shard,
            (true, null) => global,
            (false, _) => shard,
        };
    }

    /// <summary>The Lease of a shard: the base name for the default shard, <c>name-shard</c> for the others.</summary>
    public static string LeaseName(string baseName, string shard) => shard == ShardingOptions.DefaultShard ? baseName : $"{baseName}-{shard}";

    public static ShardFilter? From(ShardingOptions options) =>
        options.LabelKey is { Length: > 0 } key ? new ShardFilter(key, options.Current, [.. options.Groups]) : null;
}

internal sealed partial class Shards(
    KubernetesApi api,
    IKubernetes client,
    ResourceTypes types,
    IOptions<ControllerRuntimeOptions> options,
    TimeProvider time,
    ILogger<Shards> logger) : IShards
{
    private readonly ControllerRuntimeOptions _options = options.Value;

    public string Current => _options.Sharding.Current;

    public bool Enabled => _options.Sharding.LabelKey is { Length: > 0 };

    public async Task<ShardLease> LeaseOfAsync(string shard, CancellationToken cancellationToken)
    {
        var election = _options.LeaderElection;
        var name = ShardFilter.LeaseName(election.LeaseName, shard);
        var ns = LeaderElection.LeaseElection.NamespaceOf(election);
        V1Lease lease;
        try
        {
            lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new ShardLease(false, null);
        }

        var spec = lease.Spec;
        if (spec?.HolderIdentity is not { Length: > 0 } holder || spec.RenewTime is not { } renewed)
        {
            return new ShardLease(false, null);
        }

        // The holder's clock wrote renewTime; a skew between replicas shifts the expiry by as much (as in client-go).
        var expires = new DateTimeOffset(DateTime.SpecifyKind(renewed, DateTimeKind.Utc)) + TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? 0);
        return new ShardLease(expires > time.GetUtcNow(), holder);
    }

    public async Task<string?> ClaimAsync<T>(T cached, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(cached);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = cached.Metadata.ResourceVersion },
            ["status"] = new JsonObject { ["shard"] = Current },
        };
        var key = ObjectKey.From(cached);
        try
        {
            var claimed = await api.MergePatchAsync<JsonObject>(types.Get<T>().ObjectPath(key) + "/status", patch, cancellationToken);
            return claimed["metadata"]?["resourceVersion"]?.GetValue<string>();
        }
        catch (KubernetesApiException ex) when (ex.IsNotFound || ex.IsConflict)
        {
            LogClaimLost(logger, key, Current);
            return null;
        }
    }

    public async Task<bool> ReleaseAsync<T>(ObjectKey key, string shard, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var patch = new JsonArray(
            new JsonObject { ["op"] = "test", ["path"] = "/status/shard", ["value"] = shard },
            new JsonObject { ["op"] = "remove", ["path"] = "/status/shard" });
        try
        {
            await api.JsonPatchAsync<JsonObject>(types.Get<T>().ObjectPath(key) + "/status", patch, cancellationToken);
            LogReleased(logger, key, shard);
            return true;
        }
        catch (KubernetesApiException ex) when (ex.IsNotFound || ex.IsConflict || (int)ex.StatusCode is 422 or 400)
        {
            // Gone (deleted), or no longer ours (a failed test: released already, or taken over): nothing to release.
            return false;
        }
    }

    [LoggerMessage(LogLevel.Debug, "{Key} changed before shard {Shard} could claim it; looking again")]
    private static partial void LogClaimLost(ILogger logger, ObjectKey key, string shard);

    [LoggerMessage(LogLevel.Information, "Released {Key} from shard {Shard}: it left this shard's selector")]
    private static partial void LogReleased(ILogger logger, ObjectKey key, string shard);
}
