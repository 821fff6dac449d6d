using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EksOperator.Runtime.Tests.Integration;

/// <summary>Every reconcile pass of every test operator: who ran it, on what, when.</summary>
public sealed class ReconcileLog
{
    public ConcurrentQueue<(string Identity, ObjectKey Key, DateTime Start, DateTime End)> Passes { get; } = new();

    public int Count(string? identity = null, string? name = null)
        => Passes.Count(p => (identity is null || p.Identity == identity) && (name is null || p.Key.Name == name));
}

/// <summary>The identity of the operator a reconciler runs in.</summary>
public sealed record OperatorIdentity(string Name);

/// <summary>The reconcile skeleton every real controller follows, on the test Widget kind.</summary>
internal sealed class WidgetReconciler(
    IStore<TestWidget> store,
    IStatusPatcher status,
    IFinalizers finalizers,
    IEventRecorder events,
    ReconcileLog log,
    OperatorIdentity identity,
    TimeProvider time) : IReconciler<TestWidget>
{
    public const string Finalizer = "test.example.com/cleanup";

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var start = DateTime.UtcNow;
        try
        {
            if (!store.TryGet(key, out var cached))
            {
                return ReconcileResult.Done;
            }

            if (cached.Metadata.DeletionTimestamp is not null)
            {
                await finalizers.RemoveAsync(cached.DeepCopy(), Finalizer, CancellationToken.None);
                return ReconcileResult.Done;
            }

            if (await finalizers.EnsureAsync(cached.DeepCopy(), Finalizer, cancellationToken))
            {
                return ReconcileResult.Done;
            }

            return await status.RunAsync(cached, async (widget, ct) =>
            {
                widget.Status ??= new WidgetStatus();
                widget.Status.Conditions ??= [];
                if (widget.Spec.Size < 0)
                {
                    widget.Status.Conditions.Set("Stalled", ConditionStatus.True, "InvalidSpec", "size must not be negative", widget.Metadata.Generation, time);
                    return ReconcileResult.Terminal("size must not be negative");
                }

                widget.Status.SeenSize = widget.Spec.Size;
                widget.Status.Phase = "Ready";
                if (widget.Status.Conditions.Set("Ready", ConditionStatus.True, "Reconciled", $"size {widget.Spec.Size}", widget.Metadata.Generation, time))
                {
                    await events.RecordAsync(widget, EventType.Normal, "Reconciled", $"size {widget.Spec.Size}", ct);
                }

                return ReconcileResult.Done;
            }, cancellationToken);
        }
        finally
        {
            log.Passes.Enqueue((identity.Name, key, start, DateTime.UtcNow));
        }
    }
}

/// <summary>Fails every request once killed: a crashed or partitioned replica, as the API server sees it.</summary>
internal sealed class KillSwitch : DelegatingHandler
{
    private volatile bool _killed;

    public void Kill() => _killed = true;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => _killed ? throw new HttpRequestException("replica killed") : base.SendAsync(request, cancellationToken);
}

internal static class TestOperator
{
    /// <summary>Registers the test operator (widgets; config maps labelled with a cluster enqueue that cluster's widgets).</summary>
    public static void Configure(IServiceCollection services, Kubernetes client, string ns, string identity, ReconcileLog log, Action<ControllerRuntimeOptions>? configure = null)
    {
        services.AddSingleton<IKubernetes>(client);
        services.AddSingleton(log);
        services.AddSingleton(new OperatorIdentity(identity));
        services.AddSingleton(new RuntimeMetrics());
        services.AddControllerRuntime(o =>
            {
                o.Namespaces.Add(ns);
                o.EventSource = "widget-operator";
                o.ShutdownTimeout = TimeSpan.FromSeconds(5);
                o.LeaderElection.Enabled = false;
                o.LeaderElection.Identity = identity;
                o.LeaderElection.LeaseNamespace = ns;
                o.LeaderElection.LeaseName = "widget-operator";
                o.LeaderElection.LeaseDuration = TimeSpan.FromSeconds(4);
                o.LeaderElection.RenewDeadline = TimeSpan.FromSeconds(3);
                o.LeaderElection.RetryPeriod = TimeSpan.FromMilliseconds(500);
                configure?.Invoke(o);
            })
            .AddController<TestWidget, WidgetReconciler>(c => c
                .WithIndex("cluster", w => w.Spec.Cluster is { } cluster ? [cluster] : [])
                .Watches<V1ConfigMap>((cm, cache) => cm.Metadata.Labels?.TryGetValue("cluster", out var cluster) == true
                    ? cache.GetStore<TestWidget>().ByIndex("cluster", cluster).Select(ObjectKey.From)
                    : []));
    }

    public static async Task<IHost> StartHostAsync(Kubernetes client, string ns, string identity, ReconcileLog log, Action<ControllerRuntimeOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        Configure(builder.Services, client, ns, identity, log, configure);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static async Task<WebApplication> StartWebAsync(Kubernetes client, string ns, string identity, ReconcileLog log)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        Configure(builder.Services, client, ns, identity, log);
        var app = builder.Build();
        app.MapControllerRuntimeEndpoints();
        await app.StartAsync();
        return app;
    }

    internal static ControllerManager Manager(this IHost host) => host.Services.GetRequiredService<ControllerManager>();
}
