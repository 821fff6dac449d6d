using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers;

/// <summary>
/// The frame of every reconcile: read from the store, run on a copy with one status patch at the end, honour the
/// paused annotation, say "seen" on first sight (kstatus counts an object without status as Current), and turn each
/// transition into Stalled into a Warning event.
/// </summary>
internal sealed class ReconcilePass(IStatusPatcher statusPatcher, IEventRecorder events, StatusConditions conditions)
{
    public async Task<ReconcileResult> RunAsync<T>(IStore<T> store, ObjectKey key, Func<T, CancellationToken, Task<ReconcileResult>> body, CancellationToken cancellationToken)
        where T : class, IEksResource
    {
        if (!store.TryGet(key, out var cached)) return ReconcileResult.Done;
        var wasStalled = StatusConditions.IsStalled(cached);
        return await statusPatcher.RunAsync(cached, async (obj, ct) =>
        {
            var status = obj.CommonStatus;
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
    }
}
