using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>Whose an existing EKS cluster is: ours, nobody's (adopt), a live object's (refuse), a gone owner's (reclaim).</summary>
public sealed class ClaimTests
{
    private readonly Harness _h = new();

    private void SeedCluster(Dictionary<string, string>? tags, string role = "arn:aws:iam::111122223333:role/c1-eks-cluster") => _h.Eks.Seed(new Cluster
    {
        Name = "c1",
        Arn = FakeEks.ClusterArn("c1"),
        Version = "1.33",
        Status = ClusterStatus.Active,
        RoleArn = role,
        Endpoint = "https://c1.eks.example",
        ResourcesVpcConfig = new VpcConfigResponse { SubnetIds = ["subnet-0aaa0001", "subnet-0bbb0002"], EndpointPublicAccess = true },
        Tags = tags,
    });

    private static Dictionary<string, string> OwnedBy(string uid, string name = "c1", string ns = Harness.Ns) => new()
    {
        [OwnershipTags.OwnerUid] = uid,
        [OwnershipTags.Namespace] = ns,
        [OwnershipTags.Name] = name,
        [OwnershipTags.ManagedBy] = OwnershipTags.ManagedByValue,
    };

    public static TheoryData<string, bool, string> Refusals => new()
    {
        // tags on the existing cluster, the adopt annotation, the Stalled message
        { "none", false, "EKS cluster c1 already exists and is not managed by eks-operator; set the annotation eks.operator.dev/adopt: \"true\" to take it over, or choose another spec.name" },
        { "live-other", false, "EKS cluster c1 belongs to default/other; choose another spec.name" },
        { "live-other", true, "EKS cluster c1 belongs to default/other; choose another spec.name" },
        { "gone-same-name", false, "EKS cluster c1 was left by default/c1, which no longer exists; set the annotation eks.operator.dev/adopt: \"true\" to take it back, or choose another spec.name" },
        { "gone-released", false, "EKS cluster c1 was left by other/old, which no longer exists (released by deletionPolicy Retain); set the annotation eks.operator.dev/adopt: \"true\" to take it back, or choose another spec.name" },
        { "gone-unrelated", true, "EKS cluster c1 belongs to other/old; choose another spec.name" },
    };

    private Dictionary<string, string>? TagsFor(string owner)
    {
        switch (owner)
        {
            case "none":
                return new() { ["team"] = "x" };
            case "live-other":
                _h.Apply(Objects.Cluster("other").With(c => c.Spec.Name = "elsewhere"));
                return OwnedBy("uid-other", "other");
            case "gone-same-name":
                return OwnedBy("uid-old");
            case "gone-released":
                return new(OwnedBy("uid-old", "old", "other")) { [OwnershipTags.Released] = "2026-04-01T00:00:00Z" };
            default:
                return OwnedBy("uid-old", "old", "other");
        }
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_cluster_that_is_not_ours_is_refused_without_a_finalizer_or_a_write(string owner, bool adopt, string message)
    {
        SeedCluster(TagsFor(owner));
        var cluster = Objects.Cluster();
        if (adopt) cluster.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" };
        _h.Apply(cluster);

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var stored = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/AlreadyExists Reconciling=False/AlreadyExists Stalled=True/AlreadyExists", stored.Kstatus());
        Assert.Equal(message, stored.Message(ConditionTypes.Stalled));
        Assert.Null(stored.Metadata.Finalizers);
        Assert.Empty(_h.AllWrites);
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), result);
        Assert.Single(_h.Kube.Events, e => e.Type == EventType.Warning && e.Reason == ConditionReasons.AlreadyExists && e.Message == message);

