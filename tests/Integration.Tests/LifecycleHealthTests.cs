using System.Text.Json;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using k8s;

namespace EksOperator.Integration.Tests;

/// <summary>
/// The statuses of a real lifecycle, as the API server serves them, through the kstatus rules (Flux, kubectl-based
/// tooling) and the Argo CD health script (config/argocd/health.lua in lua5.4): each stage reads as it should.
/// </summary>
public sealed class LifecycleHealthTests
{
    [ToolFact("lua5.4")]
    public async Task Creating_ready_upgrading_stalled_paused_and_deleting_read_right_in_kstatus_and_argo_cd()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var seen = new List<(string Stage, KStatusResult KStatus, string Argo)>();
        async Task RecordAsync(string stage, string plural, string name)
        {
            var obj = JsonNode.Parse(JsonSerializer.Serialize(await env.Client.CustomObjects.GetNamespacedCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, env.Namespace, plural, name)))!;
            seen.Add((stage, KStatus.Compute(obj).Status, (await ArgoCdHealth.EvaluateAsync(obj)).Status));
        }

        await env.CreateAsync(Manifests.Cluster("life", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.32"));
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("life"), c => c?.Status?.AwsStatus == "CREATING", "CREATING");
        await RecordAsync("creating", OperatorApi.Plurals.EksClusters, "life");

        await env.ReadyAsync<EksCluster>("life");
        await RecordAsync("ready", OperatorApi.Plurals.EksClusters, "life");

        await env.PatchSpecAsync<EksCluster>("life", new { version = "1.33" });
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("life"), c => c?.Status?.Upgrade is not null, "upgrade started");
        await RecordAsync("upgrading", OperatorApi.Plurals.EksClusters, "life");
        await env.EventuallyReadyAtAsync<EksCluster>("life", c => c.Status?.Version == "1.33" && c.Status.Upgrade is null);
        await RecordAsync("upgraded", OperatorApi.Plurals.EksClusters, "life");

        var ahead = Manifests.NodeGroup("ahead", "life");
        ahead.Spec.Version = "1.34";
        await env.CreateAsync(ahead);
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<ManagedNodeGroup>("ahead"), g => OperatorEnvironment.HasCondition(g, ConditionTypes.Stalled, "True"), "Stalled");
        await RecordAsync("stalled", OperatorApi.Plurals.ManagedNodeGroups, "ahead");
        await env.DeleteAsync<ManagedNodeGroup>("ahead");

        await env.AnnotateAsync<EksCluster>("life", Annotations.Paused, "true");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("life"), c => OperatorEnvironment.HasCondition(c, ConditionTypes.Reconciling, "False", ConditionReasons.Paused), "Paused");
        await RecordAsync("paused", OperatorApi.Plurals.EksClusters, "life");
        await env.AnnotateAsync<EksCluster>("life", Annotations.Paused, null);

        await env.DeleteAsync<EksCluster>("life");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("life"), c => c?.Metadata.DeletionTimestamp is not null, "deleting");
        await RecordAsync("deleting", OperatorApi.Plurals.EksClusters, "life");

        Assert.Equal(
            [
                ("creating", KStatusResult.InProgress, "Progressing"),
                ("ready", KStatusResult.Current, "Healthy"),
                ("upgrading", KStatusResult.InProgress, "Progressing"),
                ("upgraded", KStatusResult.Current, "Healthy"),
                ("stalled", KStatusResult.Failed, "Degraded"),
                ("paused", KStatusResult.Current, "Suspended"),
                ("deleting", KStatusResult.Terminating, "Progressing"),
            ],
            seen);
    }
}
