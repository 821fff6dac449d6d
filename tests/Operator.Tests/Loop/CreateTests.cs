using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>First sight, the finalizer before the first create, the create itself, CREATING → ACTIVE and Ready.</summary>
public sealed class CreateTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task An_object_that_is_not_in_the_cache_is_done_with_nothing_called()
    {
        var result = await _h.ReconcileAsync<EksCluster>("missing");

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Empty(_h.Eks.Calls);
        Assert.Equal(0, _h.Kube.StatusPatches);
    }

    [Fact]
    public async Task The_first_pass_writes_the_finalizer_before_any_AWS_create_and_ends()
    {
        _h.Apply(Objects.Cluster());

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileOutcome.Done, result.Outcome);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal([OperatorApi.Finalizer], cluster.Metadata.Finalizers);
        // Describe and subnets only: nothing created before the finalizer is stored.
        Assert.Equal(["DescribeCluster c1", "DescribeSubnets"], _h.Eks.Calls);
        Assert.Empty(_h.Iam.Calls);
        // First sight: kstatus sees the object as in progress, not Current.
        Assert.Equal("Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("the operator has seen the EksCluster", cluster.Message());
    }

    [Fact]
    public async Task The_second_pass_creates_the_role_and_the_cluster_and_waits_until_EKS_should_be_done()
    {
        _h.Apply(Objects.Cluster());
        await _h.ReconcileAsync<EksCluster>("c1");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["CreateCluster c1"], _h.Eks.Writes);
        Assert.Equal(["EnsureRole c1-eks-cluster"], _h.Iam.Calls);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("EKS is creating cluster c1", cluster.Message());
        Assert.Equal("CREATING", cluster.Status!.AwsStatus);
        Assert.Equal(FakeIam.Arn("c1-eks-cluster"), cluster.Status.RoleArn);
        Assert.True(cluster.Status.RoleCreated);
        Assert.Equal(FakeEks.ClusterArn("c1"), cluster.Status.Arn);
        Assert.Equal(["subnet-0aaa0001", "subnet-0bbb0002"], cluster.Status.SubnetIds);
        // The create is expected to take 12 minutes: no look before MaxPollInterval (5 min).
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), result);
        var created = Assert.Single(_h.Kube.Events);
        Assert.Equal(new RecordedEvent("EksCluster/c1", EventType.Normal, "Creating", "CreateCluster sent for c1 (version 1.33)"), created);
        // Ownership tags go on with the create.
        Assert.Equal("uid-c1", _h.Eks.Cluster("c1")!.Tags![OwnershipTags.OwnerUid]);
    }

    [Fact]
    public async Task A_role_the_spec_names_is_used_as_is()
    {
        const string role = "arn:aws:iam::111122223333:role/mine";
        _h.Apply(Objects.Cluster().With(c => c.Spec.RoleArn = role));

        await _h.SettleAsync<EksCluster>("c1");

        Assert.Empty(_h.Iam.Calls);
        Assert.Equal(role, _h.Eks.Cluster("c1")!.RoleArn);
        Assert.Equal(role, _h.Get<EksCluster>("c1").Status!.RoleArn);
        Assert.Null(_h.Get<EksCluster>("c1").Status!.RoleCreated);
    }

    [Fact]
    public async Task Creating_stays_in_progress_and_ACTIVE_turns_Ready_once_with_an_event()
    {
        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");
        _h.Time.Advance(TimeSpan.FromMinutes(5));

        var waiting = await _h.ReconcileAsync<EksCluster>("c1");
        // 5 of 12 minutes gone: look again at 12 minutes (plus MinPollInterval), capped at 5 min.
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), waiting);
        Assert.Equal("Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled", _h.Get<EksCluster>("c1").Kstatus());

        _h.Time.Advance(TimeSpan.FromMinutes(5));
        var almost = await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5)), almost);

        _h.Eks.Activate("c1");
        var ready = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=True/Available Reconciling=False/Reconciled Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("Cluster c1 is ACTIVE at 1.33 and matches the spec", cluster.Message());
        Assert.Equal(ReconcileResult.RequeueAfter(_h.Options.ResyncPeriod), ready);
        Assert.Equal("https://c1.eks.example", cluster.Status!.Endpoint);
        Assert.Equal("Q0EtREFUQQ==", cluster.Status.CertificateAuthorityData);
        Assert.Equal("https://oidc.eks.example/id/c1", cluster.Status.OidcIssuer);
        Assert.Equal("vpc-0a1b2c3d", cluster.Status.VpcId);
        Assert.Equal("sg-0cluster0", cluster.Status.ClusterSecurityGroupId);
        Assert.Equal("eks.1", cluster.Status.PlatformVersion);
        Assert.Equal("1.33", cluster.Status.Version);
        Assert.Equal(1, cluster.Status.ObservedGeneration);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Ready" && e.Message == "cluster c1 is ACTIVE and in sync");

        // Already Ready: a later pass writes no second Ready event.
        _h.Time.Advance(_h.Options.ResyncPeriod);
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Single(_h.Kube.Events, e => e.Reason == "Ready");
    }

    [Fact]
    public async Task The_kubeconfig_secret_is_written_once_the_cluster_is_ACTIVE()
    {
        await _h.ActiveClusterAsync();

        var secret = await _h.Kube.GetAsync<k8s.Models.V1Secret>(new ObjectKey(Harness.Ns, "c1-kubeconfig"), CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(secret!.Data["value"]);
        Assert.Contains("server: https://c1.eks.example", text, StringComparison.Ordinal);
        Assert.Contains("args: [eks, get-token, --cluster-name, c1, --region, us-east-1, --output, json]", text, StringComparison.Ordinal);
        Assert.Equal("c1-kubeconfig", _h.Get<EksCluster>("c1").Status!.KubeconfigSecretName);
        Assert.Equal("uid-c1", Assert.Single(secret.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task An_unchanged_object_in_sync_is_not_read_from_AWS_again_before_its_resync()
    {
        await _h.ActiveClusterAsync();
        var calls = _h.Eks.Calls.Count;
        _h.Time.Advance(TimeSpan.FromMinutes(3));

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(calls, _h.Eks.Calls.Count);
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(7)), result);

        // A new generation is looked at at once.
        _h.Edit<EksCluster>("c1", c => c.Spec.Tags = new Dictionary<string, string> { ["team"] = "a" });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.True(_h.Eks.Calls.Count > calls);
    }

    [Theory]
    [InlineData("subnets in one zone", true)]
    [InlineData(null, false)]
    public async Task Subnets_EKS_would_refuse_stall_the_create_until_the_world_changes(string? problem, bool stalled)
    {
        _h.Eks.SubnetProblem = problem;
        _h.Apply(Objects.Cluster());

        var result = await _h.SettleAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        if (stalled)
        {
            Assert.Equal("Ready=False/InvalidSpec Reconciling=False/InvalidSpec Stalled=True/InvalidSpec", cluster.Kstatus());
            Assert.Equal(problem, cluster.Message(ConditionTypes.Stalled));
            Assert.Empty(_h.Eks.Writes);
            Assert.Null(cluster.Metadata.Finalizers);
            Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), result);
            Assert.Single(_h.Kube.Events, e => e.Type == EventType.Warning && e.Reason == ConditionReasons.InvalidSpec && e.Message == problem);
        }
        else
        {
            Assert.Equal(["CreateCluster c1"], _h.Eks.Writes);
        }
    }

    [Fact]
    public async Task A_cluster_for_another_region_is_created_there_and_its_children_follow_it()
    {
        _h.Apply(Objects.Cluster().With(c => c.Spec.Region = "eu-west-1"));
        await _h.SettleAsync<EksCluster>("c1");
        Assert.Equal("eu-west-1", _h.Get<EksCluster>("c1").Status!.Region);
        _h.Eks.Activate("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Apply(Objects.NodeGroup("ng1", "c1"));
        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Contains(_h.Eks.Calls, c => c.StartsWith("CreateCluster", StringComparison.Ordinal));
        Assert.Contains(_h.Eks.Calls, c => c.StartsWith("CreateNodegroup", StringComparison.Ordinal));
        Assert.All(_h.Eks.Targets, t => Assert.Equal("eu-west-1", t.Target?.Region));
        Assert.All(_h.Eks.Targets, t => Assert.Null(t.Target!.Role)); // no AwsIdentity: the operator's own credentials
    }

    [Fact]
    public async Task A_region_aws_does_not_have_is_a_spec_error_with_no_aws_call()
    {
        _h.Apply(Objects.Cluster().With(c => c.Spec.Region = "eu-nowhere-1"));

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Empty(_h.Eks.Calls);
        Assert.Equal("spec.region eu-nowhere-1 is not an AWS region; set spec.region (or the namespace's AwsIdentity spec.region) to one such as us-east-1 or eu-west-1",
            _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
    }

    [Fact]
    public async Task Without_spec_region_a_cluster_is_in_the_operators_region()
    {
        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");

        Assert.Equal(_h.Options.Region, _h.Get<EksCluster>("c1").Status!.Region);
        Assert.NotEmpty(_h.Eks.Targets);
        Assert.All(_h.Eks.Targets, t => Assert.Equal(_h.Options.Region, t.Target?.Region));
    }

    [Fact]
    public async Task The_paused_annotation_stops_everything_but_says_so()
    {
        _h.Apply(Objects.Cluster().With(c => c.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Paused] = "true" }));

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Empty(_h.Eks.Calls);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=Unknown/Paused Reconciling=False/Paused Stalled=-", cluster.Kstatus());

        // Unpaused: the same object goes on.
        _h.Annotate<EksCluster>("c1", Annotations.Paused, "false");
        await _h.SettleAsync<EksCluster>("c1");
        Assert.Equal(["CreateCluster c1"], _h.Eks.Writes);
    }
}
