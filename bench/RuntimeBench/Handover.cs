using System.Diagnostics;
using System.Globalization;
using System.Text;
using EksOperator.Runtime;
using EksOperator.Simulators.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EksOperator.Bench.Runtime;

/// <summary>
/// Leader hand-over between two replicas, as the API server sees it: from the leader's crash (every request fails)
/// or the start of its graceful stop to the moment the Lease names the other replica. The tests assert only that a
/// hand-over happens (and that a graceful stop releases the lease); how long it takes is measured here, because
/// KubernetesClient's elector runs on the wall clock.
/// </summary>
internal static class Handover
{
    private const string LeaseName = "bench-leader";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(500);

    public static async Task<string> RunAsync(int rounds)
    {
        await using var simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions());
        using var admin = Client(simulator);
        var crash = new List<double>();
        var graceful = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            crash.Add(await OnceAsync(simulator, admin, $"crash-{round}", kill: true));
            graceful.Add(await OnceAsync(simulator, admin, $"graceful-{round}", kill: false));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}/{rounds}: crash {crash[^1]:F0} ms, graceful {graceful[^1]:F0} ms"));
        }

        return new StringBuilder()
            .AppendLine("## Leader election hand-over")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/RuntimeBench -- --handover {rounds}`: two replicas of the runtime campaign for one Lease on the Kubernetes simulator (same process, loopback HTTP); lease {LeaseDuration.TotalSeconds:F0} s, renew deadline {RenewDeadline.TotalSeconds:F0} s, retry {RetryPeriod.TotalMilliseconds:F0} ms (the runtime tests' settings; the defaults are 15 s / 10 s / 2 s). Measured from the leader's crash (all its requests fail) or the start of its graceful stop until the Lease names the other replica; {rounds} rounds each, {Environment.ProcessorCount} cores, .NET {Environment.Version}.")
            .AppendLine()
            .AppendLine("| Hand-over | min | median | max |")
            .AppendLine("|---|---|---|---|")
            .AppendLine(Row("Crash (lease runs out)", crash))
            .AppendLine(Row("Graceful stop (lease released)", graceful))
            .AppendLine()
            .AppendLine("Notes: after a crash the follower waits for the lease to run out from the last renewal it saw, then")
            .AppendLine("acquires it at its next retry, so the figure lies between about lease - retry and lease + retry (plus the")
            .AppendLine("elector's jitter). A graceful stop first drains the workers, then releases the lease (holder \"\"), which the")
            .AppendLine("follower takes at its next retry, independent of the lease duration.")
            .AppendLine()
            .ToString();
    }

    private static string Row(string what, List<double> values)
    {
        values.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"| {what} | {values[0]:F0} ms | {values[values.Count / 2]:F0} ms | {values[^1]:F0} ms |");
    }

    private static async Task<double> OnceAsync(KubernetesSimulator simulator, Kubernetes admin, string ns, bool kill)
    {
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var killA = new KillSwitch();
        var killB = new KillSwitch();
        using var a = await StartAsync(Client(simulator, killA), ns, "a");
        using var b = await StartAsync(Client(simulator, killB), ns, "b");

        // A leader that has renewed at least once, so that the crash lands at an arbitrary point of a renewal period.
        var renewals = new HashSet<DateTime>();
        V1Lease lease;
        do
        {
            await Task.Delay(20);
            lease = await ReadAsync(admin, ns);
            if (lease is { Spec.RenewTime: { } renewed, Spec.HolderIdentity: { Length: > 0 } })
            {
                renewals.Add(renewed);
            }
        }
        while (renewals.Count < 2 + Random.Shared.Next(3));

        var leader = lease.Spec.HolderIdentity;
        var start = Stopwatch.GetTimestamp();
        Task stopping;
        if (kill)
        {
            (leader == "a" ? killA : killB).Kill();
            stopping = Task.CompletedTask;
        }
        else
        {
            stopping = (leader == "a" ? a : b).StopAsync();
        }

        while ((await ReadAsync(admin, ns)).Spec.HolderIdentity is var holder && (holder == leader || string.IsNullOrEmpty(holder)))
        {
            await Task.Delay(10);
        }

        var handover = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await stopping;
        await Task.WhenAll(new[] { a, b }.Where(h => kill || h != (leader == "a" ? a : b)).Select(h => h.StopAsync()));
        return handover;
    }

    private static async Task<V1Lease> ReadAsync(Kubernetes admin, string ns)
    {
        try
        {
            return await admin.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new V1Lease { Spec = new V1LeaseSpec() };
        }
    }

    private static Kubernetes Client(KubernetesSimulator simulator, params DelegatingHandler[] handlers) =>
        new(new KubernetesClientConfiguration { Host = simulator.BaseAddress.ToString() }, handlers);

    private static async Task<IHost> StartAsync(Kubernetes client, string ns, string identity)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetes>(client);
        builder.Services.AddSingleton(new Probe());
        builder.Services.AddSingleton(new RuntimeMetrics());
        builder.Services.AddControllerRuntime(o =>
            {
                o.Namespaces.Add(ns);
                o.ShutdownTimeout = TimeSpan.FromSeconds(5);
                o.LeaderElection.Enabled = true;
                o.LeaderElection.StopHostOnLoss = false;
                o.LeaderElection.Identity = identity;
                o.LeaderElection.LeaseNamespace = ns;
                o.LeaderElection.LeaseName = LeaseName;
                o.LeaderElection.LeaseDuration = LeaseDuration;
                o.LeaderElection.RenewDeadline = RenewDeadline;
                o.LeaderElection.RetryPeriod = RetryPeriod;
            })
            .AddController<V1ConfigMap, NoOpReconciler>();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Fails every request once killed: a crashed or partitioned replica, as the API server sees it.</summary>
    private sealed class KillSwitch : DelegatingHandler
    {
        private volatile bool _killed;

        public void Kill() => _killed = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => _killed ? throw new HttpRequestException("replica killed") : base.SendAsync(request, cancellationToken);
    }
}
