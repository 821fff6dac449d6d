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
/// </summary>
internal sealed class ReconcilePass(IStatusPatcher statusPatcher, IEventRecorder events, StatusConditions conditions, Polling polling, TimeProvider time)
{
    // A poke this close to the scheduled resync runs anyway: the resync is due.
    private const double ResyncDueFraction = 0.9;
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, InSync> _inSync = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> RunAsync<T>(IStore<T> store, ObjectKey key, Func<T, CancellationToken, Task<ReconcileResult>> body, CancellationToken cancellationToken, Func<T, string?>? inputs = null)
        where T : class, IEksResource
    {
        if (!store.TryGet(key, out var cached))
        {
            return ReconcileResult.Done;
        }

        var uid = cached.Metadata.Uid ?? "";
        var fingerprint = Fingerprint(cached, inputs);
        var now = time.GetUtcNow();
        var resync = polling.Options.ResyncPeriod;
        if (_inSync.TryGetValue(uid, out var last) && last.Fingerprint == fingerprint && now - last.At < resync * ResyncDueFraction)
        {
            return last.Terminal ? ReconcileResult.Done : ReconcileResult.RequeueAfter(last.At + resync - now);
        }

        var wasStalled = StatusConditions.IsStalled(cached);
        var result = await statusPatcher.RunAsync(cached, async (obj, ct) =>
        {
            // The pass works on its own copy: its status exists from here on (the cached object stays as it was).
            var status = obj.EnsureStatus();
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
        if ((terminal || (result.Outcome == ReconcileOutcome.RequeueAfter && result.Delay == resync)) && cached.Metadata.DeletionTimestamp is null)
        {
            if (_inSync.Count >= MaxTracked) _inSync.Clear();
            _inSync[uid] = new InSync(fingerprint, now, terminal);
        }
        else
        {
            _inSync.TryRemove(uid, out _);
        }

        return result;
    }

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

    private sealed record InSync(string Fingerprint, DateTimeOffset At, bool Terminal);
}
