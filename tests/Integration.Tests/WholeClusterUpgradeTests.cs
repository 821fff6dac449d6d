using System.Net.Http.Json;
using k8s;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using k8s.Models;

namespace EksOperator.Integration.Tests;

/// <summary>
/// Whole-cluster upgrades against the AWS simulator: each step's preflight (its insights, add-ons, node groups), then
/// the control plane, the add-ons (core first) and the node groups, in that order, with nothing EKS refuses on the way.
/// </summary>
public sealed class WholeClusterUpgradeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly string[] Steps = ["UpdateClusterVersion", "UpdateAddon", "UpdateNodegroupVersion"];

    private static Addon Addon(string cluster, string name, string? version = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"{cluster}-{name}" },
        Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = cluster }, Name = name, Version = version },
    };

    [Fact]
    public async Task A_three_minor_upgrade_moves_control_plane_add_ons_and_node_groups_together_one_step_at_a_time()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("up", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.32"));
        await env.CreateAsync(Manifests.NodeGroup("a", "up"));
        await env.CreateAsync(Manifests.NodeGroup("b", "up"));
        string[] addons = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"];
        foreach (var name in addons) await env.CreateAsync(Addon("up", name, name == "coredns" ? "latest" : null));
        foreach (var name in addons) await env.ReadyAsync<Addon>($"up-{name}");
        await env.ReadyAsync<ManagedNodeGroup>("a");
        await env.ReadyAsync<ManagedNodeGroup>("b");
        await env.ReadyAsync<EksCluster>("up");
        var startedAt = env.Aws.Calls.Entries().Count;
        // EKS refusing a step while an ERROR insight stands (as it did for a day in 2025): coredns's 1.32 build has no
        // release for 1.33, which the Addons phase answers right after the control plane.
        using (var sim = new HttpClient { BaseAddress = env.Aws.BaseAddress })
        {
            (await sim.PutAsJsonAsync("/_sim/insights/enforce", new { enabled = true })).EnsureSuccessStatusCode();
        }

        await env.PatchSpecAsync<EksCluster>("up", new { version = "1.35" });
        var phases = new HashSet<string>();
        await OperatorEnvironment.EventuallyAsync(
            async () =>
            {
                var c = await env.GetAsync<EksCluster>("up");
                if (c?.Status?.Upgrade is { } u) phases.Add($"{u.Step}/{u.Phase}");
                return c;
            },
            c => OperatorEnvironment.IsReady(c) && c!.Status!.Version == "1.35" && c.Status.Upgrade is null,
            "the cluster at 1.35 with its upgrade done",
            TimeSpan.FromSeconds(240));

        foreach (var name in addons)
        {
            var addon = await env.ReadyAsync<Addon>($"up-{name}");
            Assert.Equal("1.35", addon.Status!.KubernetesVersion);
            Assert.Equal(addon.Status.TargetVersion, addon.Status.Version);
        }

        Assert.Equal("1.35", (await env.GetAsync<ManagedNodeGroup>("a"))!.Status!.Version);
        Assert.Equal("1.35", (await env.GetAsync<ManagedNodeGroup>("b"))!.Status!.Version);
        foreach (var step in new[] { "1.33", "1.34", "1.35" }) Assert.Contains($"{step}/ControlPlane", phases);
        Assert.Contains(phases, p => p.EndsWith("/Addons", StringComparison.Ordinal));
        Assert.Contains(phases, p => p.EndsWith("/NodeGroups", StringComparison.Ordinal));

        var calls = env.Aws.Calls.Entries().Skip(startedAt).Where(c => Steps.Contains(c.Operation)).ToList();
        // The upgrade's call log (the insight reads and every change), for whoever reads the test output.
        foreach (var c in env.Aws.Calls.Entries().Skip(startedAt).Where(c => Steps.Contains(c.Operation) || c.Operation.Contains("Insight", StringComparison.Ordinal)))
        {
            output.WriteLine($"{c.Time:HH:mm:ss.fff} {c.Operation} {c.Resource} {c.StatusCode}");
        }

        Assert.DoesNotContain(calls, c => c.StatusCode >= 300); // EKS refused nothing on the way
        var events = await env.Client.CoreV1.ListNamespacedEventAsync(env.Namespace);
        Assert.Contains(events.Items, e => e.InvolvedObject.Name == "up" && e.Reason == "UpgradeInsightAnswered" && e.Message.StartsWith("1.33: EKS reports coredns", StringComparison.Ordinal));
        // Per step: the control plane, then the add-ons that move, then both node groups, before the next step.
        var segments = Segments(calls.Select(c => (c.Operation, c.Resource ?? "")).ToList());
        Assert.Equal(3, segments.Count);
        foreach (var segment in segments)
        {
            var kinds = segment.Select(c => c.Operation).ToList();
            Assert.Equal(2, kinds.Count(k => k == "UpdateNodegroupVersion"));
            Assert.True(kinds.FindLastIndex(k => k == "UpdateAddon") < kinds.IndexOf("UpdateNodegroupVersion"), string.Join(", ", kinds));
            // kube-proxy is built for one minor: it moves at every step.
            Assert.Contains(segment, c => c.Operation == "UpdateAddon" && c.Resource.Contains("kube-proxy", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_error_insight_and_a_pinned_add_on_block_the_step_until_forced_and_fixed()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("ins", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.33"));
        await env.ReadyAsync<EksCluster>("ins");
        // kube-proxy pinned to what EKS picks for 1.33: it has no release for 1.34.
        await env.CreateAsync(Addon("ins", "kube-proxy"));
        var proxy133 = (await env.ReadyAsync<Addon>("ins-kube-proxy")).Status!.Version!;
        await env.PatchSpecAsync<Addon>("ins-kube-proxy", new { version = proxy133 });
        await env.EventuallyReadyAtAsync<Addon>("ins-kube-proxy", a => a.Status?.ResolvedFrom == "pinned");
        using var sim = new HttpClient { BaseAddress = env.Aws.BaseAddress };
        (await sim.PutAsJsonAsync("/_sim/insights/enforce", new { enabled = true })).EnsureSuccessStatusCode();
        (await sim.PostAsJsonAsync("/_sim/insights", new
        {
            cluster = "ins",
            name = "Deprecated APIs removed in Kubernetes v1.34",
            kubernetesVersion = "1.34",
            status = "ERROR",
            reason = "Deprecated API usage detected within last 30 days and your cluster is on Kubernetes v1.33.",
            recommendation = "Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v1.34.",
            resources = new[] { new { kubernetesResourceUri = "/apis/batch/v1beta1/cronjobs", status = "ERROR", reason = "in use" } },
            deprecationDetails = new[] { new { usage = "/apis/batch/v1beta1/cronjobs", replacedWith = "/apis/batch/v1/cronjobs", stopServingVersion = "1.34", startServingReplacementVersion = "1.30" } },
        })).EnsureSuccessStatusCode();

        await env.PatchSpecAsync<EksCluster>("ins", new { version = "1.34" });
        var blocked = await StalledAsync(env, m => m.Contains("(2)", StringComparison.Ordinal));
        Assert.Equal(ConditionReasons.UpgradeBlocked, blocked.Reason);
        Assert.Contains("EKS insight \"Deprecated APIs removed in Kubernetes v1.34\" is ERROR", blocked.Message, StringComparison.Ordinal);
        Assert.Contains("/apis/batch/v1beta1/cronjobs (use /apis/batch/v1/cronjobs)", blocked.Message, StringComparison.Ordinal);
        Assert.Contains("recommendation: Update manifests", blocked.Message, StringComparison.Ordinal);
        Assert.Contains($"Addon ins-kube-proxy pins kube-proxy {proxy133}, which has no release for Kubernetes 1.34", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Attempts("eks:UpdateClusterVersion"));

        // Force accepts the insight for this step, never the add-on.
        await env.AnnotateAsync<EksCluster>("ins", Annotations.ForceUpgrade, "1.34");
        var still = await StalledAsync(env, m => !m.Contains("(2)", StringComparison.Ordinal));
        Assert.StartsWith("cannot upgrade from 1.33 to 1.34: (1) Addon ins-kube-proxy pins", still.Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Attempts("eks:UpdateClusterVersion"));

        await env.PatchSpecAsync<Addon>("ins-kube-proxy", new { version = "default" });
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("ins"),
            c => OperatorEnvironment.IsReady(c) && c!.Status!.Version == "1.34" && c.Status.Upgrade is null, "the forced step done", TimeSpan.FromSeconds(120));
        Assert.Equal(1, env.Calls("eks:UpdateClusterVersion")); // accepted by EKS only because it carried force
        var proxy = await env.EventuallyReadyAtAsync<Addon>("ins-kube-proxy", a => a.Status?.KubernetesVersion == "1.34");
        Assert.NotEqual(proxy133, proxy.Status!.Version);
        Assert.Contains(proxy.Status.Version!, proxy.Status.CompatibleVersions!);
    }

    private static async Task<V1Condition> StalledAsync(OperatorEnvironment env, Func<string, bool> message)
    {
        var cluster = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("ins"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.UpgradeBlocked)
                && message(c!.Status!.Conditions!.Single(x => x.Type == ConditionTypes.Stalled).Message),
            "the upgrade Stalled");
        return cluster!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled);
    }

    private static List<List<(string Operation, string Resource)>> Segments(List<(string Operation, string Resource)> calls)
    {
        var segments = new List<List<(string Operation, string Resource)>>();
        foreach (var call in calls)
        {
            if (call.Operation == "UpdateClusterVersion") segments.Add([]);
            else if (segments.Count > 0) segments[^1].Add(call);
        }

        return segments;
    }
}
