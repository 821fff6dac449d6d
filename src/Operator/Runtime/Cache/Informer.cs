using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace EksOperator.Runtime.Cache;

/// <summary>Counts watch restarts by reason (metrics); the default does nothing.</summary>
internal interface IInformerMetrics
{
    void WatchRestarted(string resource, string reason);
}

internal sealed class NoInformerMetrics : IInformerMetrics
{
    public static readonly NoInformerMetrics Instance = new();

    public void WatchRestarted(string resource, string reason)
    {
    }
}

/// <summary>What the informer needs to know beyond the resource type.</summary>
internal sealed record InformerSettings(
    IReadOnlyList<string> Namespaces,
    string? LabelSelector,
    TimeSpan WatchSilenceTimeout,
    int PageSize = 500,
    TimeSpan? MaxBackoff = null,
    ShardFilter? Shards = null);

/// <summary>Type-erased view so the manager can start and await informers of any kind.</summary>
internal interface IInformer
{
    ResourceType Resource { get; }

    bool HasSynced { get; }

    Task RunAsync(CancellationToken cancellationToken);

    Task WaitForSyncAsync(CancellationToken cancellationToken);
}

/// <summary>
/// client-go's reflector + informer for one kind: list (paged), then watch from the list's resourceVersion with
/// bookmarks; re-watch from the last seen resourceVersion when a stream closes; relist on 410/Expired; restart a
/// watch that stays silent; back off (capped, jittered) on errors. Feeds a <see cref="Store{T}"/> and tells
/// subscribers about each change.
/// </summary>
internal sealed partial class Informer<T> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HealthyWatchAge = TimeSpan.FromSeconds(30);
    private readonly KubernetesApi _api;
    private readonly InformerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IInformerMetrics _metrics;
    private readonly Store<T> _store = new();
    private readonly List<Action<StoreEvent<T>>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _maxBackoff;
    private int _scopesSynced;
    private int _started;

    public Informer(KubernetesApi api, ResourceType resource, InformerSettings settings, TimeProvider time, ILogger logger, IInformerMetrics? metrics = null)
    {
        _api = api;
        Resource = resource;
        _settings = settings;
        _time = time;
        _logger = logger;
        _metrics = metrics ?? NoInformerMetrics.Instance;
        _maxBackoff = settings.MaxBackoff ?? TimeSpan.FromSeconds(30);
    }

    public ResourceType Resource { get; }

    public IStore<T> Store => _store;

    public bool HasSynced => _store.HasSynced;

    /// <summary>Registers an index; only before <see cref="RunAsync"/>.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexer)
    {
        ThrowIfStarted();
        _store.AddIndexer(name, indexer);
    }

    /// <summary>Subscribes to changes; only before <see cref="RunAsync"/>. Handlers must be quick (they enqueue keys).</summary>
    public void Subscribe(Action<StoreEvent<T>> handler)
    {
        ThrowIfStarted();
        _handlers.Add(handler);
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("An informer runs once.");
        }

        // Cluster-scoped kinds and "all namespaces" use one list/watch; otherwise one per namespace.
        IReadOnlyList<string?> scopes = Resource.Namespaced && _settings.Namespaces.Count > 0 ? [.. _settings.Namespaces] : [null];
        return Task.WhenAll(scopes.Select(scope => Task.Run(() => ReflectAsync(scope, scopes.Count, cancellationToken), CancellationToken.None)));
    }

    private void ThrowIfStarted()
    {
        if (Volatile.Read(ref _started) == 1)
        {
            throw new InvalidOperationException("Register indexers and handlers before the informer starts.");
        }
    }

    private async Task ReflectAsync(string? scope, int scopeCount, CancellationToken cancellationToken)
    {
        var cursor = new Cursor();
        var needList = true;
        var failures = 0;
        var firstSync = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    cursor.ResourceVersion = await ListAsync(scope, cancellationToken);
                    needList = false;
                    if (firstSync)
                    {
                        firstSync = false;
                        if (Interlocked.Increment(ref _scopesSynced) == scopeCount)
                        {
                            _store.MarkSynced();
                            _synced.TrySetResult();
                        }
                    }
                }

                var watchStarted = _time.GetTimestamp();
                var (end, delivered) = await WatchAsync(scope, cursor, cancellationToken);

                // A stream that lived a while and closed (server timeout, idle proxy) is normal even if it was quiet.
                delivered |= _time.GetElapsedTime(watchStarted) >= HealthyWatchAge;
                _metrics.WatchRestarted(Resource.Plural, end.ToString().ToLowerInvariant());
                LogWatchEnded(_logger, Resource.Plural, scope ?? "*", end, cursor.ResourceVersion!);
                switch (end)
                {
                    case WatchEnd.Expired:
                        needList = true;
                        break;
                    case WatchEnd.Closed when delivered:
                    case WatchEnd.Silent:
                        failures = 0;
                        break;
                    default:
                        // Closed at once with nothing delivered: the server is unhappy; do not spin.
                        await DelayAsync(++failures, cancellationToken);
                        break;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsExpired)
            {
                // A continue token or watch resourceVersion too old: start over with a fresh list.
                needList = true;
                _metrics.WatchRestarted(Resource.Plural, "expired");
                LogExpired(_logger, Resource.Plural, scope ?? "*", ex.Message);
            }
            catch (Exception ex) when (ex is HttpRequestException or KubernetesApiException or IOException or JsonException or OperationCanceledException)
            {
                _metrics.WatchRestarted(Resource.Plural, "error");
                LogListWatchFailed(_logger, ex, Resource.Plural, scope ?? "*");
                await DelayAsync(++failures, cancellationToken);
            }
        }
    }

    private async Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = Math.Min(exponential, _maxBackoff.TotalMilliseconds);

        // Jitter spreads reconnects of many replicas after an API server restart.
