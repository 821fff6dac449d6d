using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>What AWS says about the resource's life, the one update in flight, and one change per pass.</summary>
public sealed class LifecycleAndUpdateTests
{
    private readonly Harness _h = new();

    [Theory]
    [InlineData(ClusterStatus.Failed, "Ready=False/AwsError Reconciling=False/AwsError Stalled=True/AwsError", "EKS reports cluster c1 FAILED: ResourceNotFound: the role is gone; fix it in AWS or delete the object to clean up")]
    [InlineData(ClusterStatus.Deleting, "Ready=False/Deleting Reconciling=True/Deleting Stalled=False/NotStalled", "EKS is deleting cluster c1 (deleted outside the operator?); it will be created again")]
    [InlineData(ClusterStatus.Updating, "Ready=False/Updating Reconciling=True/Updating Stalled=False/NotStalled", "EKS is updating cluster c1")]
    [InlineData(ClusterStatus.Pending, "Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled", "EKS is creating cluster c1")]
    public async Task The_AWS_lifecycle_decides_the_conditions(ClusterStatus status, string kstatus, string message)
    {
        await _h.ActiveClusterAsync();
        _h.Eks.Change("c1", c => c with
        {
            Status = status,
            Health = new Aws.Eks.Health { Issues = [new Aws.Eks.HealthIssue { Code = "ResourceNotFound", Message = "the role is gone", ResourceIds = ["r1"] }] },
        });
        _h.Edit<EksCluster>("c1", c => c.Spec.Tags = new Dictionary<string, string> { ["poke"] = "1" });

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(kstatus, cluster.Kstatus());
        Assert.Equal(message, cluster.Message(kstatus.Contains("Stalled=True", StringComparison.Ordinal) ? ConditionTypes.Stalled : ConditionTypes.Ready));
        Assert.Equal(ClusterMapping(status), cluster.Status!.AwsStatus);
        Assert.Equal("ResourceNotFound", Assert.Single(cluster.Status.Health!.Issues!).Code);
        Assert.DoesNotContain(_h.Eks.Writes, w => w.Contains("poke", StringComparison.Ordinal) || w.StartsWith("Update", StringComparison.Ordinal));
        if (status == ClusterStatus.Failed)
        {
            Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), result);
            Assert.Single(_h.Kube.Events, e => e.Type == EventType.Warning && e.Reason == ConditionReasons.AwsError);
        }
        else
        {
            Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);
            Assert.True(result.Delay < _h.Options.ResyncPeriod);
        }
    }

    private static string ClusterMapping(ClusterStatus status) => Aws.Mapping.ClusterMapping.EnumName(status);

    [Fact]
    public async Task One_change_per_pass_in_order_each_followed_until_EKS_reports_it_done()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c =>
        {
            c.Spec.Logging = [LogType.Api, LogType.Audit];
            c.Spec.Vpc.EndpointPrivateAccess = true;
        });

        var first = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["UpdateClusterConfig c1 spec.logging"], _h.Eks.Writes);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/Updating Reconciling=True/Updating Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("Updating spec.logging from [] to [api,audit] (1 more change(s) after it)", cluster.Message());
        Assert.Equal("upd-0001", cluster.Status!.ActiveUpdate!.Id);
        Assert.Equal("LoggingUpdate", cluster.Status.ActiveUpdate.Type);
        Assert.Equal("UPDATING", cluster.Status.AwsStatus);
        Assert.Equal(["spec.logging", "spec.vpc.endpointAccess"], cluster.Status.Drift!.Select(d => d.Field));
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpdateStarted" && e.Message == "LoggingUpdate: spec.logging [] -> [api,audit]");
        // A cluster config update is expected to take 3 minutes.
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(5)), first);

        // Still running: followed, nothing else sent.
        _h.Time.Advance(TimeSpan.FromMinutes(3));
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Single(_h.Eks.Writes);
        Assert.Equal("Updating spec.logging from [] to [api,audit] (EKS update upd-0001 in progress)", _h.Get<EksCluster>("c1").Message());

        // Done: the next change goes out in the same pass.
        _h.Eks.CompleteUpdate("upd-0001");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("UpdateClusterConfig c1 spec.vpc.endpointAccess", _h.Eks.Writes[1]);
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpdateFinished" && e.Message == "EKS LoggingUpdate upd-0001 succeeded");
        Assert.Equal("EndpointAccessUpdate", _h.Get<EksCluster>("c1").Status!.ActiveUpdate!.Type);

        _h.Eks.CompleteUpdate("upd-0002");
        await _h.ReconcileAsync<EksCluster>("c1");
        cluster = _h.Get<EksCluster>("c1");
        Assert.True(cluster.Status!.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Null(cluster.Status.ActiveUpdate);
        Assert.Null(cluster.Status.Drift);
        Assert.Equal(2, _h.Eks.Writes.Count);
    }

    [Theory]
    [InlineData(UpdateStatus.Failed)]
    [InlineData(UpdateStatus.Cancelled)]
    public async Task A_failed_update_stalls_as_a_spec_error_with_the_reason_and_a_warning(UpdateStatus outcome)
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Api]);
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.CompleteUpdate("upd-0001", outcome, new UpdateError { ErrorCode = "AccessDenied", ErrorMessage = "logs:CreateLogGroup" });

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/AwsError Reconciling=False/AwsError Stalled=True/AwsError", cluster.Kstatus());
        Assert.Equal($"EKS LoggingUpdate {outcome}: AccessDenied: logs:CreateLogGroup; fix the cause and change the spec to retry", cluster.Message(ConditionTypes.Stalled));
        Assert.Null(cluster.Status!.ActiveUpdate);
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.True(result.Reported);
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpdateFailed" && e.Type == EventType.Warning && e.Message == $"EKS LoggingUpdate upd-0001 {outcome}: AccessDenied: logs:CreateLogGroup");
        Assert.Single(_h.Kube.Events, e => e.Reason == ConditionReasons.AwsError && e.Type == EventType.Warning);

        // Terminal: not looked at again until the object changes.
        var calls = _h.Eks.Calls.Count;
        _h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ReconcileResult.Done, await _h.ReconcileAsync<EksCluster>("c1"));
        Assert.Equal(calls, _h.Eks.Calls.Count);

        // A spec change retries, and the stall is cleared.
        _h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Api, LogType.Audit]);
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("UpdateClusterConfig c1 spec.logging", _h.Eks.Writes[^1]);
        Assert.Equal("Ready=False/Updating Reconciling=True/Updating Stalled=False/NotStalled", _h.Get<EksCluster>("c1").Kstatus());
    }

    [Fact]
    public async Task An_update_EKS_no_longer_knows_is_let_go()
    {
        await _h.ActiveClusterAsync();
        _h.SetStatus<EksCluster>("c1", c => c.Status!.ActiveUpdate = new ActiveUpdate { Id = "upd-lost", Type = "LoggingUpdate" });
        _h.Edit<EksCluster>("c1", _ => { });

        await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Null(cluster.Status!.ActiveUpdate);
        Assert.True(cluster.Status.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.DoesNotContain(_h.Kube.Events, e => e.Reason is "UpdateFinished" or "UpdateFailed");
        Assert.Contains("DescribeUpdate upd-lost", _h.Eks.Calls);
    }

    [Fact]
    public async Task Tags_are_brought_to_the_spec_plus_ownership_and_AWS_own_tags_are_left()
    {
        await _h.ActiveClusterAsync();
        _h.Eks.Change("c1", c => c with { Tags = new Dictionary<string, string>(c.Tags!) { ["aws:cloudformation:stack"] = "s", ["stray"] = "1" } });
        _h.Edit<EksCluster>("c1", c => c.Spec.Tags = new Dictionary<string, string> { ["team"] = "a" });

        await _h.ReconcileAsync<EksCluster>("c1");

        var arn = FakeEks.ClusterArn("c1");
        Assert.Equal([$"TagResource {arn} team", $"UntagResource {arn} stray"], _h.Eks.Writes);
        var tags = _h.Eks.Cluster("c1")!.Tags!;
        Assert.Equal("a", tags["team"]);
        Assert.Equal("s", tags["aws:cloudformation:stack"]);
        Assert.Equal("uid-c1", tags[OwnershipTags.OwnerUid]);
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task Encryption_is_added_with_AssociateEncryptionConfig_but_a_different_key_stalls_as_drift()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Encryption = new ClusterEncryption { KmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/k1" });

        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["AssociateEncryptionConfig c1"], _h.Eks.Writes);
        Assert.Equal("Updating spec.encryption.kmsKeyArn from (none) to arn:aws:kms:us-east-1:111122223333:key/k1", _h.Get<EksCluster>("c1").Message());
        _h.Eks.CompleteUpdate("upd-0001");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));

        _h.Edit<EksCluster>("c1", c => c.Spec.Encryption = new ClusterEncryption { KmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/k2" });
        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/Drifted Reconciling=False/Drifted Stalled=True/Drifted", cluster.Kstatus());
        Assert.Equal("EKS cannot change spec.encryption.kmsKeyArn in place (see status.drift); recreate the cluster or restore the previous value", cluster.Message(ConditionTypes.Stalled));
        Assert.Equal("arn:aws:kms:us-east-1:111122223333:key/k1", Assert.Single(cluster.Status!.Drift!).Actual);
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Single(_h.Eks.Writes);
    }

    [Fact]
    public async Task Token_mode_kubeconfigs_are_refreshed_before_the_token_expires()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Token, ArgoCd = true });
        Assert.Equal(1, _h.Tokens.Issued);
        var argo = await _h.Kube.GetAsync<k8s.Models.V1Secret>(new ObjectKey(Harness.Ns, "c1-argocd-cluster"), CancellationToken.None);
        Assert.Equal("cluster", argo!.Metadata.Labels[Labels.ArgoCdSecretType]);
        Assert.Equal("https://c1.eks.example", System.Text.Encoding.UTF8.GetString(argo.Data["server"]));

        // Within the refresh period: the same token, looked at again when it is due.
        _h.Time.Advance(TimeSpan.FromMinutes(4));
        _h.Edit<EksCluster>("c1", _ => { });
        var early = await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(1, _h.Tokens.Issued);
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(6)), early);

        _h.Time.Advance(TimeSpan.FromMinutes(6));
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(2, _h.Tokens.Issued);
        var secret = await _h.Kube.GetAsync<k8s.Models.V1Secret>(new ObjectKey(Harness.Ns, "c1-kubeconfig"), CancellationToken.None);
        Assert.Contains("token: k8s-aws-v1.c1-2", System.Text.Encoding.UTF8.GetString(secret!.Data["value"]), StringComparison.Ordinal);
    }
}
