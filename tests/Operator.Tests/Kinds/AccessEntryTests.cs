using EksOperator.Aws;
using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>
/// Access entries through the real intent class (EksAccessEntries) over the API-level fake: the authentication-mode
/// prerequisite, groups and username, one policy association per pass, ObserveOnly, deletion and Retain.
/// </summary>
public sealed class AccessEntryTests
{
    private const string Principal = "arn:aws:iam::111122223333:role/dev";
    private const string PolicyPrefix = "arn:aws:eks::aws:cluster-access-policy/";

    private readonly Harness _h = new();

    private static AccessEntry Entry(string name = "ae1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new AccessEntrySpec
        {
            ClusterRef = new ClusterReference { Name = "c1" },
            PrincipalArn = Principal,
            KubernetesGroups = ["devs", "viewers"],
            Username = "dev-user",
        },
    };

    private static AccessPolicyAssociation Policy(string policy, params string[] namespaces) => new()
    {
        Policy = policy,
        Scope = namespaces.Length > 0
            ? new AccessScope { Type = AccessScopeType.Namespace, Namespaces = [.. namespaces] }
            : new AccessScope { Type = AccessScopeType.Cluster },
    };

    private Task<EksCluster> ApiClusterAsync(Action<EksCluster>? configure = null) => _h.ActiveClusterAsync(configure: c =>
    {
        c.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ApiAndConfigMap };
        configure?.Invoke(c);
    });

    /// <summary>Applies the entry and passes until it is Ready; forgets the calls of getting there.</summary>
    private async Task<AccessEntry> ReadyEntryAsync(Action<AccessEntry>? configure = null)
    {
        _h.Apply(Entry().With(e => configure?.Invoke(e)));
        for (var i = 0; i < 8 && _h.Get<AccessEntry>("ae1").Status?.Conditions.IsTrue(ConditionTypes.Ready) != true; i++)
        {
            await _h.SettleAsync<AccessEntry>("ae1");
        }

        var ae = _h.Get<AccessEntry>("ae1");
        Assert.True(ae.Status!.Conditions.IsTrue(ConditionTypes.Ready), ae.Kstatus());
        _h.Forget();
        return ae;
    }

    [Fact]
    public async Task An_entry_is_created_with_its_groups_username_type_and_ownership_tags()
    {
        await ApiClusterAsync();
        _h.Apply(Entry().With(e => e.Spec.Tags = new Dictionary<string, string> { ["team"] = "web" }));

        await _h.SettleAsync<AccessEntry>("ae1");

        Assert.Equal([$"CreateAccessEntry c1 {Principal} STANDARD groups=[devs,viewers] username=dev-user"], _h.Eks.Writes);
        var aws = _h.Eks.Entry("c1", Principal)!;
        Assert.Equal("STANDARD", aws.Type);
        Assert.Equal(("uid-ae1", "default", "ae1", "web"), (aws.Tags![OwnershipTags.OwnerUid], aws.Tags[OwnershipTags.Namespace], aws.Tags[OwnershipTags.Name], aws.Tags["team"]));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Creating" && e.Message == $"CreateAccessEntry sent for {Principal} on c1 (STANDARD)");
        Assert.Contains(OperatorApi.Finalizer, _h.Get<AccessEntry>("ae1").Metadata.Finalizers);

        var result = await _h.ReconcileAsync<AccessEntry>("ae1");

        var ae = _h.Get<AccessEntry>("ae1");
        Assert.Equal("Ready=True/Available Reconciling=False/Reconciled Stalled=False/NotStalled", ae.Kstatus());
        Assert.Equal($"Access entry for {Principal} is ACTIVE and matches the spec", ae.Message());
        Assert.Equal(FakeEks.AccessEntryArn("c1", Principal), ae.Status!.AccessEntryArn);
        Assert.Equal(("dev-user", "c1"), (ae.Status.Username, ae.Status.ClusterName));
        Assert.Equal(["devs", "viewers"], ae.Status.KubernetesGroups);
        Assert.Null(ae.Status.AccessPolicies);
        Assert.Single(_h.Eks.Writes); // in sync: nothing more sent
        Assert.Equal(_h.Polling.Resync, result);
    }

    [Fact]
    public async Task On_a_CONFIG_MAP_cluster_the_entry_is_Stalled_naming_the_field_and_nothing_is_called()
    {
        await _h.ActiveClusterAsync(); // no spec.access: EKS's CONFIG_MAP
        _h.Apply(Entry());

        var result = await _h.SettleAsync<AccessEntry>("ae1");

        var ae = _h.Get<AccessEntry>("ae1");
        Assert.Equal(ConditionReasons.InvalidSpec, ae.Condition(ConditionTypes.Stalled).Reason);
        Assert.True(ae.Status!.Conditions.IsTrue(ConditionTypes.Stalled));
        Assert.Equal(
            "EksCluster c1 uses authentication mode CONFIG_MAP, where EKS refuses access entries: set its spec.access.authenticationMode to API_AND_CONFIG_MAP (or API)",
            ae.Message(ConditionTypes.Stalled));
        Assert.Empty(_h.Eks.Calls);
        Assert.Null(ae.Metadata.Finalizers);
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
    }

    [Fact]
    public async Task While_the_cluster_moves_to_API_AND_CONFIG_MAP_the_entry_waits_then_is_created()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ConfigMap });
        _h.Edit<EksCluster>("c1", c => c.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ApiAndConfigMap });
        _h.Apply(Entry());

        await _h.SettleAsync<AccessEntry>("ae1");

        var ae = _h.Get<AccessEntry>("ae1");
        Assert.Equal("Ready=False/WaitingForCluster Reconciling=True/WaitingForCluster Stalled=False/NotStalled", ae.Kstatus());
        Assert.Equal("waiting for EksCluster c1 to move to authentication mode API_AND_CONFIG_MAP (EKS reports CONFIG_MAP)", ae.Message());
        Assert.Empty(_h.Eks.Calls);

        // The cluster makes the change; once EKS reports the new mode, the entry is created.
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.CompleteAllUpdates();
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("API_AND_CONFIG_MAP", _h.Get<EksCluster>("c1").Status!.AuthenticationMode);

        await _h.SettleAsync<AccessEntry>("ae1");
        Assert.NotNull(_h.Eks.Entry("c1", Principal));
        Assert.Contains(_h.Eks.Writes, w => w.StartsWith("CreateAccessEntry c1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Policies_converge_one_call_per_pass_with_short_names_completed()
    {
        await ApiClusterAsync();
        _h.Apply(Entry().With(e => e.Spec.AccessPolicies =
        [
            Policy("AmazonEKSViewPolicy", "b", "a"),
            Policy(PolicyPrefix + "AmazonEKSEditPolicy"),
        ]));
        await _h.SettleAsync<AccessEntry>("ae1");
        _h.Forget();

        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Equal([$"AssociateAccessPolicy c1 {Principal} {PolicyPrefix}AmazonEKSViewPolicy namespace[a,b]"], _h.Eks.Writes);
        var ae = _h.Get<AccessEntry>("ae1");
        Assert.Equal(ConditionReasons.Updating, ae.Condition(ConditionTypes.Ready).Reason);
        Assert.Equal(
            "Updated access entry for " + Principal + ": spec.accessPolicies[AmazonEKSViewPolicy] (not associated) -> namespace[a,b] (1 more change(s) after it)",
            ae.Message());
        var left = Assert.Single(ae.Status!.Drift!);
        Assert.Equal(($"spec.accessPolicies[{PolicyPrefix}AmazonEKSEditPolicy]", "cluster", "(not associated)"), (left.Field, left.Desired, left.Actual));

        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Equal($"AssociateAccessPolicy c1 {Principal} {PolicyPrefix}AmazonEKSEditPolicy cluster", _h.Eks.Writes[^1]);
        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Equal(2, _h.Eks.Writes.Count);
        ae = _h.Get<AccessEntry>("ae1");
        Assert.True(ae.Status!.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Null(ae.Status.Drift);
        Assert.Equal(
            [(PolicyPrefix + "AmazonEKSEditPolicy", "cluster", (string?)null), (PolicyPrefix + "AmazonEKSViewPolicy", "namespace", "a,b")],
            ae.Status.AccessPolicies!.Select(p => (p.PolicyArn, p.ScopeType, p.Namespaces is { } ns ? string.Join(",", ns) : null)));
    }

    [Fact]
    public async Task A_changed_scope_is_associated_again_and_policies_the_spec_lacks_are_disassociated()
    {
        await ApiClusterAsync();
        await ReadyEntryAsync(e => e.Spec.AccessPolicies = [Policy("AmazonEKSViewPolicy", "a"), Policy("AmazonEKSEditPolicy")]);
        _h.Eks.SeedPolicy("c1", Principal, PolicyPrefix + "AmazonEKSAdminPolicy", new EksAccessScope { Type = "cluster" });
        _h.Edit<AccessEntry>("ae1", e => e.Spec.AccessPolicies = [Policy("AmazonEKSViewPolicy", "a", "c")]);

        await _h.ReconcileAsync<AccessEntry>("ae1");
        await _h.ReconcileAsync<AccessEntry>("ae1");
        await _h.ReconcileAsync<AccessEntry>("ae1");
        await _h.ReconcileAsync<AccessEntry>("ae1");

        Assert.Equal(
        [
            $"AssociateAccessPolicy c1 {Principal} {PolicyPrefix}AmazonEKSViewPolicy namespace[a,c]",
            $"DisassociateAccessPolicy c1 {Principal} {PolicyPrefix}AmazonEKSAdminPolicy",
            $"DisassociateAccessPolicy c1 {Principal} {PolicyPrefix}AmazonEKSEditPolicy",
        ], _h.Eks.Writes);
        Assert.Equal([$"{PolicyPrefix}AmazonEKSViewPolicy namespace[a,c]"], _h.Eks.EntryPolicies("c1", Principal));
        Assert.True(_h.Get<AccessEntry>("ae1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task Groups_are_compared_as_sets_and_a_real_difference_sends_the_whole_list()
    {
        await ApiClusterAsync();
        await ReadyEntryAsync();
        _h.Eks.ChangeEntry("c1", Principal, e => e with { KubernetesGroups = ["viewers", "devs"] });
        _h.Resync();

        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Empty(_h.Eks.Writes);
        Assert.True(_h.Get<AccessEntry>("ae1").Status!.Conditions.IsTrue(ConditionTypes.Ready));

        _h.Eks.ChangeEntry("c1", Principal, e => e with { KubernetesGroups = ["devs"] });
        _h.Resync();
        await _h.ReconcileAsync<AccessEntry>("ae1");

        Assert.Equal([$"UpdateAccessEntry c1 {Principal} groups=[devs,viewers] username=-"], _h.Eks.Writes);
        Assert.Equal("Updated access entry for " + Principal + ": spec.kubernetesGroups [devs] -> [devs,viewers]", _h.Get<AccessEntry>("ae1").Message());
        Assert.Single(_h.Kube.Events, e => e.Reason == "Updated" && e.Message == "spec.kubernetesGroups [devs] -> [devs,viewers]");
        Assert.Equal(["devs", "viewers"], _h.Eks.Entry("c1", Principal)!.KubernetesGroups!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unset_username_is_EKSs_to_choose_and_never_drift_but_a_set_one_is_corrected()
    {
        await ApiClusterAsync();
        await ReadyEntryAsync(e => e.Spec.Username = null);
        var chosen = _h.Eks.Entry("c1", Principal)!.Username;
        Assert.Equal($"{Principal}/{{{{SessionName}}}}", chosen);
        _h.Eks.ChangeEntry("c1", Principal, e => e with { Username = "someone-else" });
        _h.Resync();

        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Empty(_h.Eks.Writes);
        Assert.Equal("someone-else", _h.Get<AccessEntry>("ae1").Status!.Username);

        _h.Edit<AccessEntry>("ae1", e => e.Spec.Username = "dev-user");
        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Equal([$"UpdateAccessEntry c1 {Principal} groups=- username=dev-user"], _h.Eks.Writes);
    }

    [Fact]
    public async Task A_node_entry_gets_its_groups_from_EKS_and_they_are_not_compared()
    {
        await ApiClusterAsync();
        const string nodeRole = "arn:aws:iam::111122223333:role/self-managed-nodes";
        await ReadyEntryAsync(e =>
        {
            e.Spec.PrincipalArn = nodeRole;
            e.Spec.Type = AccessEntryType.Ec2Linux;
            e.Spec.KubernetesGroups = null;
            e.Spec.Username = null;
        });

        var aws = _h.Eks.Entry("c1", nodeRole)!;
        Assert.Equal(("EC2_LINUX", "system:nodes"), (aws.Type, string.Join(",", aws.KubernetesGroups!)));
        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Empty(_h.Eks.Writes);
        Assert.Equal($"Access entry for {nodeRole} is ACTIVE and matches the spec", _h.Get<AccessEntry>("ae1").Message());
    }

    [Fact]
    public async Task ObserveOnly_reports_groups_username_and_policies_as_drift_and_calls_nothing()
    {
        await ApiClusterAsync();
        _h.Eks.Seed(new EksAccessEntry
        {
            ClusterName = "c1",
            PrincipalArn = Principal,
            AccessEntryArn = FakeEks.AccessEntryArn("c1", Principal),
            Type = "STANDARD",
            KubernetesGroups = ["devs"],
            Username = "legacy",
        });
        _h.Eks.SeedPolicy("c1", Principal, PolicyPrefix + "AmazonEKSAdminPolicy", new EksAccessScope { Type = "cluster" });
        _h.Apply(Entry().With(e =>
        {
            e.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly;
            e.Spec.AccessPolicies = [Policy("AmazonEKSViewPolicy")];
        }));

        var result = await _h.SettleAsync<AccessEntry>("ae1");

        var ae = _h.Get<AccessEntry>("ae1");
        Assert.Equal("Ready=False/Drifted Reconciling=False/Drifted Stalled=False/NotStalled", ae.Kstatus());
        Assert.Equal(
            [
                ("spec.kubernetesGroups", "[devs,viewers]", "[devs]"),
                ("spec.username", "dev-user", "legacy"),
                ("spec.accessPolicies[AmazonEKSViewPolicy]", "cluster", "(not associated)"),
                ($"spec.accessPolicies[{PolicyPrefix}AmazonEKSAdminPolicy]", "(not associated)", "cluster"),
            ],
            ae.Status!.Drift!.Select(d => (d.Field, d.Desired, d.Actual)));
        Assert.Empty(_h.Eks.Writes);
        Assert.Null(ae.Metadata.Finalizers);
        Assert.Equal(_h.Polling.Resync, result);
    }

    [Fact]
    public async Task Deleting_the_object_deletes_the_entry_then_removes_the_finalizer()
    {
        await ApiClusterAsync();
        await ReadyEntryAsync(e => e.Spec.AccessPolicies = [Policy("AmazonEKSViewPolicy")]);
        await _h.DeleteAsync<AccessEntry>("ae1");

        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.Equal([$"DeleteAccessEntry c1 {Principal}"], _h.Eks.Writes);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Deleting" && e.Message == $"DeleteAccessEntry sent for access entry for {Principal}");
        Assert.True(_h.Exists<AccessEntry>("ae1"));

        await _h.ReconcileAsync<AccessEntry>("ae1");
        Assert.False(_h.Exists<AccessEntry>("ae1"));
        Assert.Null(_h.Eks.Entry("c1", Principal));
        Assert.Empty(_h.Eks.EntryPolicies("c1", Principal));
        Assert.Single(_h.Eks.Writes);
    }

    [Fact]
    public async Task A_delete_EKS_answers_NotFound_for_is_taken_as_gone()
    {
        await ApiClusterAsync();
        await ReadyEntryAsync();
        await _h.DeleteAsync<AccessEntry>("ae1");
        _h.Eks.Fail("DeleteAccessEntry", AwsErrorKind.NotFound, "ResourceNotFoundException");

        await _h.ReconcileAsync<AccessEntry>("ae1");

        var ae = _h.Get<AccessEntry>("ae1");
        Assert.Equal(ConditionReasons.Deleting, ae.Condition(ConditionTypes.Ready).Reason);
        Assert.False(ae.Status!.Conditions.IsTrue(ConditionTypes.Stalled));
    }

    [Fact]
    public async Task When_the_cluster_is_retained_the_entry_is_left_in_place_and_released()
    {
        await ApiClusterAsync(c => c.Spec.DeletionPolicy = DeletionPolicy.Retain);
        await ReadyEntryAsync();
        await _h.DeleteAsync<AccessEntry>("ae1");

        await _h.ReconcileAsync<AccessEntry>("ae1");

        Assert.False(_h.Exists<AccessEntry>("ae1"));
        Assert.DoesNotContain(_h.Eks.Calls, c => c.StartsWith("DeleteAccessEntry", StringComparison.Ordinal));
        var aws = _h.Eks.Entry("c1", Principal)!;
        Assert.True(aws.Tags!.ContainsKey(OwnershipTags.Released));
        Assert.Equal("uid-ae1", aws.Tags[OwnershipTags.OwnerUid]);
    }
}
