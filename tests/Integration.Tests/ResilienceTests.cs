using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EksOperator.Integration.Tests;

/// <summary>Faults in AWS and in the operator's own life: retried, never duplicated, never shown as Stalled when transient.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task With_30_percent_throttling_and_10_percent_5xx_the_full_stack_still_converges_without_stalling()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        env.Aws.Faults.ThrottleRate = 0.3;
        env.Aws.Faults.ServerErrorRate = 0.1;
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        await env.CreateAsync(Manifests.Cluster("noisy", subnets));
        await env.CreateAsync(Manifests.NodeGroup("ng", "noisy"));
        await env.CreateAsync(Manifests.Profile("fp", "noisy", subnets));

        var everStalled = false;
        await OperatorEnvironment.EventuallyAsync(
            async () =>
            {
                IEksResource?[] all = [await env.GetAsync<EksCluster>("noisy"), await env.GetAsync<ManagedNodeGroup>("ng"), await env.GetAsync<FargateProfile>("fp")];
                everStalled |= all.Any(o => OperatorEnvironment.HasCondition(o, ConditionTypes.Stalled, "True"));
                return all;
            },
            all => all.All(OperatorEnvironment.IsReady), "everything Ready under faults", TimeSpan.FromSeconds(120));

        Assert.False(everStalled, "a transient AWS fault was shown as Stalled");
        Assert.True(env.Aws.Calls.Entries().Count(c => c.StatusCode is 429 or 400 && c.Operation != "CreateCluster") + env.Aws.Calls.Entries().Count(c => c.StatusCode >= 500) > 0, "no fault was injected");
        Assert.Equal(1, env.Calls("eks:CreateCluster"));
        Assert.Equal(1, env.Calls("eks:CreateNodegroup"));
        Assert.Equal(1, env.Calls("eks:CreateFargateProfile"));
    }

    [Fact]
    public async Task Denied_credentials_are_Stalled_with_aws_message_and_the_object_deletes_at_once()
    {
        await using var env = await OperatorEnvironment.StartAsync(true, "--Aws:SecretAccessKey=wrong-secret");
        await env.CreateAsync(Manifests.Cluster("denied", env.Aws.DefaultNetwork.PrivateSubnetIds));
        var stalled = await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("denied"),
            c => OperatorEnvironment.HasCondition(c, ConditionTypes.Stalled, "True"), "Stalled", TimeSpan.FromSeconds(60));
        var message = stalled!.Status!.Conditions!.Single(c => c.Type == ConditionTypes.Stalled).Message;
        Assert.Contains("Signature", message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(stalled.Metadata.Finalizers ?? []);

        // Nothing was created, so nothing holds the delete.
        await env.DeleteAsync<EksCluster>("denied");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("denied"), c => c is null, "deleted at once", TimeSpan.FromSeconds(10));
        Assert.Empty(env.Mutations());
    }

    [Theory]
    [InlineData("CreateCluster")]
    [InlineData("CreateNodegroup")]
    [InlineData("CreateFargateProfile")]
    public async Task A_restart_after_the_create_call_but_before_the_status_write_creates_no_duplicate_and_leaves_no_orphan(string create)
    {
        var logs = new LogCapture();
        await using var env = await OperatorEnvironment.StartAsync(true, s => s.AddLogging(b => b.AddProvider(logs)));
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        // The create takes 2 s, so the status write of that pass comes after the Kubernetes faults below start.
        env.Aws.Faults.Operations = ["eks:" + create]; // the filter names service:operation
        env.Aws.Faults.Latency = TimeSpan.FromSeconds(2);
        await env.CreateAsync(Manifests.Cluster("crashy", subnets));
        await env.CreateAsync(Manifests.NodeGroup("ng", "crashy"));
        await env.CreateAsync(Manifests.Profile("fp", "crashy", subnets));
        Func<Task<IEksResource?>> target = create switch
        {
            "CreateCluster" => async () => await env.GetAsync<EksCluster>("crashy"),
            "CreateNodegroup" => async () => await env.GetAsync<ManagedNodeGroup>("ng"),
            _ => async () => await env.GetAsync<FargateProfile>("fp"),
        };
        // The cluster's finalizer goes on just before its create; node groups and profiles add theirs earlier (they
        // create their role while the cluster is being created) and send their create once the cluster is Ready.
        if (create == "CreateCluster")
        {
            await OperatorEnvironment.EventuallyAsync(target, o => o?.Metadata.Finalizers?.Contains(OperatorApi.Finalizer) == true, "finalizer added");
        }
        else
        {
            await env.ReadyAsync<EksCluster>("crashy");
        }

        env.Kube.Faults.FailNextWrites(100_000, 500);
        await OperatorEnvironment.EventuallyAsync(() => Task.FromResult(env.Calls("eks:" + create)), n => n == 1, create + " sent");

        // The pass that sent the create (one pass per key at a time) then fails on its status write: stop only then.
        var seen = logs.Lines.Count;
        var key = $"{env.Namespace}/{(await target())!.Metadata.Name}";
        await OperatorEnvironment.EventuallyAsync(
            () => Task.FromResult(logs.Lines.Skip(seen).Any(l => l.Contains($"Reconcile of {key} failed", StringComparison.Ordinal))),
            failed => failed,
            $"the status write after {create} refused");
        await env.StopOperatorAsync();
        Assert.Null((await target())!.CommonStatus?.Arn);

        env.Kube.Faults.FailNextWrites(0, 500);
        env.Aws.Faults.Latency = TimeSpan.Zero;
        await env.StartOperatorAsync();
        await env.ReadyAsync<EksCluster>("crashy");
        await env.ReadyAsync<ManagedNodeGroup>("ng");
        await env.ReadyAsync<FargateProfile>("fp");
        Assert.Equal(1, env.Calls("eks:CreateCluster"));
        Assert.Equal(1, env.Calls("eks:CreateNodegroup"));
        Assert.Equal(1, env.Calls("eks:CreateFargateProfile"));
        Assert.Equal(3, env.Calls("iam:CreateRole"));

        await env.DeleteAsync<EksCluster>("crashy");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("crashy"), c => c is null, "deleted", TimeSpan.FromSeconds(60));
        var state = await env.AwsStateAsync();
        Assert.Empty(state["clusters"]!.AsArray());
        Assert.Empty(state["roles"]!.AsArray());
    }
}
