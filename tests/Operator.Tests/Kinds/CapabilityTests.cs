using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>
/// Capabilities through the real intent class over the API-level fake: the owned or given role, the Argo CD
/// configuration sent and compared (no drift from what EKS fills in, role mappings as sets), changes in place through
/// one CapabilityUpdate followed to its end, the immutable type, deletion with the owned role and before the cluster.
/// </summary>
public sealed class CapabilityTests
{
    private const string OwnedRole = "c1-argocd-capability";
    private const string Idc = "arn:aws:sso:::instance/ssoins-1234567890abcdef";

    private readonly Harness _h = new();

    private static Capability ArgoCd(Action<CapabilitySpec>? configure = null)
    {
        var capability = new Capability
        {
            Metadata = new V1ObjectMeta { Name = "argocd" },
            Spec = new CapabilitySpec
            {
                ClusterRef = new ClusterReference { Name = "c1" },
                Type = CapabilityType.ArgoCd,
                Configuration = new CapabilityConfiguration
                {
                    ArgoCd = new ArgoCdConfiguration
                    {
                        AwsIdc = new ArgoCdAwsIdc { IdcInstanceArn = Idc },
                        RbacRoleMappings = [Mapping(ArgoCdRole.Admin, ("g-admins", SsoIdentityType.Group))],
                    },
                },
            },
        };
        configure?.Invoke(capability.Spec);
        return capability;
    }

    private static ArgoCdRoleMapping Mapping(ArgoCdRole role, params (string Id, SsoIdentityType Type)[] identities) =>
        new() { Role = role, Identities = [.. identities.Select(i => new SsoIdentity { Id = i.Id, Type = i.Type })] };

    private async Task<Capability> ReadyAsync(Action<CapabilitySpec>? configure = null)
    {
        _h.Apply(ArgoCd(configure));
        await _h.SettleAsync<Capability>("argocd");
        _h.Eks.ActivateCapability("c1", "argocd");
        await _h.ReconcileAsync<Capability>("argocd");
        var capability = _h.Get<Capability>("argocd");
        Assert.True(capability.Status!.Conditions.IsTrue(ConditionTypes.Ready), capability.Kstatus());
        _h.Forget();
        return capability;
    }

    [Fact]
    public async Task Without_roleArn_an_owned_role_trusted_by_capabilities_is_created_then_the_capability()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(ArgoCd(s => s.Tags = new Dictionary<string, string> { ["team"] = "platform" }));

        await _h.SettleAsync<Capability>("argocd");

        var role = _h.Iam.Specs[OwnedRole];
        Assert.Equal("capabilities.eks.amazonaws.com", role.TrustedService);
        Assert.Equal(["sts:AssumeRole", "sts:TagSession"], role.TrustedActions);
        Assert.Empty(role.ManagedPolicyArns);
        Assert.False(role.DetachUnlisted); // what ACK may manage is the administrators' to attach
        Assert.Equal([$"CreateCapability c1/argocd ARGOCD {FakeIam.Arn(OwnedRole)}"], _h.Eks.Writes);
        var sent = Assert.Single(_h.Eks.CapabilityCreates);
        Assert.Equal(("RETAIN", "capability-uid-argocd", "platform", "uid-argocd"),
            (sent.DeletePropagationPolicy, sent.ClientRequestToken, sent.Tags!["team"], sent.Tags[OwnershipTags.OwnerUid]));
        Assert.Equal(Idc, sent.Configuration!.ArgoCd!.AwsIdc!.IdcInstanceArn);
        Assert.Null(sent.Configuration.ArgoCd.Namespace); // EKS's to choose
        Assert.Equal("ADMIN", Assert.Single(sent.Configuration.ArgoCd.RbacRoleMappings!).Role);
        var capability = _h.Get<Capability>("argocd");
        Assert.Equal("Ready=False/Creating Reconciling=True/Creating Stalled=False/NotStalled", capability.Kstatus());
        Assert.Equal((FakeIam.Arn(OwnedRole), true, "CREATING"), (capability.Status!.RoleArn, capability.Status.RoleCreated, capability.Status.AwsStatus));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Creating" && e.Message == $"CreateCapability sent for argocd (ARGOCD) on c1 (role {FakeIam.Arn(OwnedRole)})");

