using EksOperator.Runtime.Cache;
using EksOperator.Runtime.Client;
using EksOperator.Runtime.LeaderElection;
using EksOperator.Runtime.Reconciliation;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EksOperator.Runtime;

/// <summary>
/// controller-runtime's manager: starts every informer on every replica, waits for the caches (which gates
/// <c>/readyz</c>), then runs the controllers' workers only while this replica leads. Shutdown drains in-flight
/// reconciles (bounded), then releases the lease, then stops the informers.
/// </summary>
internal sealed partial class ControllerManager : IHostedService, IAsyncDisposable
{
    private readonly ControllerRuntimeOptions _options;
    private readonly IReadOnlyList<IController> _controllers;
    private readonly LeaseElection? _election;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly TimeProvider _time;
    private readonly RuntimeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _informersCts = new();
    private readonly CancellationTokenSource _stopCts = new();
    private Task _informersTask = Task.CompletedTask;
    private Task _mainTask = Task.CompletedTask;
    private volatile bool _leading;

    public ControllerManager(
        IServiceProvider services,
        KubernetesApi api,
        RuntimeRegistrations registrations,
        IOptions<ControllerRuntimeOptions> options,
        TimeProvider time,
        RuntimeMetrics metrics,
        ILoggerFactory loggers,
        IKubernetes client,
        IHostApplicationLifetime? lifetime = null)
    {
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _lifetime = lifetime;
        _logger = loggers.CreateLogger("EksOperator.Runtime.ControllerManager");
        Informers = new SharedInformers(
            api,
            new InformerSettings([.. _options.Namespaces], _options.LabelSelector, _options.WatchSilenceTimeout, Shards: ShardFilter.From(_options.Sharding)),
            time,
            loggers,
            metrics);
        var context = new SetupContext(services, Informers, registrations.Types, _options, time, metrics);
        foreach (var register in registrations.Informers.Concat(registrations.Indexes))
        {
            register(context);
        }

        _controllers = [.. registrations.Controllers.Select(build => build(context))];
        if (_options.LeaderElection.Enabled)
        {
            // Each shard elects its own leader: replicas of different shards run side by side.
            _election = new LeaseElection(client, _options.LeaderElection, time, metrics, loggers.CreateLogger("EksOperator.Runtime.LeaderElection"), LeaseName);
        }
    }

    internal SharedInformers Informers { get; }

    /// <summary>The Lease this replica campaigns for: its shard's.</summary>
    public string LeaseName => ShardFilter.LeaseName(_options.LeaderElection.LeaseName, _options.Sharding.Current);

    internal IReadOnlyList<IController> Controllers => _controllers;

    /// <summary>Every cache has loaded its first list.</summary>
    public bool IsReady => Informers.HasSynced;

    /// <summary>An informer loop died (it should not: they retry forever); liveness fails.</summary>
    public bool IsHealthy => !_informersTask.IsFaulted && !_mainTask.IsFaulted;

    /// <summary>Workers are running on this replica.</summary>
    public bool IsLeading => _leading;

    public string? Identity => _election?.Identity;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _informersTask = Task.WhenAll(Informers.All.Select(i => i.RunAsync(_informersCts.Token)));
        _mainTask = Task.Run(() => RunAsync(_stopCts.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                timeout.CancelAfter(_options.CacheSyncTimeout);
                await Task.WhenAll(Informers.All.Select(i => i.WaitForSyncAsync(timeout.Token)));
            }

            LogSynced(_logger, Informers.All.Count);
            if (_election is null)
            {
                // Without election every replica works; report it as leading so dashboards stay uniform.
                _metrics.Leading(LeaseName, true);
                await LeadAsync(stopping);
                return;
            }

            var lost = await _election.RunAsync(LeadAsync, campaignAgain: !_options.LeaderElection.StopHostOnLoss, stopping);
            if (lost)
            {
                // controller-runtime exits here: a fresh process starts from a clean slate.
                _lifetime?.StopApplication();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            LogSyncTimedOut(_logger, _options.CacheSyncTimeout);
            _lifetime?.StopApplication();
            throw;
        }
    }

    private async Task LeadAsync(CancellationToken leadership)
    {
        _leading = true;
        try
        {
            await Task.WhenAll(_controllers.Select(c => c.RunAsync(leadership)));
        }
        finally
        {
            _leading = false;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // 1. Drain while still holding the lease, so no other replica reconciles the same keys meanwhile.
        await Task.WhenAll(_controllers.Select(c => c.ShutDownAsync(_options.ShutdownTimeout)));

        // 2. Stop campaigning/renewing, then hand the lease over at once.
        await _stopCts.CancelAsync();
        await _mainTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_election is not null)
        {
            using var releaseTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await _election.ReleaseAsync(releaseTimeout.Token);
        }

        // 3. Caches last.
        await _informersCts.CancelAsync();
        await _informersTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopCts.IsCancellationRequested)
        {
            await _stopCts.CancelAsync();
        }

        if (!_informersCts.IsCancellationRequested)
        {
            await _informersCts.CancelAsync();
        }

        _stopCts.Dispose();
        _informersCts.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Caches synced ({Count} informers)")]
    private static partial void LogSynced(ILogger logger, int count);

    [LoggerMessage(LogLevel.Critical, "Caches did not sync within {Timeout}; stopping")]
    private static partial void LogSyncTimedOut(ILogger logger, TimeSpan timeout);
}
