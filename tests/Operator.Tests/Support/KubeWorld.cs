using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;
using EksOperator.Controllers.Kinds;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using k8s;
using k8s.Models;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// An in-memory API server and informer cache in one: every write lands at once in the store the reconcilers read
/// (as if the watch had delivered it). Writes bump resourceVersion; deleting an object with finalizers only marks it.
/// </summary>
internal sealed class KubeWorld(TimeProvider time) : IInformerCache, IObjectClient, IFinalizers, IStatusPatcher, IEventRecorder
{
    private readonly Dictionary<Type, object> _stores = [];
    private long _version = 100;

    public List<RecordedEvent> Events { get; } = [];

    /// <summary>Status patches written (an unchanged pass writes none).</summary>
    public int StatusPatches { get; private set; }

    public bool HasSynced => true;

    public MemoryStore<T> Store<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (!_stores.TryGetValue(typeof(T), out var store))
        {
            store = new MemoryStore<T>(KindRegistry.For(typeof(T))?.ChildOfCluster is { } child ? o => child.IndexKeys((IEksResource)o) : null);
            _stores[typeof(T)] = store;
        }

        return (MemoryStore<T>)store;
    }

    public IStore<T> GetStore<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Store<T>();

    public string NextVersion() => (++_version).ToString(CultureInfo.InvariantCulture);

    /// <summary>Stores a copy, as the API server keeps its own.</summary>
    public T Put<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var copy = obj.DeepCopy();
        copy.Metadata.ResourceVersion = NextVersion();
        Store<T>().Set(copy);
        return copy;
    }

    // IObjectClient

    public Task<T?> GetAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Task.FromResult(Store<T>().TryGet(key, out var found) ? found.DeepCopy() : null);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (Store<T>().TryGet(ObjectKey.From(obj), out _)) throw new InvalidOperationException($"{ObjectKey.From(obj)} exists already (409)");
        obj.Metadata.Uid ??= Guid.NewGuid().ToString();
        obj.Metadata.CreationTimestamp ??= time.GetUtcNow().UtcDateTime;
        return Task.FromResult(Put(obj).DeepCopy());
    }

    public Task<T> MergePatchAsync<T>(ObjectKey key, JsonNode patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (!Store<T>().TryGet(key, out var current)) throw new InvalidOperationException($"{key} not found (404)");
        if (patch["metadata"]?["resourceVersion"]?.GetValue<string>() is { } expected && expected != current.Metadata.ResourceVersion)
        {
            throw new InvalidOperationException($"{key}: resourceVersion {expected} is stale (409)");
        }

        var node = JsonNode.Parse(KubernetesJson.Serialize(current))!;
        var merged = Merge(node, patch);
        merged["metadata"]!["resourceVersion"] = null;
        var result = KubernetesJson.Deserialize<T>(merged.ToJsonString());
        return Task.FromResult(Put(result).DeepCopy());
    }

    public Task<bool> DeleteAsync<T>(ObjectKey key, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var store = Store<T>();
        if (!store.TryGet(key, out var current)) return Task.FromResult(false);
        if (current.Metadata.Finalizers is { Count: > 0 })
        {
            if (current.Metadata.DeletionTimestamp is null)
            {
                var marked = current.DeepCopy();
                marked.Metadata.DeletionTimestamp = time.GetUtcNow().UtcDateTime;
                Put(marked);
            }
        }
        else
        {
            store.Remove(key);
        }

        return Task.FromResult(true);
    }

    // IFinalizers: a resourceVersion-guarded write of metadata.finalizers, as the real one.

    public Task<bool> EnsureAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => (obj.Metadata.Finalizers ?? []).Contains(finalizer)
            ? Task.FromResult(false)
            : WriteFinalizersAsync(obj, [.. obj.Metadata.Finalizers ?? [], finalizer]);

    public Task<bool> RemoveAsync<T>(T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => !(obj.Metadata.Finalizers ?? []).Contains(finalizer)
            ? Task.FromResult(false)
            : WriteFinalizersAsync(obj, [.. obj.Metadata.Finalizers!.Where(f => f != finalizer)]);

    private async Task<bool> WriteFinalizersAsync<T>(T obj, List<string> finalizers)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var key = ObjectKey.From(obj);
        if (!Store<T>().TryGet(key, out _)) return false;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = obj.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray([.. finalizers.Select(f => (JsonNode)JsonValue.Create(f))]),
            },
        };
        var updated = await MergePatchAsync<T>(key, patch, CancellationToken.None);
        if (finalizers.Count == 0 && updated.Metadata.DeletionTimestamp is not null) Store<T>().Remove(key);
        obj.Metadata.Finalizers = finalizers;
        obj.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
        return true;
    }

    // IStatusPatcher: the body runs on a copy; its status (and observedGeneration when it did not throw) is written to
    // the stored object, whose metadata may have moved on meanwhile (finalizers).

    public async Task<ReconcileResult> RunAsync<T>(T cached, Func<T, CancellationToken, Task<ReconcileResult>> body, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var before = StatusOf(cached);
        var working = cached.DeepCopy();
        ReconcileResult result;
        try
        {
            result = await body(working, cancellationToken);
        }
        catch (Exception)
        {
            WriteStatus(working, before, observed: false);
            throw;
        }

        WriteStatus(working, before, observed: true);
        return result;
    }

    private void WriteStatus<T>(T working, JsonNode? before, bool observed)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var after = StatusOf(working) ?? new JsonObject();
        if (observed && working.Metadata.Generation is { } generation) after["observedGeneration"] = generation;
        if (JsonNode.DeepEquals(before, after)) return;
        if (!Store<T>().TryGet(ObjectKey.From(working), out var current)) return; // gone meanwhile
        var node = JsonNode.Parse(KubernetesJson.Serialize(current))!;
        node["status"] = after.DeepClone();
        Put(KubernetesJson.Deserialize<T>(node.ToJsonString()));
        StatusPatches++;
    }

    private static JsonNode? StatusOf<T>(T obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))?["status"]?.DeepClone();

    // IEventRecorder

    public Task RecordAsync(IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message, CancellationToken cancellationToken = default)
    {
        Events.Add(new RecordedEvent($"{regarding.Kind}/{regarding.Metadata.Name}", type, reason, message));
        return Task.CompletedTask;
    }

    private static JsonNode Merge(JsonNode target, JsonNode patch)
    {
        if (patch is not JsonObject patchObject) return patch.DeepClone();
        if (target is not JsonObject targetObject) targetObject = [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null) targetObject.Remove(name);
            else targetObject[name] = targetObject[name] is { } existing ? Merge(existing.DeepClone(), value) : value.DeepClone();
        }

        return targetObject;
    }
}

internal sealed record RecordedEvent(string Object, EventType Type, string Reason, string Message);

/// <summary>An informer store over a dictionary, with the by-cluster index of node groups and profiles.</summary>
internal sealed class MemoryStore<T>(Func<T, IEnumerable<string>>? byCluster) : IStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Dictionary<ObjectKey, T> _objects = [];

    public bool HasSynced => true;

    public int Count => _objects.Count;

    public void Set(T obj) => _objects[ObjectKey.From(obj)] = obj;

    public void Remove(ObjectKey key) => _objects.Remove(key);

    public bool TryGet(ObjectKey key, [NotNullWhen(true)] out T? value) => _objects.TryGetValue(key, out value);

    public IReadOnlyList<T> List() => [.. _objects.Values];

    public IReadOnlyList<T> List(string @namespace) => [.. _objects.Values.Where(o => o.Metadata.NamespaceProperty == @namespace)];

    public IReadOnlyList<T> ByIndex(string indexName, string value) =>
        indexName == ClusterIndex.Name && byCluster is not null ? [.. _objects.Values.Where(o => byCluster(o).Contains(value))] : [];

    public IReadOnlyList<ObjectKey> Keys() => [.. _objects.Keys];
}
