using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>Details of a pass that its messages, skipping and claims rely on.</summary>
public sealed class PassDetailTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task A_fingerprint_that_comes_back_to_an_old_in_sync_one_is_still_looked_at()
    {
        await _h.ActiveClusterAsync();
        _h.Eks.Change("c1", c => c with { Status = ClusterStatus.Updating });
        _h.Annotate<EksCluster>("c1", "note", "1");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(ConditionReasons.Updating, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Reconciling).Reason);
        _h.Eks.Change("c1", c => c with { Status = ClusterStatus.Active });
        var calls = _h.Eks.Calls.Count;

        _h.Annotate<EksCluster>("c1", "note", null);
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.True(_h.Eks.Calls.Count > calls);
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Theory]
    [InlineData("annotation")]
    [InlineData("label")]
    [InlineData("annotation value")]
    [InlineData("finalizer")]
    public async Task Metadata_changes_are_not_skipped(string change)
    {
        await _h.ActiveClusterAsync(configure: c =>
        {
            c.Metadata.Annotations = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
            c.Metadata.Labels = new Dictionary<string, string> { ["x"] = "1" };
        });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Empty(_h.Eks.Calls); // in sync, unchanged: skipped

        var copy = _h.Get<EksCluster>("c1").DeepCopy();
        switch (change)
        {
            case "annotation": copy.Metadata.Annotations["c"] = "3"; break;
            case "annotation value": copy.Metadata.Annotations["b"] = "1"; copy.Metadata.Annotations["a"] = "2"; break;
            case "label": copy.Metadata.Labels["x"] = "2"; break;
            case "finalizer": copy.Metadata.Finalizers.Add("other/finalizer"); break;
        }

        _h.Kube.Put(copy);
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Contains("DescribeCluster c1", _h.Eks.Calls);
    }

    [Fact]
    public async Task Conditions_that_are_not_the_point_carry_no_message()
    {
        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");
        Assert.Equal("", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
        _h.Eks.Activate("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(("", ""), (_h.Get<EksCluster>("c1").Message(ConditionTypes.Reconciling), _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled)));

        _h.Edit<EksCluster>("c1", c => c.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly);
        _h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Api]);
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(("", ""), (_h.Get<EksCluster>("c1").Message(ConditionTypes.Reconciling), _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled)));
    }

    [Fact]
    public async Task Adopting_a_cluster_with_a_change_pending_tags_it_before_the_change()
    {
        _h.Eks.Seed(new Cluster
        {
            Name = "c1",
            Arn = FakeEks.ClusterArn("c1"),
            Version = "1.33",
            Status = ClusterStatus.Active,
            RoleArn = "arn:aws:iam::111122223333:role/theirs",
            ResourcesVpcConfig = new VpcConfigResponse(),
            Tags = new Dictionary<string, string> { [OwnershipTags.Released] = "2026-01-01T00:00:00Z", [OwnershipTags.OwnerUid] = "uid-old", [OwnershipTags.Namespace] = Harness.Ns, [OwnershipTags.Name] = "c1" },
        });
        _h.Apply(Objects.Cluster().With(c =>
        {
            c.Spec.Logging = [LogType.Api];
            c.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" };
        }));

        await _h.SettleAsync<EksCluster>("c1");

        var arn = FakeEks.ClusterArn("c1");
        Assert.Equal([$"TagResource {arn} app.kubernetes.io/managed-by,eks.operator.dev/name,eks.operator.dev/namespace,eks.operator.dev/owner-uid", $"UntagResource {arn} eks.operator.dev/released", "UpdateClusterConfig c1 spec.logging"], _h.Eks.Writes);
        Assert.Equal("uid-c1", _h.Eks.Cluster("c1")!.Tags![OwnershipTags.OwnerUid]);
        Assert.Equal("arn:aws:iam::111122223333:role/theirs", _h.Get<EksCluster>("c1").Status!.RoleArn);
    }

    [Fact]
    public async Task A_cluster_tagged_with_the_same_name_by_a_live_object_is_not_reclaimable()
    {
        _h.Apply(Objects.NodeGroup("unrelated").With(ng => ng.Metadata.Uid = "uid-live"));
        _h.Eks.Seed(new Cluster
        {
            Name = "c1",
            Arn = FakeEks.ClusterArn("c1"),
            Version = "1.33",
            Status = ClusterStatus.Active,
            Tags = new Dictionary<string, string> { [OwnershipTags.OwnerUid] = "uid-live", [OwnershipTags.Namespace] = Harness.Ns, [OwnershipTags.Name] = "c1" },
        });
        _h.Apply(Objects.Cluster());

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal("EKS cluster c1 belongs to default/c1; choose another spec.name", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
    }

    [Fact]
    public async Task Update_failures_and_health_list_every_item()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Api]);
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(ConditionReasons.Updating, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Reconciling).Reason);
        _h.Eks.CompleteUpdate("upd-0001", UpdateStatus.Failed, new UpdateError { ErrorCode = "A", ErrorMessage = "one" }, new UpdateError { ErrorCode = "B", ErrorMessage = "two" });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("EKS LoggingUpdate Failed: A: one; B: two; fix the cause and change the spec to retry", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));

        _h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Audit]);
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.CompleteUpdate("upd-0002", UpdateStatus.Cancelled);
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("EKS LoggingUpdate Cancelled: ; fix the cause and change the spec to retry", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));

        _h.Eks.Change("c1", c => c with
        {
            Status = ClusterStatus.Failed,
            Health = new Aws.Eks.Health { Issues = [new Aws.Eks.HealthIssue { Code = "X", Message = "x" }, new Aws.Eks.HealthIssue { Code = "Y", Message = "y" }] },
        });
        _h.Edit<EksCluster>("c1", _ => { });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("EKS reports cluster c1 FAILED: X: x; Y: y; fix it in AWS or delete the object to clean up", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
        _h.Eks.Change("c1", c => c with { Health = null });
        _h.Edit<EksCluster>("c1", _ => { });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("EKS reports cluster c1 FAILED: no health issues reported; fix it in AWS or delete the object to clean up", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
    }

    [Fact]
    public async Task Several_unmanaged_children_are_all_named()
    {
        await _h.ActiveClusterAsync();
        _h.Eks.Seed(new Nodegroup { ClusterName = "c1", NodegroupName = "a", NodegroupArn = FakeEks.NodegroupArn("c1", "a"), Version = "1.33", Status = NodegroupStatus.Active });
        _h.Eks.Seed(new Aws.Eks.FargateProfile { ClusterName = "c1", FargateProfileName = "b", FargateProfileArn = FakeEks.ProfileArn("c1", "b"), Status = Aws.Eks.FargateProfileStatus.Active });
        await _h.DeleteAsync<EksCluster>("c1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.StartsWith("cluster c1 still has AWS resources no object manages: nodegroup a, fargate profile b;", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled), StringComparison.Ordinal);
    }
}