        // Still stalled on the next pass: no second Warning.
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Single(_h.Kube.Events, e => e.Type == EventType.Warning);
    }

    [Fact]
    public async Task Adopting_an_unowned_cluster_tags_it_for_this_object_after_the_finalizer()
    {
        SeedCluster(new Dictionary<string, string> { ["team"] = "x" });
        _h.Apply(Objects.Cluster().With(c => c.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" }));

        var first = await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(ReconcileResult.Done, first);
        Assert.Equal([OperatorApi.Finalizer], _h.Get<EksCluster>("c1").Metadata.Finalizers);
        Assert.Empty(_h.Eks.Writes);

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal("TagResource " + FakeEks.ClusterArn("c1") + " app.kubernetes.io/managed-by,eks.operator.dev/name,eks.operator.dev/namespace,eks.operator.dev/owner-uid", _h.Eks.Writes[0]);
        Assert.Equal("uid-c1", _h.Eks.Cluster("c1")!.Tags![OwnershipTags.OwnerUid]);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Adopted" && e.Message == "took over the existing EKS cluster c1");
        // The user's spec has no tags: tags sync removes what the adopted cluster had.
        Assert.Contains("UntagResource " + FakeEks.ClusterArn("c1") + " team", _h.Eks.Writes);
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
        // Nothing was created.
        Assert.DoesNotContain(_h.Eks.Writes, w => w.StartsWith("Create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reclaiming_a_released_cluster_drops_the_released_tag_and_takes_the_operator_named_role_back()
    {
        var old = new Dictionary<string, string>(OwnedBy("uid-old", "old", "other")) { [OwnershipTags.Released] = "2026-04-01T00:00:00Z" };
        SeedCluster(old, role: FakeIam.Arn("c1-eks-cluster"));
        _h.Iam.Seed("c1-eks-cluster", old);
        _h.Apply(Objects.Cluster().With(c => c.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" }));

        await _h.SettleAsync<EksCluster>("c1");

        Assert.Contains("UntagResource " + FakeEks.ClusterArn("c1") + " eks.operator.dev/released", _h.Eks.Writes);
        Assert.False(_h.Eks.Cluster("c1")!.Tags!.ContainsKey(OwnershipTags.Released));
        Assert.Contains("ReclaimRole c1-eks-cluster", _h.Iam.Calls);
        Assert.Equal("uid-c1", _h.Iam.Tags("c1-eks-cluster")[OwnershipTags.OwnerUid]);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Adopted" && e.Message == "took back the EKS cluster c1 left by other/old");
    }

    [Fact]
    public async Task A_role_named_in_the_spec_is_not_reclaimed_with_the_cluster()
    {
        var old = OwnedBy("uid-old");
        SeedCluster(old, role: FakeIam.Arn("c1-eks-cluster"));
        _h.Apply(Objects.Cluster().With(c =>
        {
            c.Spec.RoleArn = FakeIam.Arn("c1-eks-cluster");
            c.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" };
        }));

        await _h.SettleAsync<EksCluster>("c1");

        Assert.DoesNotContain(_h.Iam.Calls, c => c.StartsWith("ReclaimRole", StringComparison.Ordinal));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Adopted" && e.Message == "took back the EKS cluster c1 left by default/c1");
    }

    [Fact]
    public async Task A_cluster_already_ours_gets_the_finalizer_back_and_goes_on_without_an_adoption()
    {
        SeedCluster(OwnedBy("uid-c1"));
        _h.Apply(Objects.Cluster());

        var first = await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(ReconcileResult.Done, first);
        Assert.Equal([OperatorApi.Finalizer], _h.Get<EksCluster>("c1").Metadata.Finalizers);

        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Empty(_h.Eks.Writes);
        Assert.DoesNotContain(_h.Kube.Events, e => e.Reason == "Adopted");
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task An_operator_role_that_belongs_to_another_object_stalls_the_create()
    {
        _h.Iam.Seed("c1-eks-cluster", OwnedBy("uid-other", "other"));
        _h.Apply(Objects.Cluster("other").With(c => c.Spec.Name = "elsewhere"));
        _h.Apply(Objects.Cluster());

        await _h.SettleAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/AlreadyExists Reconciling=False/AlreadyExists Stalled=True/AlreadyExists", cluster.Kstatus());
        Assert.Equal("IAM role c1-eks-cluster belongs to default/other", cluster.Message(ConditionTypes.Stalled));
        Assert.Empty(_h.Eks.Writes);
    }
}
