using System.Net;
using System.Web;
using EksOperator.Runtime.Cache;
using EksOperator.Runtime.Client;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Cache;

public sealed class InformerTests : IAsyncDisposable
{
    private static readonly ResourceType ConfigMaps = ResourceType.For<V1ConfigMap>();
    private readonly FakeApiServer _server = new();
    private readonly FakeTimeProvider _time = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<StoreEvent<V1ConfigMap>> _events = [];
    private readonly Lock _lock = new();
    private Task _running = Task.CompletedTask;

    private Informer<V1ConfigMap> Start(IReadOnlyList<string>? namespaces = null, string? selector = null, Action<Informer<V1ConfigMap>>? setup = null)
    {
        var api = new KubernetesApi(_server.Client(), new Uri("http://fake/"));
        var informer = new Informer<V1ConfigMap>(
            api,
            ConfigMaps,
            new InformerSettings(namespaces ?? [], selector, TimeSpan.FromMinutes(5), PageSize: 2),
            _time,
            NullLogger.Instance);
        informer.Subscribe(e =>
        {
            lock (_lock)
            {
                _events.Add(e);
            }
        });
        setup?.Invoke(informer);
        _running = informer.RunAsync(_stop.Token);
        return informer;
    }

    private List<(StoreEventType Type, string Name, string? Value)> Events()
    {
        lock (_lock)
        {
            return [.. _events.Select(e => (e.Type, e.Object.Metadata.Name, e.Object.Data?["k"]))];
        }
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Yield();
        }
    }

    [Fact]
    public async Task Lists_all_pages_then_watches_from_the_lists_resource_version_with_bookmarks()
    {
        _server.OnList = uri => HttpUtility.ParseQueryString(uri.Query)["continue"] switch
        {
            null => (HttpStatusCode.OK, Objects.List("10", "page2", Objects.ConfigMap("a", "5"), Objects.ConfigMap("b", "6"))),
            "page2" => (HttpStatusCode.OK, Objects.List("10", null, Objects.ConfigMap("c", "7"))),
            _ => (HttpStatusCode.BadRequest, ""),
        };
        var informer = Start();

        var watch = await _server.NextWatchAsync();
        await informer.WaitForSyncAsync(CancellationToken.None);

        Assert.True(informer.HasSynced);
        Assert.Equal(3, informer.Store.Count);
        Assert.Equal("10", watch.Query("resourceVersion"));
        Assert.Equal("true", watch.Query("allowWatchBookmarks"));
        Assert.Equal("/api/v1/configmaps", watch.Uri.AbsolutePath);
        Assert.All(informer.Store.List(), cm => Assert.Equal("ConfigMap", cm.Kind));
        Assert.Equal(3, Events().Count(e => e.Type == StoreEventType.Added));
        Assert.Equal("2", HttpUtility.ParseQueryString(_server.Requests[0].Query)["limit"]);
    }

    [Fact]
    public async Task Applies_watch_events_and_bookmarks_advance_the_resume_point()
    {
        var informer = Start();
        var watch = await _server.NextWatchAsync();

        await watch.SendAsync("ADDED", Objects.ConfigMap("a", "2", "one"));
        await watch.SendAsync("MODIFIED", Objects.ConfigMap("a", "3", "two"));
        await watch.SendAsync("ADDED", Objects.ConfigMap("b", "4"));
        await watch.SendAsync("DELETED", Objects.ConfigMap("b", "5"));
        await watch.SendAsync("BOOKMARK", """{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9"}}""");
        await watch.CloseAsync();

        // A clean close resumes from the bookmark without relisting.
        var next = await _server.NextWatchAsync();
        Assert.Equal("9", next.Query("resourceVersion"));
        Assert.Equal(1, _server.ListCount);
        Assert.True(informer.Store.TryGet(new ObjectKey("default", "a"), out var a));
        Assert.Equal("two", a.Data["k"]);
        Assert.False(informer.Store.TryGet(new ObjectKey("default", "b"), out _));
        Assert.Equal(
            [(StoreEventType.Added, "a", "one"), (StoreEventType.Updated, "a", "two"), (StoreEventType.Added, "b", "v"), (StoreEventType.Deleted, "b", "v")],
            Events());
    }

    [Fact]
    public async Task An_expired_error_event_relists_and_reports_only_real_differences()
    {
        var version = 0;
        _server.OnList = _ => Interlocked.Increment(ref version) == 1
            ? (HttpStatusCode.OK, Objects.List("10", null, Objects.ConfigMap("keep", "5"), Objects.ConfigMap("change", "6"), Objects.ConfigMap("gone", "7")))
            : (HttpStatusCode.OK, Objects.List("20", null, Objects.ConfigMap("keep", "5"), Objects.ConfigMap("change", "16", "new"), Objects.ConfigMap("born", "17")));
        var informer = Start();
        var watch = await _server.NextWatchAsync();
        Assert.Equal(3, Events().Count);

        await watch.SendAsync("ERROR", """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 10 (15)","reason":"Expired","code":410}""");

        var after = await _server.NextWatchAsync();
        Assert.Equal("20", after.Query("resourceVersion"));
        Assert.Equal(2, _server.ListCount);
        Assert.Equal(
            [(StoreEventType.Added, "born", "v"), (StoreEventType.Updated, "change", "new"), (StoreEventType.Deleted, "gone", "v")],
            Events().Skip(3).OrderBy(e => e.Type).ToList());
        Assert.Equal(["born", "change", "keep"], informer.Store.List().Select(c => c.Metadata.Name).Order());
    }

    [Fact]
    public async Task A_410_answer_to_the_watch_request_relists()
    {
        var watchCalls = 0;
        _server.OnWatch = _ => Interlocked.Increment(ref watchCalls) == 1
            ? (HttpStatusCode.Gone, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Expired","code":410}""")
            : null;
        Start();

        await _server.NextWatchAsync();

        Assert.Equal(2, _server.ListCount);
    }

    [Fact]
    public async Task A_silent_watch_is_restarted_by_the_watchdog()
    {
        Start();
        var silent = await _server.NextWatchAsync();
        await silent.SendAsync("ADDED", Objects.ConfigMap("a", "3"));
        await Eventually(() => Events().Count == 1, "first event");

        _time.Advance(TimeSpan.FromMinutes(5));

        var next = await _server.NextWatchAsync();
        Assert.Equal("3", next.Query("resourceVersion"));
        Assert.Equal(1, _server.ListCount);
    }

    [Fact]
    public async Task A_quiet_stream_closing_after_a_while_resumes_at_once_but_an_instant_close_backs_off()
    {
        Start();
        var quiet = await _server.NextWatchAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        await quiet.CloseAsync();

        var instant = await _server.NextWatchAsync();
        await instant.CloseAsync();

        // Closed at once with nothing delivered: the next attempt waits for the (fake) clock.
        var next = _server.NextWatchAsync();
        for (var i = 0; i < 200; i++)
        {
            await Task.Yield();
        }

        Assert.False(next.IsCompleted);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!next.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        await next;
        Assert.Equal(1, _server.ListCount);
    }

    [Fact]
    public async Task A_replayed_event_is_not_delivered_twice()
    {
        var informer = Start();
        var watch = await _server.NextWatchAsync();

        await watch.SendAsync("ADDED", Objects.ConfigMap("a", "3"));
        await watch.SendAsync("MODIFIED", Objects.ConfigMap("a", "3"));
        await watch.SendAsync("ADDED", Objects.ConfigMap("z", "4"));
        await Eventually(() => informer.Store.Count == 2, "both objects");

        Assert.Single(Events(), e => e.Name == "a");
    }

    [Fact]
    public async Task Server_errors_back_off_then_retry()
    {
        var calls = 0;
        _server.OnList = _ => Interlocked.Increment(ref calls) == 1
            ? (HttpStatusCode.InternalServerError, """{"kind":"Status","code":500,"message":"boom"}""")
            : (HttpStatusCode.OK, Objects.List("3", null));
        var informer = Start();
        await Eventually(() => _server.ListCount == 1, "first list");
        Assert.False(informer.HasSynced);

        // The backoff waits on the fake clock: nothing happens until it advances.
        Assert.Equal(1, _server.ListCount);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!informer.HasSynced && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Yield();
        }

        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _server.ListCount);
    }

    [Fact]
    public async Task Watches_each_namespace_with_the_label_selector_and_relists_only_that_namespace()
    {
        _server.OnList = uri => uri.AbsolutePath.Contains("/namespaces/one/", StringComparison.Ordinal)
            ? (HttpStatusCode.OK, Objects.List("10", null, Objects.ConfigMap("a", "5", ns: "one")))
            : (HttpStatusCode.OK, Objects.List("10", null, Objects.ConfigMap("b", "6", ns: "two")));
        var informer = Start(["one", "two"], "shard=1");
        var first = await _server.NextWatchAsync();
        var second = await _server.NextWatchAsync();
        await informer.WaitForSyncAsync(CancellationToken.None);

        Assert.Equal(["/api/v1/namespaces/one/configmaps", "/api/v1/namespaces/two/configmaps"], new[] { first.Uri.AbsolutePath, second.Uri.AbsolutePath }.Order());
        Assert.All(_server.Requests, uri => Assert.Equal("shard=1", HttpUtility.ParseQueryString(uri.Query)["labelSelector"]));
        Assert.Single(informer.Store.List("one"));
        Assert.Single(informer.Store.List("two"));

        var one = first.Uri.AbsolutePath.Contains("/one/", StringComparison.Ordinal) ? first : second;
        await one.SendAsync("ERROR", """{"kind":"Status","reason":"Expired","code":410}""");
        await _server.NextWatchAsync();

        Assert.Equal(2, informer.Store.Count);
        Assert.DoesNotContain(Events(), e => e.Type == StoreEventType.Deleted);
    }

    [Fact]
    public async Task Custom_indexes_follow_changes()
    {
        var informer = Start(setup: i => i.AddIndexer("cluster", cm => cm.Metadata.Labels?.TryGetValue("cluster", out var c) == true ? [c] : []));
        var watch = await _server.NextWatchAsync();

        await watch.SendAsync("ADDED", Objects.ConfigMap("a", "2", cluster: "x"));
        await watch.SendAsync("ADDED", Objects.ConfigMap("b", "3", cluster: "x"));
        await watch.SendAsync("MODIFIED", Objects.ConfigMap("b", "4", cluster: "y"));
        await Eventually(() => informer.Store.ByIndex("cluster", "y").Count == 1, "b moved to y");

        Assert.Equal(["a"], informer.Store.ByIndex("cluster", "x").Select(c => c.Metadata.Name));
        Assert.Empty(informer.Store.ByIndex("cluster", "z"));
        Assert.Throws<InvalidOperationException>(() => informer.AddIndexer("late", _ => []));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
        _server.Dispose();
    }
}
