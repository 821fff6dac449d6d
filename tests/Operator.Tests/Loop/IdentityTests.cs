using EksOperator.Aws;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using k8s.Models;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>
/// Which AWS identity and region a pass's calls are made with: the AwsIdentity that selects the object's namespace
/// (by name or by the namespace's labels), exactly one, chains included; conflicts and a required identity refuse
/// before any AWS call; nothing on the object itself can choose another.
/// </summary>
public sealed class IdentityTests
{
    private const string RoleA = "arn:aws:iam::222222222222:role/eks-operator";
    private const string RoleB = "arn:aws:iam::333333333333:role/eks-operator";
    private readonly Harness _h = new();

    private void Identity(string name, string roleArn, Action<AwsIdentitySpec>? configure = null)
    {
        var identity = new AwsIdentity
        {
            Metadata = new V1ObjectMeta { Name = name, Uid = $"uid-{name}", Generation = 1 },
            Spec = new AwsIdentitySpec { RoleArn = roleArn, NamespaceSelector = new NamespaceSelector { MatchNames = [Harness.Ns] } },
        };
        configure?.Invoke(identity.Spec);
        _h.Kube.Put(identity);
    }

    private void Namespace(string name, Dictionary<string, string>? labels = null) =>
        _h.Kube.Put(new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels } });

    [Fact]
    public async Task A_namespace_selected_by_one_identity_acts_as_its_role_in_its_region_and_says_so_in_status()
    {
        Identity("team-a", RoleA, s =>
        {
            s.ExternalId = "ext-123";
            s.Region = "eu-west-1";
        });

        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");

        Assert.Contains(_h.Eks.Calls, c => c.StartsWith("CreateCluster", StringComparison.Ordinal));
        Assert.All(_h.Eks.Targets, t =>
        {
            Assert.Equal("eu-west-1", t.Target!.Region);
            Assert.Equal(new AwsAssumedRole(RoleA, "ext-123"), t.Target.Role);
        });
        var status = _h.Get<EksCluster>("c1").Status!;
        Assert.Equal(new IdentityInUse { Name = "team-a", AccountId = "222222222222" }, status.Identity);
        Assert.Equal("eu-west-1", status.Region);
    }

    [Fact]
    public async Task Namespace_labels_select_too_and_children_use_their_clusters_identity()
    {
        Namespace(Harness.Ns, new Dictionary<string, string> { ["tenant"] = "b" });
        Identity("team-b", RoleB, s => s.NamespaceSelector = new NamespaceSelector { MatchLabels = new Dictionary<string, string> { ["tenant"] = "b" } });
        await _h.ActiveClusterAsync();

        _h.Apply(Objects.NodeGroup("ng1", "c1"));
        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Contains(_h.Eks.Calls, c => c.StartsWith("CreateNodegroup", StringComparison.Ordinal));
        Assert.All(_h.Eks.Targets, t => Assert.Equal(RoleB, t.Target!.Role!.RoleArn));
        Assert.Equal("team-b", _h.Get<ManagedNodeGroup>("ng1").Status!.Identity!.Name);
    }

    [Fact]
    public async Task Two_identities_selecting_the_namespace_stall_naming_both_with_no_aws_call()
    {
        Identity("team-a", RoleA);
        Namespace(Harness.Ns, new Dictionary<string, string> { ["tenant"] = "b" });
        Identity("team-b", RoleB, s => s.NamespaceSelector = new NamespaceSelector { MatchLabels = new Dictionary<string, string> { ["tenant"] = "b" } });

        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");

        Assert.Empty(_h.Eks.Calls);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(ConditionReasons.IdentityConflict, cluster.Reason(ConditionTypes.Stalled));
        Assert.Equal("namespace default is selected by AwsIdentity team-a and team-b; change their namespaceSelectors so that exactly one selects it", cluster.Message(ConditionTypes.Stalled));
    }

    [Fact]
    public async Task With_an_identity_required_an_unmapped_namespace_is_stalled_and_never_uses_the_operators_own()
    {
        var h = new Harness(aws: new AwsOptions { Region = "us-east-1", RequireIdentity = true });
        Identity("elsewhere", RoleA, s => s.NamespaceSelector = new NamespaceSelector { MatchNames = ["other"] });

        h.Apply(Objects.Cluster());
        await h.SettleAsync<EksCluster>("c1");

        Assert.Empty(h.Eks.Calls);
        Assert.Equal(ConditionReasons.IdentityRequired, h.Get<EksCluster>("c1").Reason(ConditionTypes.Stalled));
    }

    [Fact]
    public async Task Without_any_identity_the_operators_own_credentials_are_used()
    {
        Identity("elsewhere", RoleA, s => s.NamespaceSelector = new NamespaceSelector { MatchNames = ["other"] });

        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");

        Assert.NotEmpty(_h.Eks.Targets);
        Assert.All(_h.Eks.Targets, t => Assert.Null(t.Target!.Role));
        Assert.Null(_h.Get<EksCluster>("c1").Status!.Identity);
    }

    [Fact]
    public async Task A_chained_identity_is_assumed_from_its_source_and_a_loop_is_stalled()
    {
        Identity("hub", RoleA, s => s.NamespaceSelector = new NamespaceSelector { MatchNames = ["nowhere"] });
        Identity("spoke", RoleB, s => s.SourceIdentityRef = new IdentityReference { Name = "hub" });

        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");
        Assert.All(_h.Eks.Targets, t => Assert.Equal(new AwsAssumedRole(RoleB, Source: new AwsAssumedRole(RoleA)), t.Target!.Role));

        Identity("hub", RoleA, s =>
        {
            s.NamespaceSelector = new NamespaceSelector { MatchNames = ["nowhere"] };
            s.SourceIdentityRef = new IdentityReference { Name = "spoke" };
        });
        _h.Forget();
        _h.Resync();
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Empty(_h.Eks.Calls);
        Assert.Equal(ConditionReasons.IdentityNotReady, _h.Get<EksCluster>("c1").Reason(ConditionTypes.Stalled));
        Assert.Contains("spoke -> hub -> spoke", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_on_the_object_chooses_an_identity_only_its_namespace_does()
    {
        Identity("team-b", RoleB, s => s.NamespaceSelector = new NamespaceSelector { MatchLabels = new Dictionary<string, string> { ["tenant"] = "b" } });

        // A tenant labels and annotates its own object as if it could pick team-b: it cannot.
        _h.Apply(Objects.Cluster().With(c =>
        {
            c.Metadata.Labels = new Dictionary<string, string> { ["tenant"] = "b" };
            c.Metadata.Annotations = new Dictionary<string, string> { ["eks.operator.dev/identity"] = "team-b" };
        }));
        await _h.SettleAsync<EksCluster>("c1");

        Assert.NotEmpty(_h.Eks.Targets);
        Assert.All(_h.Eks.Targets, t => Assert.Null(t.Target!.Role));
    }

    [Fact]
    public async Task A_clusterRef_cannot_reach_a_cluster_of_another_namespace_and_so_not_its_account()
    {
        // Namespace team-b's cluster lives in account B; a tenant of "default" names it from its own namespace.
        Identity("team-b", RoleB, s => s.NamespaceSelector = new NamespaceSelector { MatchNames = ["team-b"] });
        _h.Kube.Put(Objects.Cluster("c1").With(c =>
        {
            c.Metadata.NamespaceProperty = "team-b";
            c.Metadata.Uid = "uid-team-b-c1";
            c.Metadata.Generation = 1;
        }));

        _h.Apply(Objects.NodeGroup("ng1", "c1"));
        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Empty(_h.Eks.Calls);
        Assert.Equal(ConditionReasons.WaitingForCluster, _h.Get<ManagedNodeGroup>("ng1").Reason(ConditionTypes.Reconciling));
        Assert.Null(_h.Get<ManagedNodeGroup>("ng1").Status!.Identity);
    }

    [Fact]
    public async Task An_edited_identity_brings_an_in_sync_object_back_at_once_with_the_new_role()
    {
        Identity("team-a", RoleA);
        await _h.ActiveClusterAsync();

        _h.Kube.Put(new AwsIdentity
        {
            Metadata = new V1ObjectMeta { Name = "team-a", Uid = "uid-team-a", Generation = 2 },
            Spec = new AwsIdentitySpec { RoleArn = RoleA, ExternalId = "rotated", NamespaceSelector = new NamespaceSelector { MatchNames = [Harness.Ns] } },
        });
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.NotEmpty(_h.Eks.Targets);
        Assert.All(_h.Eks.Targets, t => Assert.Equal("rotated", t.Target!.Role!.ExternalId));
    }

    [Fact]
    public async Task The_operators_own_account_is_shown_when_configured()
    {
        var h = new Harness(aws: new AwsOptions { Region = "us-east-1", AccountId = "111122223333" });
        h.Apply(Objects.Cluster());
        await h.SettleAsync<EksCluster>("c1");

        Assert.Equal(new IdentityInUse { AccountId = "111122223333" }, h.Get<EksCluster>("c1").Status!.Identity);
    }

    [Fact]
    public async Task A_cluster_stays_in_its_region_when_its_identitys_default_region_changes()
    {
        Identity("team-a", RoleA, s => s.Region = "eu-west-1");
        await _h.ActiveClusterAsync();

        Identity("team-a", RoleA, s => s.Region = "ap-south-1");
        _h.Resync();
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.NotEmpty(_h.Eks.Targets);
        Assert.All(_h.Eks.Targets, t => Assert.Equal("eu-west-1", t.Target!.Region));
        Assert.Equal("eu-west-1", _h.Get<EksCluster>("c1").Status!.Region);
    }
}