#pragma warning disable CA5394 // Not security-relevant.
        var jittered = capped * (0.5 + (Random.Shared.NextDouble() / 2));
#pragma warning restore CA5394
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(jittered), _time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private string Query(string? scope, params (string Name, string? Value)[] parameters)
    {
        var builder = new StringBuilder(Resource.CollectionPath(scope));
        var separator = '?';
        foreach (var (name, value) in parameters.Append(("labelSelector", ShardFilter.SelectorFor(Resource, _settings.LabelSelector, _settings.Shards))))
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    /// <summary>Lists every page (a consistent read: no resourceVersion) and replaces the scope's cache.</summary>
    private async Task<string> ListAsync(string? scope, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string? listVersion;
        do
        {
            using var page = await _api.GetJsonAsync(
                Query(scope, ("limit", _settings.PageSize.ToString(CultureInfo.InvariantCulture)), ("continue", continueToken)),
                cancellationToken);
            var root = page.RootElement;
            var metadata = root.TryGetProperty("metadata", out var m) ? m : default;
            listVersion = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;
            continueToken = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("continue", out var c) ? c.GetString() : null;
            if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in array.EnumerateArray())
                {
                    items.Add(Complete(KubernetesJson.Deserialize<T>(element)));
                }
            }
        }
        while (!string.IsNullOrEmpty(continueToken));

        if (string.IsNullOrEmpty(listVersion))
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, null, $"list of {Resource.Plural} carried no resourceVersion");
        }

        Dispatch(_store.Replace(scope, items));
        LogListed(_logger, Resource.Plural, scope ?? "*", items.Count, listVersion);
        return listVersion;
    }

    private enum WatchEnd
    {
        Closed,
        Expired,
        Silent,
    }

    /// <summary>The last resourceVersion applied to the store; a watch resumes from it even after an error.</summary>
    private sealed class Cursor
    {
        public string? ResourceVersion { get; set; }
    }

    private async Task<(WatchEnd End, bool Delivered)> WatchAsync(string? scope, Cursor cursor, CancellationToken cancellationToken)
    {
        // Server-side timeout in [5, 10) minutes, as client-go: spreads reconnects and bounds a stream's life.
#pragma warning disable CA5394 // Not security-relevant.
        var timeoutSeconds = 300 + Random.Shared.Next(300);
#pragma warning restore CA5394
        var path = Query(
            scope,
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("resourceVersion", cursor.ResourceVersion),
            ("timeoutSeconds", timeoutSeconds.ToString(CultureInfo.InvariantCulture)));

        using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The watchdog: any line (event or bookmark) re-arms it; silence beyond the limit cancels the stream.
        await using var watchdog = _time.CreateTimer(static s => CancelQuietly((CancellationTokenSource)s!), watchCts, _settings.WatchSilenceTimeout, Timeout.InfiniteTimeSpan);
        var delivered = false;
        try
        {
            using var response = await _api.OpenWatchAsync(path, watchCts.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(watchCts.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (true)
            {
                var line = await reader.ReadLineAsync(watchCts.Token);
                if (line is null)
                {
                    return (WatchEnd.Closed, delivered);
                }

                watchdog.Change(_settings.WatchSilenceTimeout, Timeout.InfiniteTimeSpan);
                if (line.Length == 0)
                {
                    continue;
                }

                var (end, version) = HandleLine(line);
                if (end is { } stop)
                {
                    return (stop, delivered);
                }

                if (version is not null)
                {
                    cursor.ResourceVersion = version;
                    delivered = true;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && watchCts.IsCancellationRequested)
        {
            return (WatchEnd.Silent, delivered);
        }
        catch (Exception ex) when (delivered && ex is IOException or HttpRequestException)
        {
            // The connection broke mid-stream; what was delivered is kept and the watch resumes from it.
            LogWatchBroke(_logger, Resource.Plural, ex.Message);
            return (WatchEnd.Closed, delivered);
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The watch already ended.
        }
    }

    /// <summary>Applies one watch line; returns how the watch ends (ERROR) or the resourceVersion reached.</summary>
    private (WatchEnd? End, string? ResourceVersion) HandleLine(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        var obj = root.GetProperty("object");
        switch (type)
        {
            case "ERROR":
                var status = KubernetesJson.Deserialize<V1Status>(obj);
                if (status.Code == 410 || status.Reason is "Expired" or "Gone")
                {
                    LogExpired(_logger, Resource.Plural, "*", status.Message ?? "410");
                    return (WatchEnd.Expired, null);
                }

                throw new KubernetesApiException((HttpStatusCode)(status.Code ?? 500), status, $"watch {Resource.Plural}: {status.Reason} {status.Message}");
            case "BOOKMARK":
                return (null, obj.GetProperty("metadata").GetProperty("resourceVersion").GetString());
            case "ADDED" or "MODIFIED":
                {
                    var value = Complete(KubernetesJson.Deserialize<T>(obj));
                    if (_store.Upsert(value) is { } change)
                    {
                        Dispatch([change]);
                    }

                    return (null, value.Metadata.ResourceVersion);
                }

            case "DELETED":
                {
                    var value = Complete(KubernetesJson.Deserialize<T>(obj));
                    if (_store.Remove(value) is { } change)
                    {
                        Dispatch([change]);
                    }

                    return (null, value.Metadata.ResourceVersion);
                }

            default:
                LogUnknownEvent(_logger, Resource.Plural, type);
                return (null, null);
        }
    }

    /// <summary>List items carry no apiVersion/kind on some servers; the event recorder and patches need them.</summary>
    private T Complete(T value)
    {
        value.ApiVersion ??= Resource.ApiVersion;
        value.Kind ??= Resource.Kind;
        return value;
    }

    private void Dispatch(IEnumerable<StoreEvent<T>> events)
    {
        foreach (var change in events)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    handler(change);
                }
#pragma warning disable CA1031 // A faulty handler must not stop the informer.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogHandlerFailed(_logger, ex, Resource.Plural);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Debug, "Listed {Resource} in {Scope}: {Count} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string resource, string scope, int count, string resourceVersion);

    [LoggerMessage(LogLevel.Debug, "Watch of {Resource} in {Scope} ended ({End}) at resourceVersion {ResourceVersion}")]
    private static partial void LogWatchEnded(ILogger logger, string resource, string scope, WatchEnd end, string resourceVersion);

    [LoggerMessage(LogLevel.Information, "Watch of {Resource} in {Scope} expired, relisting: {Message}")]
    private static partial void LogExpired(ILogger logger, string resource, string scope, string message);

    [LoggerMessage(LogLevel.Warning, "List/watch of {Resource} in {Scope} failed; retrying with backoff")]
    private static partial void LogListWatchFailed(ILogger logger, Exception exception, string resource, string scope);

    [LoggerMessage(LogLevel.Information, "Watch stream of {Resource} broke, resuming: {Message}")]
    private static partial void LogWatchBroke(ILogger logger, string resource, string message);

    [LoggerMessage(LogLevel.Warning, "Unknown watch event type {Type} for {Resource}")]
    private static partial void LogUnknownEvent(ILogger logger, string resource, string? type);

    [LoggerMessage(LogLevel.Error, "An event handler for {Resource} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string resource);
}
