using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace EksOperator.Simulators.Kubernetes.Storage;

/// <summary>A stored change as watchers see it. <see cref="Previous"/> lets a selector watch turn changes into ADDED/DELETED.</summary>
internal sealed record WatchEvent(string TypeKey, string Type, JsonObject? Object, JsonObject? Previous, long ResourceVersion);

internal sealed class Subscription(string typeKey, bool bookmarks)
{
    public string TypeKey { get; } = typeKey;

    public bool Bookmarks { get; } = bookmarks;

    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
}

/// <summary>All objects of all kinds, one global resourceVersion counter, a bounded event history and the live watchers.
/// Callers hold <see cref="Gate"/> around read-modify-write sequences; stored objects are never handed out uncloned.</summary>
internal sealed class ObjectStore(int historySize)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly Queue<WatchEvent> _history = new();
    private readonly List<Subscription> _subscriptions = [];
    private long _resourceVersion = 1;
    private long _compactedThrough = 1;

    public Lock Gate { get; } = new();

    public long ResourceVersion
    {
        get
        {
            lock (Gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (Gate)
            {
                return _objects.Values.Sum(d => d.Count);
            }
        }
    }

    private static string ObjectKey(string? ns, string name) => $"{ns}\0{name}";

    public JsonObject? Get(string typeKey, string? ns, string name)
    {
        lock (Gate)
        {
            return _objects.TryGetValue(typeKey, out var byName) && byName.TryGetValue(ObjectKey(ns, name), out var obj) ? obj : null;
        }
    }

    /// <summary>Objects of one kind in namespace-then-name order (all namespaces when <paramref name="ns"/> is null).</summary>
    public List<JsonObject> List(string typeKey, string? ns)
    {
        lock (Gate)
        {
            if (!_objects.TryGetValue(typeKey, out var byName))
            {
                return [];
            }

            var prefix = ns + "\0";
            return ns is null ? [.. byName.Values] : byName.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value).ToList();
        }
    }

    public IEnumerable<(string TypeKey, JsonObject Object)> Everything()
    {
        lock (Gate)
        {
            return _objects.SelectMany(t => t.Value.Values.Select(o => (t.Key, o))).ToList();
        }
    }

    /// <summary>Stores a new or changed object with a fresh resourceVersion and tells the watchers.</summary>
    public JsonObject Put(string typeKey, JsonObject obj, JsonObject? previous)
    {
        lock (Gate)
        {
            var rv = ++_resourceVersion;
            var stored = (JsonObject)obj.DeepClone();
            Materialize(stored);
            var metadata = (JsonObject)stored["metadata"]!;
            metadata["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            if (!_objects.TryGetValue(typeKey, out var byName))
            {
                _objects[typeKey] = byName = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            }

            byName[ObjectKey(metadata["namespace"]?.GetValue<string>(), metadata["name"]!.GetValue<string>())] = stored;
            Record(new WatchEvent(typeKey, previous is null ? "ADDED" : "MODIFIED", stored, previous, rv));
            return stored;
        }
    }

    public JsonObject? Remove(string typeKey, string? ns, string name)
    {
        lock (Gate)
        {
            if (!_objects.TryGetValue(typeKey, out var byName) || !byName.Remove(ObjectKey(ns, name), out var previous))
            {
                return null;
            }

            var rv = ++_resourceVersion;
            var deleted = (JsonObject)previous.DeepClone();
            Materialize(deleted);
            deleted["metadata"]!["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            Record(new WatchEvent(typeKey, "DELETED", deleted, previous, rv));
            return deleted;
        }
    }

    /// <summary>Stored objects are read by many requests at once outside the lock. Nodes cloned from parsed JSON build their
    /// children lazily on first access, which is not thread-safe, so every node is built here, under the lock.</summary>
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Materialize(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Materialize(child);
                }

                break;
        }
    }

    private void Record(WatchEvent change)
    {
        _history.Enqueue(change);
        while (_history.Count > historySize)
        {
            _compactedThrough = _history.Dequeue().ResourceVersion;
        }

        foreach (var subscription in _subscriptions.Where(s => s.TypeKey == change.TypeKey))
        {
            subscription.Events.Writer.TryWrite(change);
        }
    }

    /// <summary>Starts a watch. With a resourceVersion the history after it is replayed first; null means
    /// the caller sends the initial state itself. Returns null when that resourceVersion is no longer in history.</summary>
    public Subscription? Subscribe(string typeKey, long? fromResourceVersion, bool bookmarks, Func<IEnumerable<JsonObject>, IEnumerable<WatchEvent>>? initial, out long oldest)
    {
        lock (Gate)
        {
            oldest = _compactedThrough;
            if (fromResourceVersion is { } from && from < _compactedThrough)
            {
                return null;
            }

            var subscription = new Subscription(typeKey, bookmarks);
            if (initial is not null)
            {
                var current = _objects.TryGetValue(typeKey, out var byName) ? byName.Values.ToList() : [];
                foreach (var change in initial(current))
                {
                    subscription.Events.Writer.TryWrite(change);
                }
            }

            if (fromResourceVersion is { } after)
            {
                foreach (var change in _history.Where(e => e.TypeKey == typeKey && e.ResourceVersion > after))
                {
                    subscription.Events.Writer.TryWrite(change);
                }
            }

            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    public void Unsubscribe(Subscription subscription)
    {
        lock (Gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>A BOOKMARK at the current resourceVersion, queued behind every event already sent.</summary>
    public void Bookmark(Subscription subscription)
    {
        lock (Gate)
        {
            subscription.Events.Writer.TryWrite(new WatchEvent(subscription.TypeKey, "BOOKMARK", null, null, _resourceVersion));
        }
    }

    public void BookmarkAll()
    {
        lock (Gate)
        {
            foreach (var subscription in _subscriptions.Where(s => s.Bookmarks))
            {
                subscription.Events.Writer.TryWrite(new WatchEvent(subscription.TypeKey, "BOOKMARK", null, null, _resourceVersion));
            }
        }
    }

    public int WatcherCount
    {
        get
        {
            lock (Gate)
            {
                return _subscriptions.Count;
            }
        }
    }

    public void DropAllWatches()
    {
        lock (Gate)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Events.Writer.TryComplete();
            }

            _subscriptions.Clear();
        }
    }

    /// <summary>Forgets the event history so that resuming from any earlier resourceVersion gives 410 Expired.</summary>
    public void ExpireHistory()
    {
        lock (Gate)
        {
            _history.Clear();
            _compactedThrough = ++_resourceVersion;
        }
    }
}
