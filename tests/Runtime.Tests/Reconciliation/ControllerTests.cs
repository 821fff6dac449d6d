using EksOperator.Runtime.Cache;
using EksOperator.Runtime.Queue;
using EksOperator.Runtime.Reconciliation;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Reconciliation;

public sealed class ControllerTests : IAsyncDisposable
{
    private readonly TimerWatchingTime _time = new();
    private readonly Store<TestWidget> _store = new();
    private readonly ScriptedReconciler _reconciler = new();
    private readonly ServiceProvider _services;
    private readonly Controller<TestWidget> _controller;

    public ControllerTests()
    {
        _services = new ServiceCollection().AddSingleton<IReconciler<TestWidget>>(_reconciler).BuildServiceProvider();
        var queue = new WorkQueue<ObjectKey>(new ItemExponentialRateLimiter<ObjectKey>(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), _time);
        _controller = new Controller<TestWidget>(
            new ControllerSettings("widget", 2, TimeSpan.FromMinutes(10), 0.1),
            queue,
            _store,
            _services.GetRequiredService<IServiceScopeFactory>(),
            _time,
            NullLogger.Instance,
            metrics: new RuntimeMetrics());
    }

    private static readonly ObjectKey Key = new("ns", "w");

    [Fact]
    public async Task Done_forgets_backoff_and_does_not_requeue()
    {
        _reconciler.Next = _ => throw new InvalidOperationException("fail once");
        await _controller.ProcessAsync(Key, CancellationToken.None);
        Assert.Equal(1, _controller.Queue.NumRequeues(Key));

        _reconciler.Next = _ => ReconcileResult.Done;
        await _controller.ProcessAsync(Key, CancellationToken.None);

        Assert.Equal(0, _controller.Queue.NumRequeues(Key));
    }

