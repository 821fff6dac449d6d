using System.Collections.Concurrent;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Loop;

/// <summary>
/// The frame of every reconcile: read from the store, run on a copy with one status patch at the end, honour the
/// paused annotation, say "seen" on first sight (kstatus counts an object without status as Current), and turn each
/// transition into Stalled into a Warning event.
/// <para>
/// An object found in sync is not looked at in AWS again before its resync unless something it depends on changed:
/// its generation, metadata (annotations, labels, finalizers, deletion) or the <paramref name="inputs"/> its
/// reconciler reads from other objects (a node group reads its cluster's version). Watches poke a Ready cluster on
/// every status write of its node groups and profiles; without this each poke cost a Describe. The same holds for an
/// object whose spec the user must fix (a terminal result): nothing is sent again until that changes.
/// </para>
/// <para>
/// Shards (docs/usage.md, "Sharding"): a pass claims an object for its shard in <c>status.shard</c> before acting on it
/// (guarded by the cached resourceVersion), and never acts on an object another live shard still holds
/// (<see cref="HandoverAsync"/>). An object that left this shard's cache (a
/// relabel, or a deletion) is released by the next pass of its key, which the work queue runs only after any pass in
/// flight for that key.
/// </para>
/// </summary>
internal sealed class ReconcilePass(IStatusPatcher statusPatcher, IEventRecorder events, StatusConditions conditions, Polling polling, TimeProvider time, IShards shards)
{
    // A poke this close to the scheduled resync runs anyway: the resync is due.
    private const double ResyncDueFraction = 0.9;
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, InSync> _inSync = new(StringComparer.Ordinal);

    // The holder of the other shard's Lease when a pass first waited for it, per UID: a new holder means the old one
    // lost its Lease, and with it any pass it had in flight.
    private readonly ConcurrentDictionary<string, string?> _waitingFor = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> RunAsync<T>(IStore<T> store, ObjectKey key, Func<T, CancellationToken, Task<ReconcileResult>> body, CancellationToken cancellationToken, Func<T, string?>? inputs = null)
        where T : class, IEksResource
    {
        var slot = typeof(T).Name + "/" + key;
        if (!store.TryGet(key, out var cached))
        {
            // Deleted, or relabelled out of this shard: give the object up if it still names this shard (a 404 when deleted).
            _inSync.TryRemove(slot, out _);
            if (shards.Enabled && key.Namespace.Length > 0) await shards.ReleaseAsync<T>(key, shards.Current, cancellationToken);
            return ReconcileResult.Done;
        }

        var uid = cached.Metadata.Uid ?? "";
        // Cluster-scoped objects (AwsIdentity) are no shard's: every shard watches them whole, none claims them.
        var sharded = key.Namespace.Length > 0;
        var fingerprint = Fingerprint(cached, inputs);
        var now = time.GetUtcNow();
        var resync = polling.Options.ResyncPeriod;
        if (_inSync.TryGetValue(slot, out var last) && last.Uid == uid && last.Fingerprint == fingerprint && now - last.At < resync * ResyncDueFraction
            && (!sharded || cached.CommonStatus?.Shard == shards.Current))
        {
            return last.Terminal ? ReconcileResult.Done : ReconcileResult.RequeueAfter(last.At + resync - now);
        }

        var wasStalled = StatusConditions.IsStalled(cached);
        var handover = sharded ? await HandoverAsync(cached, cancellationToken) : null;
        string? claimed = null;
        if (sharded && handover is null && cached.CommonStatus?.Shard != shards.Current)
        {
            // Claimed before anything is done, against the cached version: a relabel since then wins, and so does
            // another shard's claim (the watch brings the newer version, and the object back).
            claimed = await shards.ClaimAsync(cached, cancellationToken);
            if (claimed is null) return polling.Soon;
        }

        var result = await statusPatcher.RunAsync(cached, async (obj, ct) =>
        {
            // The pass works on its own copy: its status exists from here on (the cached object stays as it was).
            var status = obj.EnsureStatus();
            if (handover is not null)
            {
                conditions.Progressing(obj, ConditionReasons.ShardHandover, handover);
                return polling.Soon;
            }

            // The claim moved the object on: guarded writes of this pass (finalizers) name the version it made.
            if (claimed is not null) obj.Metadata.ResourceVersion = claimed;
            if (sharded) status.Shard = shards.Current;
            if (Polling.IsPaused(obj))
            {
                conditions.Paused(obj);
                return ReconcileResult.Done;
            }

            if (status.Conditions is null or { Count: 0 })
            {
                conditions.Progressing(obj, ConditionReasons.Creating, $"the operator has seen the {obj.Kind}");
            }

            var result = await body(obj, ct);
            if (StatusConditions.NewlyStalled(wasStalled, obj) is { } message)
            {
                await events.RecordAsync(obj, EventType.Warning, status.Conditions!.Find(ConditionTypes.Stalled)!.Reason, message, ct);
            }

            return result;
        }, cancellationToken);

        var terminal = result.Outcome == ReconcileOutcome.Terminal;
        if (handover is null && (terminal || (result.Outcome == ReconcileOutcome.RequeueAfter && result.Delay == resync)) && cached.Metadata.DeletionTimestamp is null)
        {
            if (_inSync.Count >= MaxTracked) _inSync.Clear();
            _inSync[slot] = new InSync(uid, fingerprint, now, terminal);
        }
        else
        {
            _inSync.TryRemove(slot, out _);
        }

        return result;
    }

    /// <summary>
    /// The handover rule: an object whose <c>status.shard</c> names another shard is not acted on while that shard's
    /// Lease is held by the replica that held it when this shard first saw the object (it may have a pass in flight,
    /// and it releases the object once its cache has seen it leave). An expired Lease, or one that has changed hands
    /// since, means no pass of the old shard can still be running: this shard takes the object over at once.
    /// Returns the reason to wait, or null to go on.
    /// </summary>
    private async Task<string?> HandoverAsync(IEksResource cached, CancellationToken cancellationToken)
    {
        var uid = cached.Metadata.Uid ?? "";
        if (cached.CommonStatus?.Shard is not { } recorded || recorded == shards.Current)
        {
            _waitingFor.TryRemove(uid, out _);
            return null;
        }

        var lease = await shards.LeaseOfAsync(recorded, cancellationToken);
        if (_waitingFor.Count >= MaxTracked) _waitingFor.Clear();
        var first = _waitingFor.GetOrAdd(uid, lease.Holder);
        if (!lease.Held || first != lease.Holder)
        {
            _waitingFor.TryRemove(uid, out _);
            return null;
        }

        return $"Labelled {Entities.Labels.Shard}={LabelValue(shards.Current)}, but shard {recorded} (its Lease held by {lease.Holder}) "
            + "has not released it yet; waiting so that no two shards act on it";
    }

    private static string LabelValue(string shard) => shard == ShardingOptions.DefaultShard ? "(none: the default shard)" : shard;

    private static string Fingerprint<T>(T obj, Func<T, string?>? inputs)
        where T : class, IEksResource
    {
        var m = obj.Metadata;
        static string Map(IDictionary<string, string>? map) =>
            map is null ? "" : string.Join('\u001f', map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
        return string.Join('\u001e',
            m.Generation?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            m.DeletionTimestamp is null ? "" : "deleting",
            Map(m.Annotations),
            Map(m.Labels),
            string.Join(',', m.Finalizers ?? []),
            inputs?.Invoke(obj) ?? "");
    }

    private sealed record InSync(string Uid, string Fingerprint, DateTimeOffset At, bool Terminal);
}
