using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace EksOperator.Runtime;

/// <summary>
/// Cluster API's deferred patch helper: run a reconcile body on a private copy of the object, then write one merge
/// patch of only the status fields that changed to <c>/status</c>.
/// </summary>
public interface IStatusPatcher
{
    /// <summary>
    /// Copies <paramref name="cached"/>, runs <paramref name="body"/> on the copy (which it may change freely), then
    /// patches the status difference. <c>status.observedGeneration</c> is set to <c>metadata.generation</c> only when
    /// the body did not throw; the body's exception is rethrown after the patch.
    /// </summary>
    Task<ReconcileResult> RunAsync<T>(T cached, Func<T, CancellationToken, Task<ReconcileResult>> body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}

internal sealed partial class StatusPatcher(KubernetesApi api, ResourceTypes types, ILogger<StatusPatcher> logger) : IStatusPatcher
{
    private const int ConflictRetries = 3;

    public async Task<ReconcileResult> RunAsync<T>(T cached, Func<T, CancellationToken, Task<ReconcileResult>> body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(cached);
        ArgumentNullException.ThrowIfNull(body);
        var before = StatusOf(cached);
        var working = cached.DeepCopy();
        ReconcileResult result;
        try
        {
            result = await body(working, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Conditions that describe the failure are still worth writing; the generation is not "observed".
            await PatchAsync(working, before, setObservedGeneration: false, cancellationToken);
            throw;
        }

        await PatchAsync(working, before, setObservedGeneration: true, cancellationToken);
        return result;
    }

    internal async Task<bool> PatchAsync<T>(T obj, JsonNode? before, bool setObservedGeneration, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var after = StatusOf(obj);
        if (setObservedGeneration && obj.Metadata?.Generation is { } generation)
        {
            after ??= new JsonObject();
            if (after is JsonObject status)
            {
                status["observedGeneration"] = generation;
            }
        }

        if (!MergePatch.TryDiff(before, after, out var diff))
        {
            return false;
        }

        var patch = new JsonObject { ["status"] = diff };
        var path = types.Get<T>().ObjectPath(ObjectKey.From(obj)) + "/status";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // No resourceVersion in the patch: it carries only our changes, so applying it to a newer object is
                // correct and a stale cache cannot cause a conflict. A 409 can still come (admission, injected faults).
                await api.MergePatchAsync<JsonObject>(path, patch.DeepClone(), cancellationToken);
                return true;
            }
            catch (KubernetesApiException ex) when (ex.IsNotFound)
            {
                // Gone meanwhile (last finalizer removed): nothing left to describe.
                return false;
            }
            catch (KubernetesApiException ex) when (ex.IsConflict && attempt < ConflictRetries)
            {
                LogConflict(logger, ObjectKey.From(obj), attempt);
            }
        }
    }

    private static JsonNode? StatusOf<T>(T obj)
        where T : class
        => JsonNode.Parse(KubernetesJson.Serialize(obj))?["status"]?.DeepClone();

    [LoggerMessage(LogLevel.Debug, "Status patch of {Key} conflicted (attempt {Attempt}); retrying")]
    private static partial void LogConflict(ILogger logger, ObjectKey key, int attempt);
}

/// <summary>RFC 7386 merge patch computation: only what changed; removed keys become null; arrays are replaced whole.</summary>
internal static class MergePatch
{
    public static bool TryDiff(JsonNode? before, JsonNode? after, out JsonNode? patch)
    {
        if (before is JsonObject oldObject && after is JsonObject newObject)
        {
            var result = new JsonObject();
            foreach (var (name, value) in newObject)
            {
                if (TryDiff(oldObject[name], value, out var child))
                {
                    result[name] = child;
                }
            }

            foreach (var (name, _) in oldObject)
            {
                if (!newObject.ContainsKey(name))
                {
                    result[name] = null;
                }
            }

            patch = result;
            return result.Count > 0;
        }

        if (JsonNode.DeepEquals(before, after))
        {
            patch = null;
            return false;
        }

        patch = after?.DeepClone();
        return true;
    }
}
