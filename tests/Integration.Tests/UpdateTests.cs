using EksOperator.Entities;
using k8s;
using EksOperator.Entities.V1Alpha1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EksOperator.Integration.Tests;

/// <summary>Changes to a running stack: each is one AWS update, and nothing loops afterwards.</summary>
public sealed class UpdateTests
{
    [Fact]
    public async Task Scaling_then_labels_and_taints_each_make_exactly_one_UpdateNodegroupConfig_and_no_more()
    {
        var logs = new LogCapture();
        await using var env = await OperatorEnvironment.StartAsync(true, s => s.AddLogging(b => b.AddProvider(logs)), "--Logging:LogLevel:EksOperator.Runtime.Controller=Debug");
        await env.CreateAsync(Manifests.Cluster("c1", env.Aws.DefaultNetwork.PrivateSubnetIds));
        await env.CreateAsync(Manifests.NodeGroup("ng", "c1"));
        await env.ReadyAsync<ManagedNodeGroup>("ng");
        Assert.Equal(0, env.Calls("eks:UpdateNodegroupConfig"));

        await env.PatchSpecAsync<ManagedNodeGroup>("ng", new { scaling = new { minSize = 1, maxSize = 5, desiredSize = 4 } });
        var ng = await env.EventuallyReadyAtAsync<ManagedNodeGroup>("ng", g => g.Status?.DesiredSize == 4);
        Assert.Equal(1, env.Calls("eks:UpdateNodegroupConfig"));

        await env.PatchSpecAsync<ManagedNodeGroup>("ng", new
        {
            labels = new Dictionary<string, string> { ["role"] = "ng", ["tier"] = "gold" },
            taints = new[] { new { key = "dedicated", value = "gold", effect = "NO_SCHEDULE" } },
        });
        await env.EventuallyReadyAtAsync<ManagedNodeGroup>("ng", g => g.Metadata.Generation > ng.Metadata.Generation);
        Assert.Equal(2, env.Calls("eks:UpdateNodegroupConfig"));

        // An explicit reconcile request and several resyncs (every 2 s here): nothing more is sent. The operator has
        // handled them once each object has been reconciled three more times and AWS has been read again.
        var before = env.Mutations().Count;
        var seen = logs.Lines.Count;
        var describes = env.Attempts("eks:DescribeNodegroup");
        await env.AnnotateAsync<ManagedNodeGroup>("ng", Annotations.ReconcileRequestedAt, "now");
        await env.AnnotateAsync<EksCluster>("c1", Annotations.ReconcileRequestedAt, "now");
        int Passes(string name) => logs.Lines.Skip(seen).Count(l => l.Contains($"Reconciled {env.Namespace}/{name}:", StringComparison.Ordinal));
        await OperatorEnvironment.EventuallyAsync(
            () => Task.FromResult((Passes("ng"), Passes("c1"), env.Attempts("eks:DescribeNodegroup") - describes)),
            n => n.Item1 >= 3 && n.Item2 >= 3 && n.Item3 >= 2,
            "three more passes of each object (node group, cluster, node group reads)");
        Assert.Equal(before, env.Mutations().Count);
        Assert.Equal(2, env.Calls("eks:UpdateNodegroupConfig"));
        Assert.Equal(0, env.Calls("eks:UpdateClusterConfig"));
    }

