using System.Diagnostics;
using EksOperator.Runtime.Cache;
using EksOperator.Runtime.Queue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EksOperator.Runtime.Reconciliation;

/// <summary>Type-erased controller, so the manager can run controllers of any kind.</summary>
internal interface IController
{
    string Name { get; }

    /// <summary>Runs workers and the resync timer until <paramref name="leadership"/> ends or the queue shuts down.</summary>
    Task RunAsync(CancellationToken leadership);

    /// <summary>Stops handing out keys, waits up to <paramref name="timeout"/> for in-flight reconciles, then cancels them.</summary>
    Task ShutDownAsync(TimeSpan timeout);
}

/// <summary>Per-controller settings.</summary>
internal sealed record ControllerSettings(string Name, int Workers, TimeSpan ResyncPeriod, double ResyncJitter);

/// <summary>
/// controller-runtime's worker loop: N workers share one rate-limited queue of keys, which already guarantees that
/// a key is never reconciled twice at once. The loop owns retry policy:
/// exception → rate-limited re-add; RequeueAfter → Forget + delayed add; Terminal → Forget + Warning event; Done → Forget.
/// </summary>
internal sealed partial class Controller<T> : IController
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ControllerSettings _settings;
    private readonly IStore<T> _store;
    private readonly IServiceScopeFactory _scopes;
    private readonly IEventRecorder? _events;
    private readonly RuntimeMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _hardStop = new();
    private readonly CancellationTokenSource _shuttingDown = new();

    public Controller(
        ControllerSettings settings,
        WorkQueue<ObjectKey> queue,
        IStore<T> store,
        IServiceScopeFactory scopes,
        TimeProvider time,
        ILogger logger,
        IEventRecorder? events = null,
        RuntimeMetrics? metrics = null)
    {
        _settings = settings;
        Queue = queue;
        _store = store;
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _events = events;
        _metrics = metrics;
    }

    public string Name => _settings.Name;

    internal WorkQueue<ObjectKey> Queue { get; }

    /// <summary>The handler for the controller's own kind: any change enqueues the object's key.</summary>
    public void OnOwnEvent(StoreEvent<T> change) => Queue.Add(ObjectKey.From(change.Object));

    /// <summary>A handler for another kind: the mapping decides which keys of this kind to enqueue (old and new state).</summary>
    public Action<StoreEvent<TSource>> MapFrom<TSource>(Func<TSource, IEnumerable<ObjectKey>> map)
        where TSource : class, IKubernetesObject<V1ObjectMeta>
        => change =>
        {
            foreach (var key in map(change.Object))
            {
                Queue.Add(key);
            }

            if (change.Old is { } old && !ReferenceEquals(old, change.Object))
            {
                foreach (var key in map(old))
                {
                    Queue.Add(key);
                }
            }
        };

    public async Task RunAsync(CancellationToken leadership)
    {
        // Everything cached is due once when work starts (a new leader must not rely on earlier events).
        foreach (var key in _store.Keys())
        {
            Queue.Add(key);
        }

        using var reconcileCts = CancellationTokenSource.CreateLinkedTokenSource(leadership, _hardStop.Token);
        var workers = Enumerable.Range(0, _settings.Workers)
            .Select(_ => Task.Run(() => WorkAsync(leadership, reconcileCts.Token), CancellationToken.None))
            .ToList();
        using var resyncCts = CancellationTokenSource.CreateLinkedTokenSource(leadership, _shuttingDown.Token);
        var resync = Task.Run(() => ResyncAsync(resyncCts.Token), CancellationToken.None);
        await Task.WhenAll(workers);
        await resync;
    }

    public async Task ShutDownAsync(TimeSpan timeout)
    {
        Queue.ShutDown();
        await _shuttingDown.CancelAsync();
        try
        {
            await Queue.Drained.WaitAsync(timeout, _time);
        }
        catch (TimeoutException)
        {
            LogDrainTimedOut(_logger, Name, Queue.InFlight);
            await _hardStop.CancelAsync();
            try
            {
                // Cancelled reconciles should end promptly; do not hang shutdown on one that ignores its token.
                await Queue.Drained.WaitAsync(TimeSpan.FromSeconds(5), _time);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private async Task WorkAsync(CancellationToken leadership, CancellationToken reconcileToken)
    {
        while (!leadership.IsCancellationRequested)
        {
            (bool Ok, ObjectKey Key) next;
            try
            {
                next = await Queue.GetAsync(leadership);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!next.Ok)
            {
                return;
            }

            try
            {
                await ProcessAsync(next.Key, reconcileToken);
            }
            finally
            {
                Queue.Done(next.Key);
            }
        }
    }

    internal async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        string result;
        _metrics?.WorkerActive(Name, 1);
        using var logScope = _logger.BeginScope(new Dictionary<string, object>
        {
            ["Controller"] = Name,
            ["Namespace"] = key.Namespace,
            ["Name"] = key.Name,
            ["ReconcileId"] = Guid.NewGuid().ToString("N")[..12],
        });
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var reconciler = scope.ServiceProvider.GetRequiredService<IReconciler<T>>();
            var outcome = await reconciler.ReconcileAsync(key, cancellationToken);
            Queue.Forget(key);
            switch (outcome.Outcome)
            {
                case ReconcileOutcome.RequeueAfter:
                    Queue.AddAfter(key, outcome.Delay);
                    result = "requeue_after";
                    break;
                case ReconcileOutcome.Terminal:
                    result = "terminal";
                    LogTerminal(_logger, key, outcome.Reason!);
                    if (!outcome.Reported && _events is not null && _store.TryGet(key, out var cached))
                    {
                        await _events.RecordAsync(cached, EventType.Warning, "ReconcileTerminal", outcome.Reason!, cancellationToken);
                    }

                    break;
                default:
                    result = "success";
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leadership lost or shutdown timed out: the next leader picks the key up from its own cache.
            result = "cancelled";
        }
        catch (Exception ex) when (IsExpectedRetry(ex))
        {
            // Routine (a 409 from a stale cache, throttling): one line, no stack; the backoff is the same.
            result = "retry";
            Queue.AddRateLimited(key);
            LogRetrying(_logger, key, Queue.NumRequeues(key), ex.Message);
        }
#pragma warning disable CA1031 // Any failure of a pass is a retry; the worker must survive it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            result = "error";
            Queue.AddRateLimited(key);
            LogReconcileFailed(_logger, ex, key, Queue.NumRequeues(key));
        }
        finally
        {
            _metrics?.WorkerActive(Name, -1);
        }

        var elapsed = _time.GetElapsedTime(started);
        _metrics?.Reconciled(Name, result, elapsed);
        LogReconciled(_logger, key, result, elapsed.TotalMilliseconds);
    }

    private async Task ResyncAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_settings.ResyncPeriod, _time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Each key lands at a random point of the jitter window, so resyncs of many objects do not align.
            var window = _settings.ResyncPeriod * _settings.ResyncJitter;
            foreach (var key in _store.Keys())
            {
#pragma warning disable CA5394 // Not security-relevant.
                Queue.AddAfter(key, window * Random.Shared.NextDouble());
#pragma warning restore CA5394
            }
        }
    }

    /// <summary>Failures that are part of normal operation and fix themselves on retry.</summary>
    internal static bool IsExpectedRetry(Exception ex) => ex is RetryLaterException or KubernetesApiException { IsConflict: true };

    [LoggerMessage(LogLevel.Debug, "Reconciled {Key}: {Result} in {ElapsedMs:F1} ms")]
    private static partial void LogReconciled(ILogger logger, ObjectKey key, string result, double elapsedMs);

    [LoggerMessage(LogLevel.Error, "Reconcile of {Key} failed (retry {Requeues})")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, ObjectKey key, int requeues);

    [LoggerMessage(LogLevel.Information, "Reconcile of {Key} will be retried (retry {Requeues}): {Reason}")]
    private static partial void LogRetrying(ILogger logger, ObjectKey key, int requeues, string reason);

    [LoggerMessage(LogLevel.Warning, "Reconcile of {Key} is terminal: {Reason}")]
    private static partial void LogTerminal(ILogger logger, ObjectKey key, string reason);

    [LoggerMessage(LogLevel.Warning, "Controller {Controller}: {InFlight} reconciles still running at the shutdown deadline; cancelling them")]
    private static partial void LogDrainTimedOut(ILogger logger, string controller, int inFlight);
}
