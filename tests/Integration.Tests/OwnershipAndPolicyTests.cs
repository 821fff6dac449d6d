using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Simulators.Aws;
using k8s;
using k8s.Models;

namespace EksOperator.Integration.Tests;

/// <summary>Whose AWS resource it is, and what the policies let the operator do with it.</summary>
public sealed class OwnershipAndPolicyTests
{
    [Fact]
    public async Task An_existing_untagged_cluster_is_AlreadyExists_until_the_adopt_annotation_takes_it_over()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        env.Aws.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "legacy", Version = "1.33", SubnetIds = env.Aws.DefaultNetwork.PrivateSubnetIds }] });
        var cluster = Manifests.Cluster("legacy", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.Logging = null;
        cluster.Spec.Tags = null;
        await env.CreateAsync(cluster);

        var stalled = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("legacy"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.AlreadyExists), "AlreadyExists");
        Assert.Contains(Annotations.Adopt, stalled!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        Assert.Empty(env.Mutations());
        Assert.Empty(stalled.Metadata.Finalizers ?? []);

        await env.AnnotateAsync<EksCluster>("legacy", Annotations.Adopt, "true");
        var adopted = await env.ReadyAsync<EksCluster>("legacy");
        Assert.Equal(0, env.Calls("eks:CreateCluster"));
        Assert.True(env.Calls("eks:TagResource") >= 1);
        Assert.Contains(OperatorApi.Finalizer, adopted.Metadata.Finalizers!);
    }

    [Fact]
    public async Task ObserveOnly_reports_drift_in_status_and_never_mutates_even_on_delete()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        env.Aws.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "audit", Version = "1.32", SubnetIds = env.Aws.DefaultNetwork.PrivateSubnetIds }] });
        var cluster = Manifests.Cluster("audit", env.Aws.DefaultNetwork.PrivateSubnetIds, version: "1.33");
        cluster.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly;
        await env.CreateAsync(cluster);

        var observed = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("audit"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Ready, "False", ConditionReasons.Drifted), "drift reported");
        var drift = observed!.Status!.Drift!.Select(d => d.Field).ToList();
        Assert.Contains("spec.logging", drift);
        Assert.Contains("spec.version", drift);
        Assert.Equal("1.32", observed.Status.Version);
        Assert.Equal("ACTIVE", observed.Status.AwsStatus);

        await env.DeleteAsync<EksCluster>("audit");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("audit"), c => c is null, "object gone");
        Assert.Empty(env.Mutations());
        Assert.Single((await env.AwsStateAsync())["clusters"]!.AsArray());
    }

    [Fact]
    public async Task Retain_deletes_the_object_and_leaves_the_aws_cluster()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("kept", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.DeletionPolicy = DeletionPolicy.Retain;
        await env.CreateAsync(cluster);
        await env.ReadyAsync<EksCluster>("kept");

        await env.DeleteAsync<EksCluster>("kept");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("kept"), c => c is null, "object gone");
        Assert.Equal(0, env.Calls("eks:DeleteCluster"));
        Assert.Single((await env.AwsStateAsync())["clusters"]!.AsArray());
    }

    [Fact]
    public async Task Paused_makes_no_aws_call_until_the_annotation_is_removed()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("sleepy", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Paused] = "true" };
        await env.CreateAsync(cluster);
        var paused = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("sleepy"),
            c => PausedAt(c, c?.Metadata.Generation), "Paused");

        // A spec change while paused: once the operator has seen the new generation (its Paused condition records it),
        // it has reconciled the object at least twice, and it still has made no AWS call at all.
        await env.PatchSpecAsync<EksCluster>("sleepy", new { tags = new Dictionary<string, string> { ["team"] = "platform", ["tier"] = "gold" } });
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("sleepy"),
            c => c!.Metadata.Generation > paused!.Metadata.Generation && PausedAt(c, c.Metadata.Generation), "Paused at the new generation");
        Assert.Equal(0, env.Aws.Calls.Total);

        await env.AnnotateAsync<EksCluster>("sleepy", Annotations.Paused, null);
        await env.ReadyAsync<EksCluster>("sleepy");
        Assert.Equal(1, env.Calls("eks:CreateCluster"));

        static bool PausedAt(EksCluster? c, long? generation) =>
            c?.Status?.Conditions?.Any(x => x.Type == ConditionTypes.Reconciling && x.Status == "False" && x.Reason == ConditionReasons.Paused
                && x.ObservedGeneration == generation) == true;
    }

    [Fact]
    public async Task An_unmanaged_node_group_blocks_cluster_deletion_with_a_message_naming_it()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await env.CreateAsync(Manifests.Cluster("busy", env.Aws.DefaultNetwork.PrivateSubnetIds));
        await env.ReadyAsync<EksCluster>("busy");

        // A node group whose object goes away while the AWS node group stays (Retain): nobody manages it now.
        await env.CreateAsync(Manifests.NodeGroup("stray", "busy"));
        await env.ReadyAsync<ManagedNodeGroup>("stray");
        await env.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"deletionPolicy":"Retain"}}""", V1Patch.PatchType.MergePatch), OperatorApi.Group, OperatorApi.Version, env.Namespace, OperatorApi.Plurals.ManagedNodeGroups, "stray");
        await env.DeleteAsync<ManagedNodeGroup>("stray");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<ManagedNodeGroup>("stray"), g => g is null, "stray object gone");

        await env.DeleteAsync<EksCluster>("busy");
        var blocked = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("busy"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True", ConditionReasons.DeletionBlocked), "deletion blocked");
        Assert.Contains("nodegroup stray", blocked!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Message, StringComparison.Ordinal);
        Assert.Equal(0, env.Calls("eks:DeleteCluster"));
    }

    [Fact]
    public async Task Fargate_Replace_creates_the_new_profile_then_deletes_the_old_one()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        await env.CreateAsync(Manifests.Cluster("fg", subnets));
        var profile = Manifests.Profile("web", "fg", subnets);
        profile.Spec.UpdateStrategy = FargateUpdateStrategy.Replace;
        await env.CreateAsync(profile);
        var first = await env.ReadyAsync<FargateProfile>("web");
        Assert.Equal("web", first.Status!.ProfileName);

        await env.PatchSpecAsync<FargateProfile>("web", new { selectors = new[] { new { @namespace = "web" } } });
        var replaced = await env.EventuallyReadyAtAsync<FargateProfile>("web", p => p.Status?.ProfileName != "web" && p.Status?.ReplacedProfileName is null);
        Assert.StartsWith("web-", replaced.Status!.ProfileName, StringComparison.Ordinal);
        Assert.Equal(2, env.Calls("eks:CreateFargateProfile"));
        Assert.Equal(1, env.Calls("eks:DeleteFargateProfile"));
        var log = env.Mutations().ToList();
        Assert.True(log.LastIndexOf("eks:CreateFargateProfile") < log.IndexOf("eks:DeleteFargateProfile"));
        Assert.Single((await env.AwsStateAsync())["clusters"]![0]!["fargateProfiles"]!.AsArray());
    }
}