        _h.Eks.ActivateCapability("c1", "argocd");
        await _h.ReconcileAsync<Capability>("argocd");
        capability = _h.Get<Capability>("argocd");
        Assert.Equal("Capability argocd is ACTIVE at 3.1.8-eks-1 and matches the spec", capability.Message());
        Assert.Equal(("ARGOCD", "3.1.8-eks-1", "https://argocd.example"), (capability.Status!.Type, capability.Status.Version, capability.Status.ServerUrl));
        Assert.StartsWith("arn:aws:sso::", capability.Status.IdcManagedApplicationArn, StringComparison.Ordinal);
        Assert.Single(_h.Eks.Writes);
    }

    [Fact]
    public async Task A_kro_capability_with_a_given_role_touches_no_IAM_role()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("kro-role");
        _h.Apply(new Capability
        {
            Metadata = new V1ObjectMeta { Name = "kro" },
            Spec = new CapabilitySpec { ClusterRef = new ClusterReference { Name = "c1" }, Type = CapabilityType.Kro, RoleArn = FakeIam.Arn("kro-role") },
        });

        await _h.SettleAsync<Capability>("kro");
        _h.Eks.ActivateCapability("c1", "kro");
        await _h.ReconcileAsync<Capability>("kro");

        Assert.Empty(_h.Iam.Calls);
        Assert.Equal([$"CreateCapability c1/kro KRO {FakeIam.Arn("kro-role")}"], _h.Eks.Writes);
        Assert.Null(Assert.Single(_h.Eks.CapabilityCreates).Configuration);
        var kro = _h.Get<Capability>("kro");
        Assert.True(kro.Status!.Conditions.IsTrue(ConditionTypes.Ready), kro.Kstatus());
        Assert.Null(kro.Status.RoleCreated);
    }

    [Fact]
    public async Task What_EKS_fills_in_and_the_order_of_role_mappings_are_never_drift()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync(s => s.Configuration!.ArgoCd!.RbacRoleMappings =
        [
            Mapping(ArgoCdRole.Viewer, ("u-2", SsoIdentityType.User), ("g-view", SsoIdentityType.Group)),
            Mapping(ArgoCdRole.Admin, ("g-admins", SsoIdentityType.Group)),
        ]);
        // EKS reports the mappings in its own order, identities too, and with a duplicate.
        _h.Eks.ChangeCapability("c1", "argocd", c => c with
        {
            Configuration = c.Configuration! with
            {
                ArgoCd = c.Configuration.ArgoCd! with
                {
                    RbacRoleMappings =
                    [
                        new EksArgoCdRoleMapping("ADMIN", [new EksSsoIdentity("g-admins", "SSO_GROUP"), new EksSsoIdentity("g-admins", "SSO_GROUP")]),
                        new EksArgoCdRoleMapping("VIEWER", [new EksSsoIdentity("g-view", "SSO_GROUP"), new EksSsoIdentity("u-2", "SSO_USER")]),
                    ],
                    NetworkAccess = new EksArgoCdNetworkAccess([]),
                },
            },
        });
        Assert.Equal("argocd", _h.Eks.Capability("c1", "argocd")!.Configuration!.ArgoCd!.Namespace);

        _h.Resync();
        await _h.ReconcileAsync<Capability>("argocd");

        Assert.Empty(_h.Eks.Writes);
        var capability = _h.Get<Capability>("argocd");
        Assert.True(capability.Status!.Conditions.IsTrue(ConditionTypes.Ready), capability.Kstatus());
        Assert.Null(capability.Status.Drift);
    }

    [Fact]
    public async Task Role_mappings_and_network_access_change_in_place_through_one_followed_update()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync();
        _h.Edit<Capability>("argocd", c =>
        {
            c.Spec.Configuration!.ArgoCd!.RbacRoleMappings = [Mapping(ArgoCdRole.Admin, ("g-ops", SsoIdentityType.Group)), Mapping(ArgoCdRole.Viewer, ("u-1", SsoIdentityType.User))];
            c.Spec.Configuration.ArgoCd.NetworkAccess = new ArgoCdNetworkAccess { VpceIds = ["vpce-0123456789abcdef0"] };
        });

        await _h.ReconcileAsync<Capability>("argocd");

        Assert.Equal(["UpdateCapability c1/argocd add=[ADMIN:g-ops;VIEWER:u-1] remove=[ADMIN:g-admins] vpce=[vpce-0123456789abcdef0]"], _h.Eks.Writes);
        Assert.Null(Assert.Single(_h.Eks.CapabilityUpdates).RoleArn);
        var updating = _h.Get<Capability>("argocd");
        Assert.Equal(("CapabilityUpdate", "InProgress"), (updating.Status!.ActiveUpdate!.Type, updating.Status.ActiveUpdate.Status));
        Assert.Equal(["spec.configuration.argoCd.rbacRoleMappings", "spec.configuration.argoCd.networkAccess"], updating.Status.Drift!.Select(d => d.Field));
        Assert.Equal(ConditionReasons.Updating, updating.Condition(ConditionTypes.Reconciling).Reason);

        // While it runs the update is followed by its id under the capability's name, and nothing else is sent.
        await _h.ReconcileAsync<Capability>("argocd");
        Assert.Single(_h.Eks.Writes);
        Assert.Contains(_h.Eks.Calls, c => c.StartsWith("DescribeUpdate ", StringComparison.Ordinal));

        _h.Eks.CompleteAllUpdates();
        await _h.ReconcileAsync<Capability>("argocd");
        await _h.ReconcileAsync<Capability>("argocd");
        var done = _h.Get<Capability>("argocd");
        Assert.True(done.Status!.Conditions.IsTrue(ConditionTypes.Ready), done.Kstatus());
        Assert.Null(done.Status.ActiveUpdate);
        Assert.Equal(["ADMIN", "VIEWER"], _h.Eks.Capability("c1", "argocd")!.Configuration!.ArgoCd!.RbacRoleMappings!.Select(m => m.Role).Order(StringComparer.Ordinal));
        Assert.Single(_h.Eks.Writes);
    }

    [Fact]
    public async Task Clearing_network_access_sends_an_empty_list_and_a_new_role_is_sent_as_roleArn()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("argocd-2");
        await ReadyAsync(s => s.Configuration!.ArgoCd!.NetworkAccess = new ArgoCdNetworkAccess { VpceIds = ["vpce-0123456789abcdef0"] });
        _h.Edit<Capability>("argocd", c =>
        {
            c.Spec.Configuration!.ArgoCd!.NetworkAccess = null;
            c.Spec.RoleArn = FakeIam.Arn("argocd-2");
        });

        await _h.ReconcileAsync<Capability>("argocd");

        var body = Assert.Single(_h.Eks.CapabilityUpdates);
        Assert.Equal(FakeIam.Arn("argocd-2"), body.RoleArn);
        Assert.Equal([], body.Configuration!.ArgoCd!.NetworkAccess!.VpceIds!);
        Assert.Null(body.Configuration.ArgoCd.RbacRoleMappings);
    }

    [Fact]
    public async Task A_capability_of_another_type_is_Stalled_naming_spec_type_and_never_changed()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("ack-role");
        _h.Eks.Seed(new EksCapability
        {
            CapabilityName = "argocd",
            ClusterName = "c1",
            Arn = FakeEks.CapabilityArn("c1", "ACK", "argocd"),
            Type = "ACK",
            RoleArn = FakeIam.Arn("ack-role"),
            Status = "ACTIVE",
            Tags = new Dictionary<string, string> { [OwnershipTags.OwnerUid] = "uid-argocd", [OwnershipTags.ManagedBy] = OwnershipTags.ManagedByValue },
        });
        _h.Apply(ArgoCd(s => s.RoleArn = FakeIam.Arn("ack-role")));

        await _h.SettleAsync<Capability>("argocd");

        var capability = _h.Get<Capability>("argocd");
        Assert.Equal(ConditionReasons.InvalidSpec, capability.Condition(ConditionTypes.Stalled).Reason);
        Assert.StartsWith("spec.type is ARGOCD but capability argocd has ACK", capability.Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        Assert.Contains("delete the capability and create it again", capability.Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task ObserveOnly_reports_a_different_Identity_Center_instance_as_drift()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync();
        _h.Edit<Capability>("argocd", c => c.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly);
        _h.Eks.ChangeCapability("c1", "argocd", c => c with
        {
            Configuration = c.Configuration! with { ArgoCd = c.Configuration.ArgoCd! with { AwsIdc = c.Configuration.ArgoCd.AwsIdc! with { IdcInstanceArn = "arn:aws:sso:::instance/ssoins-other" } } },
        });

        await _h.ReconcileAsync<Capability>("argocd");

        var drift = Assert.Single(_h.Get<Capability>("argocd").Status!.Drift!);
        Assert.Equal(("spec.configuration.argoCd.awsIdc.idcInstanceArn", Idc, "arn:aws:sso:::instance/ssoins-other"), (drift.Field, drift.Desired, drift.Actual));
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task Deleting_the_cluster_deletes_the_capability_first_then_its_owned_role_then_the_cluster()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync();
        await _h.DeleteAsync<EksCluster>("c1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal("deleting the objects on the cluster first: waiting for Capability/argocd", _h.Get<EksCluster>("c1").Message());
        Assert.NotNull(_h.Get<Capability>("argocd").Metadata.DeletionTimestamp);
        Assert.Empty(_h.Eks.Writes);

        await _h.ReconcileAsync<Capability>("argocd");
        Assert.Equal(["DeleteCapability c1/argocd"], _h.Eks.Writes);
        Assert.True(_h.Iam.Exists(OwnedRole));
        Assert.Equal("EKS is deleting capability argocd", _h.Get<Capability>("argocd").Message());

        _h.Eks.FinishDeletingCapability("c1", "argocd");
        await _h.ReconcileAsync<Capability>("argocd");
        Assert.False(_h.Exists<Capability>("argocd"));
        Assert.Contains($"DeleteRole {OwnedRole}", _h.Iam.Calls);
        Assert.False(_h.Iam.Exists(OwnedRole));

        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["DeleteCapability c1/argocd", "DeleteCluster c1"], _h.Eks.Writes);
    }

    [Fact]
    public async Task Naming_a_role_after_the_owned_one_keeps_the_owned_role_until_the_capability_is_deleted_then_deletes_it()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("argocd-2");
        await ReadyAsync();
        _h.Edit<Capability>("argocd", c => c.Spec.RoleArn = FakeIam.Arn("argocd-2"));

        await _h.ReconcileAsync<Capability>("argocd");
        Assert.Equal([$"UpdateCapability c1/argocd role={FakeIam.Arn("argocd-2")}"], _h.Eks.Writes);
        _h.Eks.CompleteAllUpdates();
        await _h.ReconcileAsync<Capability>("argocd");
        await _h.ReconcileAsync<Capability>("argocd");
        var moved = _h.Get<Capability>("argocd");
        Assert.True(moved.Status!.Conditions.IsTrue(ConditionTypes.Ready), moved.Kstatus());
        Assert.Equal(FakeIam.Arn("argocd-2"), _h.Eks.Capability("c1", "argocd")!.RoleArn);
        Assert.True(_h.Iam.Exists(OwnedRole));

        _h.Forget();
        await _h.DeleteAsync<Capability>("argocd");
        await _h.ReconcileAsync<Capability>("argocd");
        Assert.Equal(["DeleteCapability c1/argocd"], _h.Eks.Writes);
        _h.Eks.FinishDeletingCapability("c1", "argocd");
        await _h.ReconcileAsync<Capability>("argocd");

        Assert.False(_h.Exists<Capability>("argocd"));
        Assert.Equal([$"DeleteRole {OwnedRole}"], _h.Iam.Calls);
        Assert.False(_h.Iam.Exists(OwnedRole));
        Assert.True(_h.Iam.Exists("argocd-2"));
    }
}
