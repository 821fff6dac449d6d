using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;

namespace EksOperator.Runtime;

/// <summary>
/// Typed reads and writes of whole objects for reconcilers (children, outputs such as Secrets): the only way
/// controllers change objects other than through status, finalizers and events.
/// </summary>
public interface IObjectClient
{
    /// <summary>The object from the API server (not the cache), or null when it does not exist.</summary>
    Task<T?> GetAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>An RFC 7386 merge patch; put metadata.resourceVersion in it to make it conditional.</summary>
    Task<T> MergePatchAsync<T>(ObjectKey key, JsonNode patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes the object; true when a delete was sent, false when it was already gone.</summary>
    Task<bool> DeleteAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}

internal sealed class ObjectClient(KubernetesApi api, ResourceTypes types) : IObjectClient
{
    public async Task<T?> GetAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            return await api.GetAsync<T>(types.Get<T>().ObjectPath(key), cancellationToken);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = types.Get<T>();
        obj.ApiVersion ??= type.ApiVersion;
        obj.Kind ??= type.Kind;
        return api.CreateAsync(type.CollectionPath(obj.Metadata?.NamespaceProperty), obj, cancellationToken);
    }

    public Task<T> MergePatchAsync<T>(ObjectKey key, JsonNode patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => api.MergePatchAsync<T>(types.Get<T>().ObjectPath(key), patch, cancellationToken);

    public async Task<bool> DeleteAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            await api.DeleteAsync(types.Get<T>().ObjectPath(key), cancellationToken);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return false;
        }
    }
}
