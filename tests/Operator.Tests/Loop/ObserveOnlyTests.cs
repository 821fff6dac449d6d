using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>managementPolicy ObserveOnly: read, report drift in status, never write to AWS (not even a finalizer).</summary>
public sealed class ObserveOnlyTests
{
    private readonly Harness _h = new();

    private static EksCluster Observed(Action<EksCluster>? change = null) => Objects.Cluster().With(c =>
    {
        c.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly;
        change?.Invoke(c);
    });

    private void SeedCluster(Dictionary<string, string>? tags = null) => _h.Eks.Seed(new Cluster
    {
        Name = "c1",
        Arn = FakeEks.ClusterArn("c1"),
        Version = "1.32",
        Status = ClusterStatus.Active,
        RoleArn = "arn:aws:iam::111122223333:role/theirs",
        Endpoint = "https://c1.eks.example",
        Logging = new Logging { ClusterLogging = [new LogSetup { Types = ["api"], Enabled = true }] },
        ResourcesVpcConfig = new VpcConfigResponse { EndpointPublicAccess = true, PublicAccessCidrs = ["0.0.0.0/0"] },
        Tags = tags ?? new Dictionary<string, string> { ["team"] = "theirs", ["cost"] = "1" },
    });

    [Fact]
    public async Task A_cluster_that_does_not_exist_is_never_created()
    {
        _h.Apply(Observed());

        var result = await _h.SettleAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("EKS cluster c1 does not exist; managementPolicy ObserveOnly never creates it", cluster.Message(ConditionTypes.Stalled));
        Assert.Equal("Ready=False/AwsError Reconciling=False/AwsError Stalled=True/AwsError", cluster.Kstatus());
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), result);
        Assert.Empty(_h.AllWrites);
        Assert.Empty(_h.Iam.Calls);
        Assert.Null(cluster.Metadata.Finalizers);
        Assert.DoesNotContain("DescribeSubnets", _h.Eks.Calls);
    }

    [Fact]
    public async Task Drift_is_reported_field_by_field_and_nothing_is_changed()
    {
        SeedCluster();
        _h.Apply(Observed(c =>
        {
            c.Spec.Logging = [LogType.Api, LogType.Audit];
            c.Spec.Tags = new Dictionary<string, string> { ["team"] = "ours", ["cost"] = "2" };
        }));

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/Drifted Reconciling=False/Drifted Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("ObserveOnly: AWS differs from the spec in spec.logging, spec.version, spec.tags (see status.drift); nothing is changed", cluster.Message());
        Assert.Equal(
            ["spec.logging [api,audit] [api]", "spec.version 1.33 1.32", "spec.tags [cost,team] (differs)"],
            cluster.Status!.Drift!.Select(d => $"{d.Field} {d.Desired} {d.Actual}"));
        Assert.Empty(_h.AllWrites);
        Assert.Null(cluster.Metadata.Finalizers);
        Assert.Equal(_h.Polling.Resync, result);
        // Observed all the same.
        Assert.Equal("1.32", cluster.Status.Version);
        Assert.Equal(FakeEks.ClusterArn("c1"), cluster.Status.Arn);
        Assert.DoesNotContain(_h.Kube.Events, e => e.Reason is "Ready" or "Adopted");
    }

    [Fact]
    public async Task A_matching_cluster_is_Ready_and_its_own_extra_tags_are_no_drift()
    {
        SeedCluster();
        _h.Apply(Observed(c =>
        {
            c.Spec.Version = "1.32";
            c.Spec.Tags = new Dictionary<string, string> { ["team"] = "theirs" };
        }));

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=True/Available Reconciling=False/Reconciled Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("ObserveOnly: cluster c1 matches the spec", cluster.Message());
        Assert.Null(cluster.Status!.Drift);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Ready" && e.Message == "cluster c1 matches the spec (ObserveOnly)");
        Assert.Empty(_h.AllWrites);
        Assert.Equal(_h.Polling.Resync, result);
    }

    [Fact]
    public async Task A_role_the_spec_names_that_differs_is_reported_as_immutable_drift()
    {
        SeedCluster();
        _h.Apply(Observed(c =>
        {
            c.Spec.Version = "1.32";
            c.Spec.RoleArn = "arn:aws:iam::111122223333:role/mine";
        }));

        await _h.ReconcileAsync<EksCluster>("c1");

        var drift = Assert.Single(_h.Get<EksCluster>("c1").Status!.Drift!);
        Assert.Equal(("spec.roleArn", "arn:aws:iam::111122223333:role/mine", "arn:aws:iam::111122223333:role/theirs"), (drift.Field, drift.Desired, drift.Actual));
    }

    [Fact]
    public async Task A_cluster_another_live_object_owns_is_refused_even_for_observing()
    {
        _h.Apply(Objects.Cluster("other").With(c => c.Spec.Name = "elsewhere"));
        SeedCluster(new Dictionary<string, string> { [OwnershipTags.OwnerUid] = "uid-other", [OwnershipTags.Namespace] = Harness.Ns, [OwnershipTags.Name] = "other" });
        _h.Apply(Observed());

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal("EKS cluster c1 belongs to default/other; choose another spec.name", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
    }

    [Fact]
    public async Task Deleting_an_observed_object_with_the_finalizer_leaves_AWS_alone()
    {
        // Managed first (so it has the finalizer), then switched to ObserveOnly.
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly);
        await _h.DeleteAsync<EksCluster>("c1");
        var writes = _h.AllWrites.Count;

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileResult.Done, result);
        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.Equal(writes, _h.AllWrites.Count);
        Assert.NotNull(_h.Eks.Cluster("c1"));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Retained" && e.Message == "EKS cluster c1 left in place (ObserveOnly)");
    }
}