    [Fact]
    public async Task An_exception_requeues_with_growing_backoff()
    {
        _reconciler.Next = _ => throw new InvalidOperationException("boom");

        await _controller.ProcessAsync(Key, CancellationToken.None);
        Assert.Equal(1, _controller.Queue.Delayed);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, _controller.Queue.Length);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _controller.Queue.Length);

        await _controller.ProcessAsync(Key, CancellationToken.None);
        Assert.Equal(2, _controller.Queue.NumRequeues(Key));
    }

    [Fact]
    public async Task RequeueAfter_waits_the_given_time_without_backoff()
    {
        _reconciler.Next = _ => ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30));

        await _controller.ProcessAsync(Key, CancellationToken.None);

        Assert.Equal(0, _controller.Queue.NumRequeues(Key));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, _controller.Queue.Length);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _controller.Queue.Length);
    }

    [Fact]
    public async Task Terminal_stops_retrying()
    {
        _reconciler.Next = _ => ReconcileResult.Terminal("spec is invalid");

        await _controller.ProcessAsync(Key, CancellationToken.None);

        Assert.Equal(0, _controller.Queue.Delayed);
        Assert.Equal(0, _controller.Queue.Length);
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task Terminal_records_a_warning_event_unless_the_reconciler_reported_it(bool reported, int events)
    {
        var recorder = new CountingEvents();
        var queue = new WorkQueue<ObjectKey>(new ItemExponentialRateLimiter<ObjectKey>(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), _time);
        var controller = new Controller<TestWidget>(
            new ControllerSettings("widget", 1, TimeSpan.FromMinutes(10), 0.1), queue, _store,
            _services.GetRequiredService<IServiceScopeFactory>(), _time, NullLogger.Instance, recorder, new RuntimeMetrics());
        _store.Upsert(new TestWidget { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "ns", ResourceVersion = "1" } });
        _reconciler.Next = _ => ReconcileResult.Terminal("spec is invalid", reported);

        await controller.ProcessAsync(Key, CancellationToken.None);

        Assert.Equal(events, recorder.Warnings);
        Assert.Equal(0, controller.Queue.Delayed);
    }

    private sealed class CountingEvents : IEventRecorder
    {
        public int Warnings { get; private set; }

        public Task RecordAsync(k8s.IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message, CancellationToken cancellationToken = default)
        {
            if (type == EventType.Warning && reason == "ReconcileTerminal") Warnings++;
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Workers_reconcile_cached_and_changed_keys_and_stop_with_leadership()
    {
        _store.Upsert(new TestWidget { Metadata = new V1ObjectMeta { Name = "cached", NamespaceProperty = "ns", ResourceVersion = "1" } });
        var seen = new System.Collections.Concurrent.ConcurrentQueue<ObjectKey>();
        _reconciler.Next = key =>
        {
            seen.Enqueue(key);
            return ReconcileResult.Done;
        };
        using var leadership = new CancellationTokenSource();

        var running = _controller.RunAsync(leadership.Token);
        _controller.OnOwnEvent(new StoreEvent<TestWidget>(StoreEventType.Added, new TestWidget { Metadata = new V1ObjectMeta { Name = "new", NamespaceProperty = "ns" } }, null));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (seen.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Yield();
        }

        await leadership.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["cached", "new"], seen.Select(k => k.Name).Order());
    }

    [Fact]
    public async Task Shutdown_waits_for_in_flight_reconciles_then_cancels_them_at_the_deadline()
    {
        var started = new TaskCompletionSource();
        _reconciler.NextAsync = async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return ReconcileResult.Done;
        };
        _controller.OnOwnEvent(new StoreEvent<TestWidget>(StoreEventType.Added, new TestWidget { Metadata = new V1ObjectMeta { Name = "slow", NamespaceProperty = "ns" } }, null));
        var running = _controller.RunAsync(CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var shutdown = _controller.ShutDownAsync(TimeSpan.FromSeconds(30));
        Assert.False(shutdown.IsCompleted);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!shutdown.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        await shutdown.WaitAsync(TimeSpan.FromSeconds(10));
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(_controller.Queue.Drained.IsCompleted);
    }

    [Fact]
    public async Task Resync_enqueues_every_cached_key_spread_over_the_jitter_window()
    {
        for (var i = 0; i < 20; i++)
        {
            _store.Upsert(new TestWidget { Metadata = new V1ObjectMeta { Name = $"w{i}", NamespaceProperty = "ns", ResourceVersion = "1" } });
        }

        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        _reconciler.Next = key =>
        {
            seen.AddOrUpdate(key.Name, 1, (_, n) => n + 1);
            return ReconcileResult.Done;
        };
        using var leadership = new CancellationTokenSource();
        var running = _controller.RunAsync(leadership.Token);
        await Eventually(() => seen.Count == 20 && _controller.Queue.InFlight == 0, "initial pass");
        // The resync loop starts on its own task: advancing the clock before it waits would skip the period.
        await Eventually(() => _time.Created(TimeSpan.FromMinutes(10)), "resync timer waiting");

        // Nothing until the period passes; then every key within period + 10% jitter, each once.
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, _controller.Queue.Length + _controller.Queue.Delayed);
        _time.Advance(TimeSpan.FromMinutes(1));
        await Eventually(() => _controller.Queue.Delayed + _controller.Queue.Length + seen.Values.Count(n => n == 2) == 20, "resync scheduled");
        Assert.True(_controller.Queue.Delayed > 1, "keys are spread, not enqueued at once");
        _time.Advance(TimeSpan.FromMinutes(1));
        await Eventually(() => seen.Values.All(n => n == 2), "every key resynced once");

        await leadership.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Yield();
        }
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    /// <summary>A fake clock that remembers the due times of the timers created on it.</summary>
    private sealed class TimerWatchingTime : FakeTimeProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<TimeSpan> _dueTimes = [];

        public bool Created(TimeSpan dueTime) => _dueTimes.Contains(dueTime);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _dueTimes.Add(dueTime);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class ScriptedReconciler : IReconciler<TestWidget>
    {
        public Func<ObjectKey, ReconcileResult> Next { get; set; } = _ => ReconcileResult.Done;

        public Func<ObjectKey, CancellationToken, Task<ReconcileResult>>? NextAsync { get; set; }

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
            => NextAsync is { } next ? next(key, cancellationToken) : Task.FromResult(Next(key));
    }
}
