using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EksOperator.Runtime.Tests.Integration;

/// <summary>A whole operator (manager, informers, queue, workers, helpers, endpoints) against the simulator.</summary>
public sealed class ControllerIntegrationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task An_event_is_reconciled_into_status_finalizer_and_event_and_the_endpoints_report_it()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        await using var app = await TestOperator.StartWebAsync(fixture.NewClient(), ns, "solo", log);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        await SimulatorFixture.Eventually(async () => (await http.GetAsync("/readyz")).IsSuccessStatusCode, "ready");
        Assert.True((await http.GetAsync("/healthz")).IsSuccessStatusCode);

        await fixture.CreateWidgetAsync(ns, "w1", 3);

        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "w1")).Status?.SeenSize == 3, "status written");
        var widget = await fixture.GetWidgetAsync(ns, "w1");
        Assert.Contains(WidgetReconciler.Finalizer, widget.Metadata.Finalizers);
        Assert.Equal(widget.Metadata.Generation, widget.Status!.ObservedGeneration);
        Assert.True(widget.Status.Conditions.IsTrue("Ready"));

        // A spec change: new generation observed; the Ready condition did not flip, so its transition time stays.
        var firstTransition = widget.Status.Conditions.Find("Ready")!.LastTransitionTime;
        await fixture.SetSizeAsync(ns, "w1", 5);
        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "w1")).Status?.SeenSize == 5, "spec change reconciled");
        widget = await fixture.GetWidgetAsync(ns, "w1");
        Assert.Equal(2, widget.Metadata.Generation);
        Assert.Equal(2, widget.Status!.ObservedGeneration);
        Assert.Equal(firstTransition, widget.Status.Conditions.Find("Ready")!.LastTransitionTime);

        var events = await fixture.Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=w1");
        Assert.Contains(events.Items, e => e.Reason == "Reconciled" && e.Source?.Component == "widget-operator" && e.InvolvedObject.Kind == "Widget");

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("controller_runtime_reconcile_total{controller=\"widget\",result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_depth", metrics, StringComparison.Ordinal);
        Assert.Contains("leader_election_master_status{name=\"widget-operator\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_time_seconds_bucket", metrics, StringComparison.Ordinal);

        // Deletion: the finalizer comes off and the object goes.
        await fixture.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("test.example.com", "v1", ns, "widgets", "w1");
        await SimulatorFixture.Eventually(async () =>
        {
            try
            {
                await fixture.GetWidgetAsync(ns, "w1");
                return false;
            }
            catch (KubernetesApiException ex) when (ex.IsNotFound)
            {
                return true;
            }
        }, "finalizer removed and object deleted");
    }

    [Fact]
    public async Task A_change_to_a_mapped_object_enqueues_the_objects_that_refer_to_it()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        using var host = await TestOperator.StartHostAsync(fixture.NewClient(), ns, "solo", log);
        await fixture.CreateWidgetAsync(ns, "in-x", 1, cluster: "x");
        await fixture.CreateWidgetAsync(ns, "in-y", 1, cluster: "y");
        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "in-x")).Status?.Phase == "Ready" && (await fixture.GetWidgetAsync(ns, "in-y")).Status?.Phase == "Ready", "both reconciled");
        await SimulatorFixture.Eventually(() => host.Manager().Controllers[0] is { } c && ((EksOperator.Runtime.Reconciliation.Controller<TestWidget>)c).Queue.Length == 0, "queue idle");
        var beforeX = log.Count(name: "in-x");
        var beforeY = log.Count(name: "in-y");

        await fixture.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cluster-x", Labels = new Dictionary<string, string> { ["cluster"] = "x" } } }, ns);

        await SimulatorFixture.Eventually(() => log.Count(name: "in-x") > beforeX, "in-x re-enqueued");
        Assert.Equal(beforeY, log.Count(name: "in-y"));
        await host.StopAsync();
    }

    [Fact]
    public async Task Terminal_results_stop_retrying_and_are_reported()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        using var host = await TestOperator.StartHostAsync(fixture.NewClient(), ns, "solo", log);

        await fixture.CreateWidgetAsync(ns, "bad", -1);

        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "bad")).Status?.Conditions.IsTrue("Stalled") == true, "stalled");
        var widget = await fixture.GetWidgetAsync(ns, "bad");
        Assert.Equal(widget.Metadata.Generation, widget.Status!.ObservedGeneration);
        await SimulatorFixture.Eventually(async () => (await fixture.Client.CoreV1.ListNamespacedEventAsync(ns)).Items.Any(e => e.Reason == "ReconcileTerminal" && e.Type == "Warning"), "terminal event");
        await host.StopAsync();
    }

    [Fact]
    public async Task Status_patches_ride_out_conflicts_and_stale_finalizer_writes_conflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await fixture.CreateWidgetAsync(ns, "c1", 2);
        var patcher = new StatusPatcher(fixture.Api, new ResourceTypes(), NullLogger<StatusPatcher>.Instance);

        // Two injected 409s: the patch (which carries no resourceVersion) is simply sent again.
        fixture.Simulator.Faults.FailNextWrites(2, 409);
        await patcher.RunAsync(created, (w, _) =>
        {
            w.Status = new WidgetStatus { Phase = "Patched" };
            return Task.FromResult(ReconcileResult.Done);
        }, CancellationToken.None);
        Assert.Equal("Patched", (await fixture.GetWidgetAsync(ns, "c1")).Status?.Phase);

        // A finalizer write from a stale copy must fail rather than drop someone else's change.
        var finalizers = new Finalizers(fixture.Api, new ResourceTypes());
        var stale = created.DeepCopy();
        await fixture.SetSizeAsync(ns, "c1", 3);
        var conflict = await Assert.ThrowsAsync<KubernetesApiException>(() => finalizers.EnsureAsync(stale, "a.example.com/f", CancellationToken.None));
        Assert.True(conflict.IsConflict);
        var fresh = await fixture.GetWidgetAsync(ns, "c1");
        Assert.True(await finalizers.EnsureAsync(fresh, "a.example.com/f", CancellationToken.None));
        Assert.Contains("a.example.com/f", (await fixture.GetWidgetAsync(ns, "c1")).Metadata.Finalizers);
    }

    [Fact]
    public async Task Injected_write_failures_are_retried_by_the_controller()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        using var host = await TestOperator.StartHostAsync(fixture.NewClient(), ns, "solo", log);
        await SimulatorFixture.Eventually(() => host.Manager().IsReady, "ready");
        await fixture.CreateWidgetAsync(ns, "flaky", 4);

        // The finalizer write and status patches fail for a while: each failure is a rate-limited retry, not a loss.
        fixture.Simulator.Faults.FailNextWrites(6, 500);

        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "flaky")).Status?.SeenSize == 4, "reconciled despite failures");
        await host.StopAsync();
    }
}
