using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>Fault knobs and time-driven watch behaviour, each on its own simulator so faults stay local.</summary>
public sealed class FaultAndTimeTests
{
    private static readonly string WidgetCrd = SimulatorFixture.CrdFiles[^1];
    private const string Widgets = "/apis/example.com/v1/namespaces/default/widgets";

    private static async Task<(int Code, JsonNode? Body)> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Fail_next_writes_returns_500_or_409_then_recovers_and_is_reachable_over_http()
    {
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { CrdFiles = [WidgetCrd] });
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        simulator.Faults.FailNextWrites(1, 500);
        Assert.Equal(500, (await SendAsync(http, HttpMethod.Post, Widgets, SimulatorFixture.Widget("default", "a"))).Code);
        Assert.Equal(201, (await SendAsync(http, HttpMethod.Post, Widgets, SimulatorFixture.Widget("default", "a"))).Code);
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Get, $"{Widgets}/a")).Code); // reads are never failed

        Assert.Equal(200, (await SendAsync(http, HttpMethod.Post, "/_sim/faults/fail-writes?count=2&code=409")).Code);
        var (first, conflict) = await SendAsync(http, HttpMethod.Post, Widgets, SimulatorFixture.Widget("default", "b"));
        Assert.Equal(409, first);
        Assert.Equal("Conflict", conflict!["reason"]!.GetValue<string>());
        Assert.Equal(409, (await SendAsync(http, HttpMethod.Delete, $"{Widgets}/a")).Code);
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Delete, $"{Widgets}/a")).Code);
    }

    [Fact]
    public async Task Latency_delays_requests_using_the_time_provider()
    {
        var time = new TimerSignallingClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(5));
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { TimeProvider = time });
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        simulator.Faults.Latency = TimeSpan.FromSeconds(5);
        var pending = SendAsync(http, HttpMethod.Get, "/api/v1/namespaces");

        // The request has arrived and waits on the simulator's clock: nothing but advancing that clock releases it.
        var armed = await Task.WhenAny(time.Armed, Task.Delay(TimeSpan.FromSeconds(10), TimeProvider.System));
        Assert.True(armed == time.Armed, "the request never waited its 5 s latency on the simulator's clock");
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(200, (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Code);
    }

    /// <summary>A fake clock that reports when a timer with the given due time is created (the latency's Task.Delay).</summary>
    private sealed class TimerSignallingClock(DateTimeOffset start, TimeSpan watchedDueTime) : FakeTimeProvider(start)
    {
        private readonly TaskCompletionSource _armed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Armed => _armed.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime == watchedDueTime)
            {
                _armed.TrySetResult();
            }

            return timer;
        }
    }

    [Fact]
    public async Task Drop_all_watches_closes_streams_cleanly()
    {
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { CrdFiles = [WidgetCrd] });
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        await using var watch = await WatchStream.OpenAsync(http, $"{Widgets}?watch=1&allowWatchBookmarks=true");
        Assert.Equal("BOOKMARK", (await watch.NextAsync())!["type"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Post, "/_sim/faults/drop-watches")).Code);
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Expire_history_over_http_forces_410_on_resume()
    {
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { CrdFiles = [WidgetCrd] });
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        var (_, created) = await SendAsync(http, HttpMethod.Post, Widgets, SimulatorFixture.Widget("default", "a"));
        var rv = created!["metadata"]!["resourceVersion"]!.GetValue<string>();
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Post, "/_sim/faults/expire-history")).Code);
        await using var watch = await WatchStream.OpenAsync(http, $"{Widgets}?watch=1&resourceVersion={rv}");
        Assert.Equal(200, watch.StatusCode);
        var error = await watch.NextAsync();
        Assert.Equal("ERROR", error!["type"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
        Assert.Null(await watch.NextAsync());
    }

    [Fact]
    public async Task Bookmarks_follow_the_interval_and_timeoutSeconds_ends_the_watch_on_the_time_provider()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions
        {
            CrdFiles = [WidgetCrd],
            TimeProvider = time,
            BookmarkInterval = TimeSpan.FromSeconds(30),
        });
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        var (_, created) = await SendAsync(http, HttpMethod.Post, Widgets, SimulatorFixture.Widget("default", "a"));
        Assert.Equal("2026-01-01T00:00:00Z", created!["metadata"]!["creationTimestamp"]!.GetValue<string>());
        await using var watch = await WatchStream.OpenAsync(http, $"{Widgets}?watch=1&allowWatchBookmarks=true&timeoutSeconds=100&resourceVersion={created["metadata"]!["resourceVersion"]}");
        var initial = await watch.NextAsync();
        Assert.Equal("BOOKMARK", initial!["type"]!.GetValue<string>());
        Assert.Equal("Widget", initial["object"]!["kind"]!.GetValue<string>());

        await SendAsync(http, HttpMethod.Post, Widgets, SimulatorFixture.Widget("default", "b"));
        var added = await watch.NextAsync();
        Assert.Equal("ADDED", added!["type"]!.GetValue<string>());

        time.Advance(TimeSpan.FromSeconds(30));
        var bookmark = await watch.NextAsync();
        Assert.Equal("BOOKMARK", bookmark!["type"]!.GetValue<string>());
        Assert.Equal(added["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), bookmark["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());

        time.Advance(TimeSpan.FromSeconds(71));
        JsonNode? next;
        do
        {
            next = await watch.NextAsync();
        }
        while (next?["type"]?.GetValue<string>() == "BOOKMARK");
        Assert.Null(next);
    }

    [Fact]
    public async Task Crd_deletion_removes_its_objects_and_its_discovery()
    {
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { CrdFiles = [WidgetCrd] });
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        Assert.Equal(201, (await SendAsync(http, HttpMethod.Post, Widgets, SimulatorFixture.Widget("default", "a"))).Code);
        var (_, crd) = await SendAsync(http, HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com");
        Assert.Contains(crd!["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");
        Assert.Equal(200, (await SendAsync(http, HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")).Code);
        Assert.Equal(404, (await SendAsync(http, HttpMethod.Get, "/apis/example.com/v1")).Code);
        Assert.Equal(404, (await SendAsync(http, HttpMethod.Get, $"{Widgets}/a")).Code);
    }
}
