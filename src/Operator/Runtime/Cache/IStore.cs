using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace EksOperator.Runtime;

/// <summary>
/// Read-only view of an informer's cache. Objects returned are shared with the cache: never mutate them; use
/// <see cref="KubernetesObjectCopy.DeepCopy{T}(T)"/> (the status patcher does) before changing anything.
/// </summary>
public interface IStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True once the first full list of every watched namespace has been loaded.</summary>
    bool HasSynced { get; }

    int Count { get; }

    bool TryGet(ObjectKey key, [NotNullWhen(true)] out T? value);

    IReadOnlyList<T> List();

    /// <summary>Objects of one namespace (the built-in namespace index).</summary>
    IReadOnlyList<T> List(string @namespace);

    /// <summary>Objects whose index function returned <paramref name="value"/> for the index <paramref name="indexName"/>.</summary>
    IReadOnlyList<T> ByIndex(string indexName, string value);

    IReadOnlyList<ObjectKey> Keys();
}

/// <summary>Copies of cached objects that may be changed freely.</summary>
public static class KubernetesObjectCopy
{
    /// <summary>A deep copy through the Kubernetes JSON serializer (the same shape the API server sees).</summary>
    public static T DeepCopy<T>(this T value)
        where T : class
        => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