    [Fact]
    public async Task Upgrade_from_131_to_134_steps_one_minor_at_a_time_with_following_node_groups()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("up", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.31"));
        await env.CreateAsync(Manifests.NodeGroup("a", "up"));
        await env.CreateAsync(Manifests.NodeGroup("b", "up"));
        await env.ReadyAsync<ManagedNodeGroup>("a");
        await env.ReadyAsync<ManagedNodeGroup>("b");
        await env.ReadyAsync<EksCluster>("up");

        await env.PatchSpecAsync<EksCluster>("up", new { version = "1.34" });
        var seen = new HashSet<string>();
        await OperatorEnvironment.EventuallyAsync(
            async () =>
            {
                var c = await env.GetAsync<EksCluster>("up");
                if (c?.Status?.Upgrade is { } u) seen.Add($"{u.Step}/{u.Phase}");
                var a = await env.GetAsync<ManagedNodeGroup>("a");
                var b = await env.GetAsync<ManagedNodeGroup>("b");
                return (c, a, b);
            },
            s => OperatorEnvironment.IsReady(s.c) && s.c!.Status!.Version == "1.34" && s.c.Status.Upgrade is null
                && s.a?.Status?.Version == "1.34" && s.b?.Status?.Version == "1.34",
            "cluster and node groups at 1.34",
            TimeSpan.FromSeconds(120));

        Assert.Equal(3, env.Calls("eks:UpdateClusterVersion"));
        Assert.Equal(6, env.Calls("eks:UpdateNodegroupVersion"));
        // Order: each control-plane step, then both node groups, before the next step.
        var order = env.Mutations().Where(m => m.Contains("Version", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["ClusterVersion", "Nodegroup", "Nodegroup", "ClusterVersion", "Nodegroup", "Nodegroup", "ClusterVersion", "Nodegroup", "Nodegroup"],
            order.Select(m => m.EndsWith("UpdateClusterVersion", StringComparison.Ordinal) ? "ClusterVersion" : "Nodegroup"));
        Assert.Contains("1.32/ControlPlane", seen);
        Assert.Contains("1.34/ControlPlane", seen);
        Assert.Contains(seen, s => s.EndsWith("/NodeGroups", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pinned_node_group_stops_the_next_upgrade_step_naming_it()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("pin", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.32"));
        var pinned = Manifests.NodeGroup("held", "pin");
        pinned.Spec.Version = "1.32";
        await env.CreateAsync(pinned);
        await env.ReadyAsync<ManagedNodeGroup>("held");

        await env.PatchSpecAsync<EksCluster>("pin", new { version = "1.34" });
        var cluster = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("pin"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True"), "the upgrade to stall", TimeSpan.FromSeconds(60));
        Assert.Equal("1.33", cluster!.Status!.Version);
        Assert.Equal(1, env.Calls("eks:UpdateClusterVersion"));
        var stalled = cluster.Status.Conditions!.Single(c => c.Type == ConditionTypes.Stalled);
        Assert.Contains("held (1.32)", stalled.Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Calls("eks:UpdateNodegroupVersion"));
    }

    [Fact]
    public async Task A_node_group_newer_than_its_cluster_is_stalled_with_no_aws_call()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("old", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.32"));
        await env.ReadyAsync<EksCluster>("old");
        var ahead = Manifests.NodeGroup("ahead", "old");
        ahead.Spec.Version = "1.33";
        await env.CreateAsync(ahead);
        var ng = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<ManagedNodeGroup>("ahead"),
            g => OperatorEnvironment.HasCondition(g, ConditionTypes.Stalled, "True", ConditionReasons.InvalidSpec), "node group Stalled");
        Assert.Contains("newer than EksCluster old (1.32)", ng!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Calls("eks:CreateNodegroup"));
        Assert.Empty(ng.Metadata.Finalizers ?? []);
        // The transition into Stalled is a Warning event too (kubectl describe).
        var events = await OperatorEnvironment.EventuallyAsync(() => env.Client.CoreV1.ListNamespacedEventAsync(env.Namespace),
            l => l.Items.Any(e => e.InvolvedObject.Name == "ahead" && e.Type == "Warning" && e.Reason == ConditionReasons.InvalidSpec), "a Warning event");
        Assert.Single(events.Items, e => e.InvolvedObject.Name == "ahead" && e.Reason == ConditionReasons.InvalidSpec);
    }

    [Fact]
    public async Task Encryption_is_added_once_and_deletion_protection_is_turned_off_only_when_the_spec_says_so()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("guarded", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.DeletionProtection = true;
        await env.CreateAsync(cluster);
        await env.ReadyAsync<EksCluster>("guarded");

        await env.PatchSpecAsync<EksCluster>("guarded", new { encryption = new { kmsKeyArn = "arn:aws:kms:us-west-2:123456789012:key/k1" } });
        await env.EventuallyReadyAtAsync<EksCluster>("guarded", c => c.Status?.Drift is null && c.Status?.ActiveUpdate is null);
        Assert.Equal(1, env.Calls("eks:AssociateEncryptionConfig"));

        // Protected: deleting stalls, naming what to change; EKS is never asked to delete.
        await env.DeleteAsync<EksCluster>("guarded");
        var blocked = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("guarded"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.DeletionBlocked), "deletion blocked");
        Assert.Contains("spec.deletionProtection: false", blocked!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Calls("eks:DeleteCluster"));

        await env.PatchSpecAsync<EksCluster>("guarded", new { deletionProtection = false });
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("guarded"), c => c is null, "deleted", TimeSpan.FromSeconds(60));
        Assert.Equal(1, env.Calls("eks:UpdateClusterConfig"));
        Assert.Equal(1, env.Calls("eks:DeleteCluster"));
        Assert.Equal(1, env.Calls("eks:AssociateEncryptionConfig"));
    }
}
