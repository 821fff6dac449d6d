using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using k8s;

namespace EksOperator.Integration.Tests;

/// <summary>
/// The traps a newcomer fell into (issue "traps and rough edges"): mistakes that could not be undone, a retained
/// cluster that lost its compute, a retained cluster that could not be taken back, and a clusterRef to nothing.
/// </summary>
public sealed class RecoveryTests
{
    [Fact]
    public async Task A_version_EKS_does_not_offer_is_Stalled_before_any_step_and_the_typo_can_be_undone()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("typo", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.33"));
        await env.ReadyAsync<EksCluster>("typo");

        // One minor past the newest EKS offers (the simulator's table ends at 1.35), as a typo would be.
        await env.PatchSpecAsync<EksCluster>("typo", new { version = "1.36" });
        var stalled = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("typo"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.InvalidSpec), "an unoffered version Stalled");
        var message = StalledMessage(stalled);
        Assert.Contains("spec.version 1.36: EKS does not offer Kubernetes 1.36", message, StringComparison.Ordinal);
        Assert.Contains("1.33, 1.34, 1.35", message, StringComparison.Ordinal);
        Assert.Null(stalled!.Status!.Upgrade);
        Assert.Equal(0, env.Calls("eks:UpdateClusterVersion"));

        // Admission lets the user come back down; the upgrade then goes to what was meant.
        await env.PatchSpecAsync<EksCluster>("typo", new { version = "1.34" });
        await env.EventuallyReadyAtAsync<EksCluster>("typo", c => c.Status?.Version == "1.34", TimeSpan.FromSeconds(60));
        Assert.Equal(1, env.Calls("eks:UpdateClusterVersion"));
    }

    [Fact]
    public async Task A_lowered_version_is_refused_by_the_operator_not_admission_and_setting_it_back_recovers()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("down", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.34"));
        await env.CreateAsync(Manifests.NodeGroup("workers", "down"));
        await env.ReadyAsync<ManagedNodeGroup>("workers");

        await env.PatchSpecAsync<EksCluster>("down", new { version = "1.33" });
        var stalled = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("down"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.InvalidSpec), "a downgrade Stalled");
        Assert.Contains("EKS cannot downgrade: the cluster runs 1.34", StalledMessage(stalled), StringComparison.Ordinal);

        var pinned = await env.GetAsync<ManagedNodeGroup>("workers");
        await env.PatchSpecAsync<ManagedNodeGroup>("workers", new { version = "1.32" });
        var ng = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<ManagedNodeGroup>("workers"),
            g => OperatorEnvironment.HasCondition(g, ConditionTypes.Stalled, "True", ConditionReasons.InvalidSpec), "a node group downgrade Stalled");
        Assert.Contains("EKS cannot downgrade node group workers: it runs 1.34", StalledMessage(ng), StringComparison.Ordinal);

        // Undo both mistakes: the spec is writable again, and nothing was ever sent to AWS for them.
        await env.PatchSpecAsync<EksCluster>("down", new { version = "1.34" });
        await env.PatchSpecAsync<ManagedNodeGroup>("workers", new { version = (string?)null });
        await env.EventuallyReadyAtAsync<EksCluster>("down", c => c.Status?.Version == "1.34");
        await env.EventuallyReadyAtAsync<ManagedNodeGroup>("workers", g => g.Metadata.Generation > pinned!.Metadata.Generation + 1);
        Assert.Equal(0, env.Calls("eks:UpdateClusterVersion"));
        Assert.Equal(0, env.Calls("eks:UpdateNodegroupVersion"));
    }

    [Fact]
    public async Task Retaining_a_cluster_keeps_its_compute_unless_a_child_says_Delete_and_marks_what_it_leaves()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        var cluster = Manifests.Cluster("keep", subnets);
        cluster.Spec.DeletionPolicy = DeletionPolicy.Retain;
        await env.CreateAsync(cluster);
        await env.CreateAsync(Manifests.NodeGroup("keep-nodes", "keep"));
        await env.CreateAsync(Manifests.Profile("keep-jobs", "keep", subnets));
        var scratch = Manifests.NodeGroup("keep-scratch", "keep");
        scratch.Spec.DeletionPolicy = DeletionPolicy.Delete;
        await env.CreateAsync(scratch);
        foreach (var name in new[] { "keep-nodes", "keep-scratch" }) await env.ReadyAsync<ManagedNodeGroup>(name);
        await env.ReadyAsync<FargateProfile>("keep-jobs");

        await env.DeleteAsync<EksCluster>("keep");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("keep"), c => c is null, "the cluster object gone", TimeSpan.FromSeconds(60));

        Assert.Equal(0, env.Calls("eks:DeleteCluster"));
        Assert.Equal(0, env.Calls("eks:DeleteFargateProfile"));
        Assert.Equal(1, env.Calls("eks:DeleteNodegroup")); // only the child that said Delete
        var aws = (await env.AwsStateAsync())["clusters"]!.AsArray().Single()!;
        Assert.Equal(["keep-nodes"], aws["nodegroups"]!.AsArray().Select(n => (string)n!["name"]!));
        Assert.Single(aws["fargateProfiles"]!.AsArray());
        Assert.True(HasTag(aws, OwnershipTags.Released), aws.ToJsonString());
        Assert.True(HasTag(aws["nodegroups"]![0]!, OwnershipTags.Released));
        Assert.True(HasTag(aws["fargateProfiles"]![0]!, OwnershipTags.Released));
        // The roles the retained resources use stay, marked too; the deleted node group's role went with it.
        var roles = (await env.AwsStateAsync())["roles"]!.AsArray();
        Assert.DoesNotContain(roles, r => ((string?)r!["name"])!.Contains("scratch", StringComparison.Ordinal));
        Assert.All(roles, r => Assert.True(HasTag(r!, OwnershipTags.Released), r!.ToJsonString()));
    }

    [Fact]
    public async Task A_retained_cluster_is_taken_back_by_the_same_object_applied_again_with_adopt_and_refused_to_a_stranger()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        var cluster = Manifests.Cluster("demo", subnets);
        cluster.Spec.DeletionPolicy = DeletionPolicy.Retain;
        var first = await env.CreateAsync(cluster);
        await env.ReadyAsync<EksCluster>("demo");
        await env.DeleteAsync<EksCluster>("demo");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("demo"), c => c is null, "the object gone");

        // Applied again without the annotation: the message says how to take it back, not "choose another name".
        var again = Manifests.Cluster("demo", subnets);
        await env.CreateAsync(again);
        var refused = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("demo"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.AlreadyExists), "AlreadyExists");
        Assert.Contains("no longer exists", StalledMessage(refused), StringComparison.Ordinal);
        Assert.Contains(Annotations.Adopt, StalledMessage(refused), StringComparison.Ordinal);

        await env.AnnotateAsync<EksCluster>("demo", Annotations.Adopt, "true");
        var adopted = await env.ReadyAsync<EksCluster>("demo");
        Assert.NotEqual(first.Metadata.Uid, adopted.Metadata.Uid);
        Assert.Equal(1, env.Calls("eks:CreateCluster"));
        var aws = (await env.AwsStateAsync())["clusters"]!.AsArray().Single()!;
        Assert.Equal(adopted.Metadata.Uid, (string?)aws["tags"]![OwnershipTags.OwnerUid]);
        Assert.False(HasTag(aws, OwnershipTags.Released));
        var role = (await env.AwsStateAsync())["roles"]!.AsArray().Single(r => ((string?)r!["name"])!.EndsWith("-eks-cluster", StringComparison.Ordinal))!;
        Assert.Equal(adopted.Metadata.Uid, (string?)role["tags"]![OwnershipTags.OwnerUid]);

        // A live owner keeps it: another object naming the same AWS cluster is refused even with the annotation.
        var stranger = Manifests.Cluster("stranger", subnets);
        stranger.Spec.Name = "demo";
        stranger.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" };
        await env.CreateAsync(stranger);
        var other = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("stranger"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.AlreadyExists), "stranger refused");
        Assert.Contains("belongs to default/demo", StalledMessage(other), StringComparison.Ordinal);

        // Taken back means owned again: deleting it now deletes the cluster and its role.
        await env.DeleteAsync<EksCluster>("stranger");
        await env.DeleteAsync<EksCluster>("demo");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("demo"), c => c is null, "deleted", TimeSpan.FromSeconds(60));
        var after = await env.AwsStateAsync();
        Assert.Empty(after["clusters"]!.AsArray());
        Assert.Empty(after["roles"]!.AsArray());
    }

    [Fact]
    public async Task A_clusterRef_to_nothing_is_Stalled_ClusterNotFound_after_the_grace_period_and_goes_on_when_the_cluster_appears()
    {
        await using var env = await OperatorEnvironment.StartAsync(true, "--Operator:ClusterNotFoundGracePeriod=00:00:02");
        await env.CreateAsync(Manifests.NodeGroup("orphan", "nowhere"));
        var waiting = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<ManagedNodeGroup>("orphan"),
            g => OperatorEnvironment.HasCondition(g, ConditionTypes.Reconciling, "True", ConditionReasons.WaitingForCluster), "waiting first");
        Assert.False(OperatorEnvironment.HasCondition(waiting, ConditionTypes.Stalled, "True"));

        var stalled = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<ManagedNodeGroup>("orphan"),
            g => OperatorEnvironment.HasCondition(g, ConditionTypes.Stalled, "True", ConditionReasons.ClusterNotFound), "ClusterNotFound");
        Assert.Contains("EksCluster nowhere not found in namespace default; create it or fix spec.clusterRef.name", StalledMessage(stalled), StringComparison.Ordinal);
        await OperatorEnvironment.EventuallyAsync(() => env.Client.CoreV1.ListNamespacedEventAsync(env.Namespace),
            l => l.Items.Any(e => e.InvolvedObject.Name == "orphan" && e.Type == "Warning" && e.Reason == ConditionReasons.ClusterNotFound), "a Warning event");
        Assert.Empty(env.Mutations());

        await env.CreateAsync(Manifests.Cluster("nowhere", env.Aws.DefaultNetwork.PrivateSubnetIds));
        await env.ReadyAsync<ManagedNodeGroup>("orphan");
    }

    [Fact]
    public async Task Status_says_what_an_upgrade_is_doing_and_shows_UPDATING_while_EKS_works()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("words", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.32"));
        await env.ReadyAsync<EksCluster>("words");

        await env.PatchSpecAsync<EksCluster>("words", new { version = "1.34" });
        var upgrading = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("words"),
            c => c?.Status?.ActiveUpdate is not null && c.Status.Version == "1.32", "the first step in flight");
        Assert.Equal("UPDATING", upgrading!.Status!.AwsStatus);
        var ready = upgrading.Status.Conditions!.Single(c => c.Type == ConditionTypes.Ready);
        Assert.StartsWith("Upgrading the control plane 1.32 -> 1.33 (target 1.34)", ready.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionReasons.UpgradingControlPlane, ready.Reason);
        Assert.Equal(ConditionReasons.NotStalled, upgrading.Status.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Reason);

        var done = await env.EventuallyReadyAtAsync<EksCluster>("words", c => c.Status?.Version == "1.34", TimeSpan.FromSeconds(60));
        Assert.Equal("ACTIVE", done.Status!.AwsStatus);
        Assert.Equal(ConditionReasons.Reconciled, done.Status.Conditions!.Single(c => c.Type == ConditionTypes.Reconciling).Reason);
        Assert.Equal(ConditionReasons.NotStalled, done.Status.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Reason);
    }

    private static string StalledMessage(IEksResource? obj) => obj!.CommonStatus!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Message;

    private static bool HasTag(JsonNode resource, string key) => resource["tags"]?.AsObject().ContainsKey(key) == true;
}
