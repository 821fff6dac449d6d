using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;

namespace EksOperator.Runtime;

/// <summary>Adds and removes one finalizer, guarded by resourceVersion so other controllers' finalizers are never lost.</summary>
public interface IFinalizers
{
    /// <summary>
    /// Adds the finalizer when missing. Returns true when it was added: the pass should end there, since the update
    /// brings the object back through the watch. A 409 means the cache was stale: throw, the newer version follows.
    /// </summary>
    Task<bool> EnsureAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Removes the finalizer when present; true when removed. Pass <see cref="CancellationToken.None"/> when this commits a finished delete.</summary>
    Task<bool> RemoveAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}

internal sealed class Finalizers(KubernetesApi api, ResourceTypes types) : IFinalizers
{
    public Task<bool> EnsureAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var current = obj.Metadata?.Finalizers ?? [];
        return current.Contains(finalizer)
            ? Task.FromResult(false)
            : WriteAsync(obj, [.. current, finalizer], cancellationToken);
    }

    public Task<bool> RemoveAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var current = obj.Metadata?.Finalizers ?? [];
        return !current.Contains(finalizer)
            ? Task.FromResult(false)
            : WriteAsync(obj, [.. current.Where(f => f != finalizer)], cancellationToken);
    }

    private async Task<bool> WriteAsync<T>(T obj, List<string> finalizers, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resourceVersion = obj.Metadata?.ResourceVersion
            ?? throw new InvalidOperationException("A finalizer change needs the object's resourceVersion.");

        // resourceVersion in a merge patch is a precondition: the server answers 409 if the object changed since.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = resourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        JsonObject updated;
        try
        {
            updated = await api.MergePatchAsync<JsonObject>(types.Get<T>().ObjectPath(ObjectKey.From(obj)), patch, cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            // Already gone (a previous pass removed the last finalizer and the cache had not caught up): nothing to change.
            return false;
        }

        obj.Metadata!.Finalizers = finalizers;
        if (updated["metadata"]?["resourceVersion"]?.GetValue<string>() is { } newVersion)
        {
            obj.Metadata.ResourceVersion = newVersion;
        }

        return true;
    }
}
