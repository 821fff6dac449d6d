using EksOperator.Runtime.Cache;
using EksOperator.Runtime.Queue;
using Prometheus;

namespace EksOperator.Runtime;

/// <summary>
/// The runtime's Prometheus metrics (controller-runtime's names where one exists, so existing dashboards work),
/// and the hook for other code: <see cref="Factory"/> creates further metrics in the same registry that
/// <c>/metrics</c> serves (e.g. AWS call counters).
/// </summary>
public sealed class RuntimeMetrics : IInformerMetrics
{
    private readonly Counter _reconciles;
    private readonly Counter _reconcileErrors;
    private readonly Histogram _reconcileDuration;
    private readonly Gauge _activeWorkers;
    private readonly Gauge _queueDepth;
    private readonly Histogram _queueWait;
    private readonly Counter _queueRetries;
    private readonly Counter _watchRestarts;
    private readonly Gauge _leader;

    /// <summary>Metrics in a registry of their own (tests, several managers in one process).</summary>
    public RuntimeMetrics()
        : this(Metrics.NewCustomRegistry())
    {
    }

    public RuntimeMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        Factory = Metrics.WithCustomRegistry(registry);
        _reconciles = Factory.CreateCounter("controller_runtime_reconcile_total", "Reconciles by controller and result.", ["controller", "result"]);
        _reconcileErrors = Factory.CreateCounter("controller_runtime_reconcile_errors_total", "Reconciles that threw, by controller.", ["controller"]);
        _reconcileDuration = Factory.CreateHistogram(
            "controller_runtime_reconcile_time_seconds",
            "Duration of reconcile passes.",
            new HistogramConfiguration { LabelNames = ["controller"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 18) });
        _activeWorkers = Factory.CreateGauge("controller_runtime_active_workers", "Workers currently reconciling.", ["controller"]);
        _queueDepth = Factory.CreateGauge("workqueue_depth", "Keys waiting in the work queue.", ["name"]);
        _queueWait = Factory.CreateHistogram(
            "workqueue_queue_duration_seconds",
            "Time a key waits in the queue before a worker takes it.",
            new HistogramConfiguration { LabelNames = ["name"], Buckets = Histogram.ExponentialBuckets(0.0001, 4, 12) });
        _queueRetries = Factory.CreateCounter("workqueue_retries_total", "Rate-limited re-adds.", ["name"]);
        _watchRestarts = Factory.CreateCounter("informer_watch_restarts_total", "Watch streams restarted, by resource and reason.", ["resource", "reason"]);
        _leader = Factory.CreateGauge("leader_election_master_status", "1 while this replica holds the lease.", ["name"]);
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Create further metrics here so that they appear on <c>/metrics</c>.</summary>
    public IMetricFactory Factory { get; }

    void IInformerMetrics.WatchRestarted(string resource, string reason) => _watchRestarts.WithLabels(resource, reason).Inc();

    internal void Reconciled(string controller, string result, TimeSpan duration)
    {
        _reconciles.WithLabels(controller, result).Inc();
        if (result == "error")
        {
            _reconcileErrors.WithLabels(controller).Inc();
        }

        _reconcileDuration.WithLabels(controller).Observe(duration.TotalSeconds);
    }

    internal void WorkerActive(string controller, int delta) => _activeWorkers.WithLabels(controller).Inc(delta);

    internal void Leading(string lease, bool leading) => _leader.WithLabels(lease).Set(leading ? 1 : 0);

    internal IWorkQueueMetrics ForQueue(string name) => new QueueMetrics(this, name);

    private sealed class QueueMetrics(RuntimeMetrics metrics, string name) : IWorkQueueMetrics
    {
        public void DepthChanged(int depth) => metrics._queueDepth.WithLabels(name).Set(depth);

        public void Waited(TimeSpan timeInQueue) => metrics._queueWait.WithLabels(name).Observe(timeInQueue.TotalSeconds);

        public void Retried() => metrics._queueRetries.WithLabels(name).Inc();
    }
}
