using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace EksOperator.Runtime.Cache;

internal enum StoreEventType
{
    Added,
    Updated,
    Deleted,
}

/// <summary>A change applied to the store: what handlers turn into keys.</summary>
internal readonly record struct StoreEvent<T>(StoreEventType Type, T Object, T? Old);

/// <summary>
/// The informer's cache: objects by key plus secondary indexes (namespace, and any registered before start).
/// Only the informer writes; everything else reads through <see cref="IStore{T}"/>.
/// </summary>
internal sealed class Store<T> : IStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    internal const string NamespaceIndex = "namespace";

    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, T> _items = [];
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> _indexes = new(StringComparer.Ordinal);
    private volatile bool _synced;

    public Store()
    {
        AddIndexer(NamespaceIndex, static o => [o.Metadata?.NamespaceProperty ?? string.Empty]);
    }

    public bool HasSynced => _synced;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexer)
    {
        lock (_lock)
        {
            if (!_indexers.TryAdd(name, indexer))
            {
                throw new InvalidOperationException($"Index '{name}' is already registered for {typeof(T).Name}.");
            }

            var index = new Dictionary<string, HashSet<ObjectKey>>(StringComparer.Ordinal);
            _indexes[name] = index;
            foreach (var (key, item) in _items)
            {
                foreach (var value in indexer(item))
                {
                    Bucket(index, value).Add(key);
                }
            }
        }
    }

    internal void MarkSynced() => _synced = true;

    public bool TryGet(ObjectKey key, [NotNullWhen(true)] out T? value)
    {
        lock (_lock)
        {
            return _items.TryGetValue(key, out value);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_lock)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<T> List(string @namespace) => ByIndex(NamespaceIndex, @namespace);

    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(indexName, out var index))
            {
                throw new ArgumentException($"No index '{indexName}' for {typeof(T).Name}.", nameof(indexName));
            }

            return index.TryGetValue(value, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    public IReadOnlyList<ObjectKey> Keys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    /// <summary>Adds or replaces one object. Returns null when the same resourceVersion is already cached (a replay).</summary>
    internal StoreEvent<T>? Upsert(T obj)
    {
        var key = ObjectKey.From(obj);
        lock (_lock)
        {
            if (_items.TryGetValue(key, out var old))
            {
                if (old.Metadata?.ResourceVersion is { } rv && rv == obj.Metadata?.ResourceVersion)
                {
                    return null;
                }

                Unindex(key, old);
                _items[key] = obj;
                Index(key, obj);
                return new StoreEvent<T>(StoreEventType.Updated, obj, old);
            }

            _items[key] = obj;
            Index(key, obj);
            return new StoreEvent<T>(StoreEventType.Added, obj, null);
        }
    }

    /// <summary>Removes one object; returns the last cached state (null when it was not cached).</summary>
    internal StoreEvent<T>? Remove(T obj)
    {
        var key = ObjectKey.From(obj);
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return new StoreEvent<T>(StoreEventType.Deleted, obj, old);
        }
    }

    /// <summary>
    /// Replaces the cached content of one scope (a namespace, or everything when null) with a fresh list, and
    /// returns only the differences: unchanged objects (same resourceVersion) produce no event, so a relist
    /// neither duplicates nor loses a change.
    /// </summary>
    internal List<StoreEvent<T>> Replace(string? scopeNamespace, IReadOnlyCollection<T> fresh)
    {
        var events = new List<StoreEvent<T>>();
        var seen = new HashSet<ObjectKey>();
        lock (_lock)
        {
            foreach (var obj in fresh)
            {
                var key = ObjectKey.From(obj);
                seen.Add(key);
                if (_items.TryGetValue(key, out var old))
                {
                    if (old.Metadata?.ResourceVersion == obj.Metadata?.ResourceVersion)
                    {
                        continue;
                    }

                    Unindex(key, old);
                    _items[key] = obj;
                    Index(key, obj);
                    events.Add(new StoreEvent<T>(StoreEventType.Updated, obj, old));
                }
                else
                {
                    _items[key] = obj;
                    Index(key, obj);
                    events.Add(new StoreEvent<T>(StoreEventType.Added, obj, null));
                }
            }

            var stale = _items.Where(p => !seen.Contains(p.Key) && (scopeNamespace is null || p.Key.Namespace == scopeNamespace)).ToList();
            foreach (var (key, old) in stale)
            {
                _items.Remove(key);
                Unindex(key, old);
                events.Add(new StoreEvent<T>(StoreEventType.Deleted, old, old));
            }
        }

        return events;
    }

    private static HashSet<ObjectKey> Bucket(Dictionary<string, HashSet<ObjectKey>> index, string value)
    {
        if (!index.TryGetValue(value, out var keys))
        {
            keys = [];
            index[value] = keys;
        }

        return keys;
    }

    private void Index(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            var index = _indexes[name];
            foreach (var value in indexer(obj))
            {
                Bucket(index, value).Add(key);
            }
        }
    }

    private void Unindex(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            var index = _indexes[name];
            foreach (var value in indexer(obj))
            {
                if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    index.Remove(value);
                }
            }
        }
    }
}
