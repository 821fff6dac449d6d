using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace EksOperator.Runtime.LeaderElection;

/// <summary>
/// Campaigns for a Lease with KubernetesClient's <see cref="LeaderElector"/> and runs the leader's work only while
/// the lease is held: the work's token is cancelled the moment leadership is lost. Adds what the library lacks:
/// releasing the lease on graceful shutdown, so a successor takes over at once instead of after the lease duration.
/// </summary>
internal sealed partial class LeaseElection(IKubernetes client, LeaderElectionOptions options, TimeProvider time, RuntimeMetrics? metrics, ILogger logger, string? leaseName = null)
{
    private volatile bool _leading;

    public string Identity { get; } = options.Identity ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    public string Namespace { get; } = NamespaceOf(options);

    /// <summary>The Lease campaigned for: <paramref name="leaseName"/> (a shard's), else the configured one.</summary>
    public string LeaseName { get; } = leaseName ?? options.LeaseName;

    /// <summary>Where the Leases live: the configured namespace, the pod's, else "default".</summary>
    public static string NamespaceOf(LeaderElectionOptions options) => options.LeaseNamespace ?? PodNamespace() ?? "default";

    public bool IsLeader => _leading;

    /// <summary>
    /// Campaigns until <paramref name="cancellationToken"/> ends. Returns true if it ended because leadership was
    /// lost (and <c>campaignAgain</c> is false), false on cancellation.
    /// </summary>
    public async Task<bool> RunAsync(Func<CancellationToken, Task> whileLeading, bool campaignAgain, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var config = new LeaderElectionConfig(new LeaseLock(client, Namespace, LeaseName, Identity))
            {
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.RenewDeadline,
                RetryPeriod = options.RetryPeriod,
            };
            using var elector = new LeaderElector(config);
            CancellationTokenSource? leading = null;
            Task? work = null;
            elector.OnStartedLeading += () =>
            {
                _leading = true;
                metrics?.Leading(LeaseName, true);
                LogStartedLeading(logger, LeaseName, Identity);
                leading = new CancellationTokenSource();
                var token = leading.Token;
                work = Task.Run(() => whileLeading(token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                // Stop work first, then report: nothing may run once the lease may belong to someone else.
                _leading = false;
                CancelQuietly(leading);
                metrics?.Leading(LeaseName, false);
            };
            elector.OnNewLeader += leader => LogNewLeader(logger, LeaseName, leader);
            elector.OnError += ex => LogElectionError(logger, ex, LeaseName);
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                _leading = false;
                CancelQuietly(leading);
                if (work is not null)
                {
                    await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                leading?.Dispose();
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            LogLostLeadership(logger, LeaseName, Identity);
            if (!campaignAgain)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Gives the lease up if this replica holds it. The holder is set to "" (not removed): KubernetesClient's elector
    /// treats a missing holder as "no lease" and tries to create one, which fails with 409 forever.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, Namespace, cancellationToken: cancellationToken);
            if (lease.Spec?.HolderIdentity != Identity)
            {
                return;
            }

            lease.Spec.HolderIdentity = string.Empty;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = time.GetUtcNow().UtcDateTime;
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, LeaseName, Namespace, cancellationToken: cancellationToken);
            LogReleased(logger, LeaseName, Identity);
        }
#pragma warning disable CA1031 // Releasing is a courtesy; on failure the lease simply expires.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogReleaseFailed(logger, ex, LeaseName);
        }
    }

    private static void CancelQuietly(CancellationTokenSource? source)
    {
        try
        {
            source?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static string? PodNamespace()
    {
        const string path = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    [LoggerMessage(LogLevel.Information, "Became leader of lease {Lease} as {Identity}")]
    private static partial void LogStartedLeading(ILogger logger, string lease, string identity);

    [LoggerMessage(LogLevel.Warning, "Lost leadership of lease {Lease} ({Identity})")]
    private static partial void LogLostLeadership(ILogger logger, string lease, string identity);

    [LoggerMessage(LogLevel.Information, "Lease {Lease} is held by {Leader}")]
    private static partial void LogNewLeader(ILogger logger, string lease, string leader);

    [LoggerMessage(LogLevel.Debug, "Leader election on {Lease} hit an error")]
    private static partial void LogElectionError(ILogger logger, Exception exception, string lease);

    [LoggerMessage(LogLevel.Information, "Released lease {Lease} held by {Identity}")]
    private static partial void LogReleased(ILogger logger, string lease, string identity);

    [LoggerMessage(LogLevel.Warning, "Could not release lease {Lease}; it will expire")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string lease);
}
