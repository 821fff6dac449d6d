using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>
/// Pod Identity associations through the real intent class over the API-level fake: a given or an owned role, the
/// allowed policies, changes in place, add-on-owned associations, the agent warning, deletion with the owned role.
/// </summary>
public sealed class PodIdentityAssociationTests
{
    private const string CniPolicy = "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy";
    private const string OwnedRole = "c1-apps-web-pod";

    private readonly Harness _h = new();

    private static PodIdentityAssociation Association(Action<PodIdentityAssociationSpec>? configure = null)
    {
        var pia = new PodIdentityAssociation
        {
            Metadata = new V1ObjectMeta { Name = "pia1" },
            Spec = new PodIdentityAssociationSpec { ClusterRef = new ClusterReference { Name = "c1" }, Namespace = "apps", ServiceAccount = "web" },
        };
        configure?.Invoke(pia.Spec);
        return pia;
    }

    private async Task<PodIdentityAssociation> ReadyAsync(Action<PodIdentityAssociationSpec> configure)
    {
        _h.Apply(Association(configure));
        await _h.SettleAsync<PodIdentityAssociation>("pia1");
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.True(pia.Status!.Conditions.IsTrue(ConditionTypes.Ready), pia.Kstatus());
        _h.Forget();
        return pia;
    }

    [Fact]
    public async Task An_association_is_created_with_the_role_the_spec_names()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("app-role");
        _h.Apply(Association(s => s.RoleArn = FakeIam.Arn("app-role")));

        await _h.SettleAsync<PodIdentityAssociation>("pia1");

        Assert.Equal([$"CreatePodIdentityAssociation c1 apps/web {FakeIam.Arn("app-role")}"], _h.Eks.Writes);
        Assert.Empty(_h.Iam.Calls);
        var aws = _h.Eks.Association("c1", "apps", "web")!;
        Assert.Equal(("uid-pia1", false, (string?)null), (aws.Tags![OwnershipTags.OwnerUid], aws.DisableSessionTags, aws.TargetRoleArn));
        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.Equal((aws.AssociationId, aws.AssociationArn, FakeIam.Arn("app-role")), (pia.Status!.AssociationId, pia.Status.AssociationArn, pia.Status.RoleArn));
        Assert.Null(pia.Status.RoleCreated);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Creating" && e.Message == $"CreatePodIdentityAssociation sent for apps/web on c1 (role {FakeIam.Arn("app-role")})");

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Equal("Pod Identity association for apps/web is ACTIVE and matches the spec", _h.Get<PodIdentityAssociation>("pia1").Message());
        Assert.Single(_h.Eks.Writes);
    }

    [Fact]
    public async Task With_policyArns_an_owned_role_trusted_by_Pod_Identity_is_created_first()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Association(s => s.PolicyArns = [CniPolicy]));

        await _h.SettleAsync<PodIdentityAssociation>("pia1");

        var role = _h.Iam.Specs[OwnedRole];
        Assert.Equal("pods.eks.amazonaws.com", role.TrustedService);
        Assert.Equal(["sts:AssumeRole", "sts:TagSession"], role.TrustedActions);
        Assert.True(role.DetachUnlisted);
        Assert.Equal([CniPolicy], role.ManagedPolicyArns);
        Assert.Equal([$"CreatePodIdentityAssociation c1 apps/web {FakeIam.Arn(OwnedRole)}"], _h.Eks.Writes);
        Assert.Equal("uid-pia1", _h.Iam.Tags(OwnedRole)[OwnershipTags.OwnerUid]);
        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.Equal((FakeIam.Arn(OwnedRole), true), (pia.Status!.RoleArn, pia.Status.RoleCreated));
        Assert.Equal([CniPolicy], pia.Status.RolePolicyArns);

        // In sync: the role is not ensured again on every pass.
        _h.Forget();
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Empty(_h.Iam.Calls);
        Assert.True(_h.Get<PodIdentityAssociation>("pia1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task A_policy_the_administrators_do_not_allow_is_Stalled_naming_it_before_any_call()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Association(s => s.PolicyArns = [CniPolicy, "arn:aws:iam::aws:policy/AdministratorAccess"]));

        await _h.SettleAsync<PodIdentityAssociation>("pia1");

        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.Equal(ConditionReasons.InvalidSpec, pia.Condition(ConditionTypes.Stalled).Reason);
        Assert.StartsWith("spec.policyArns: arn:aws:iam::aws:policy/AdministratorAccess may not be given to a role the operator creates", pia.Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        Assert.Empty(_h.Eks.Calls);
        Assert.Empty(_h.Iam.Calls);
    }

    [Fact]
    public async Task Role_target_role_and_session_tags_change_in_place_in_one_update()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("app-role");
        _h.Iam.Seed("app-role-2");
        var before = await ReadyAsync(s => s.RoleArn = FakeIam.Arn("app-role"));
        const string target = "arn:aws:iam::444455556666:role/data";
        _h.Edit<PodIdentityAssociation>("pia1", p =>
        {
            p.Spec.RoleArn = FakeIam.Arn("app-role-2");
            p.Spec.TargetRoleArn = target;
            p.Spec.DisableSessionTags = true;
        });

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");

        var id = before.Status!.AssociationId;
        Assert.Equal([$"UpdatePodIdentityAssociation c1 {id} roleArn={FakeIam.Arn("app-role-2")} targetRoleArn={target} disableSessionTags=true"], _h.Eks.Writes);
        var aws = _h.Eks.Association("c1", "apps", "web")!;
        Assert.Equal((id, FakeIam.Arn("app-role-2"), target, true), (aws.AssociationId, aws.RoleArn, aws.TargetRoleArn, aws.DisableSessionTags));

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.True(pia.Status!.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Equal($"{FakeEks.Region}/{FakeEks.Account}/c1/apps/web", pia.Status.ExternalId);

        // Removing the target role sends the empty string EKS takes for "none".
        _h.Edit<PodIdentityAssociation>("pia1", p => p.Spec.TargetRoleArn = null);
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Equal($"UpdatePodIdentityAssociation c1 {id} targetRoleArn=\"\"", _h.Eks.Writes[^1]);
        Assert.Null(_h.Eks.Association("c1", "apps", "web")!.TargetRoleArn);
    }

    [Fact]
    public async Task An_association_an_add_on_owns_is_Stalled_AlreadyExists_and_left_alone()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("app-role");
        var addonArn = FakeEks.AddonArn("c1", "aws-ebs-csi-driver");
        _h.Eks.Seed(new EksPodIdentityAssociation
        {
            ClusterName = "c1", Namespace = "apps", ServiceAccount = "web", RoleArn = FakeIam.Arn("app-role"), OwnerArn = addonArn,
        });
        _h.Apply(Association(s => s.RoleArn = FakeIam.Arn("app-role")));

        await _h.SettleAsync<PodIdentityAssociation>("pia1");

        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.Equal(ConditionReasons.AlreadyExists, pia.Condition(ConditionTypes.Stalled).Reason);
        Assert.StartsWith($"the Pod Identity association for apps/web on cluster c1 belongs to add-on {addonArn}", pia.Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        Assert.Empty(_h.Eks.Writes);
        Assert.Null(pia.Metadata.Finalizers);
    }

    [Fact]
    public async Task Without_the_agent_add_on_one_warning_is_recorded_and_the_association_is_Ready()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("app-role");
        _h.Apply(Association(s => s.RoleArn = FakeIam.Arn("app-role")));
        await _h.SettleAsync<PodIdentityAssociation>("pia1");

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        _h.Resync();
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");

        var warning = Assert.Single(_h.Kube.Events, e => e.Reason == "PodIdentityAgentMissing");
        Assert.Equal(EventType.Warning, warning.Type);
        Assert.StartsWith("cluster c1 has no eks-pod-identity-agent add-on: pods of apps/web get no AWS credentials", warning.Message, StringComparison.Ordinal);
        Assert.Equal(2, _h.Eks.Calls.Count(c => c == "DescribeAddon c1/eks-pod-identity-agent"));
        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.True(pia.Status!.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Equal("Missing", pia.Status.PodIdentityAgent);

        _h.Eks.Seed(new EksAddon { ClusterName = "c1", AddonName = "eks-pod-identity-agent", Status = "ACTIVE", AddonArn = FakeEks.AddonArn("c1", "eks-pod-identity-agent") });
        _h.Resync();
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Equal("Installed", _h.Get<PodIdentityAssociation>("pia1").Status!.PodIdentityAgent);
        Assert.Single(_h.Kube.Events, e => e.Reason == "PodIdentityAgentMissing");
    }

    [Fact]
    public async Task Moving_from_roleArn_to_policyArns_creates_the_owned_role_then_points_the_association_at_it()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("app-role");
        var before = await ReadyAsync(s => s.RoleArn = FakeIam.Arn("app-role"));
        _h.Edit<PodIdentityAssociation>("pia1", p =>
        {
            p.Spec.RoleArn = null;
            p.Spec.PolicyArns = [CniPolicy];
        });

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Equal([$"EnsureRole {OwnedRole}"], _h.Iam.Calls);
        Assert.Empty(_h.Eks.Writes);
        Assert.Equal($"Gave the owned role of Pod Identity association for apps/web the policies {CniPolicy}", _h.Get<PodIdentityAssociation>("pia1").Message());

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Equal([$"UpdatePodIdentityAssociation c1 {before.Status!.AssociationId} roleArn={FakeIam.Arn(OwnedRole)}"], _h.Eks.Writes);
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        var pia = _h.Get<PodIdentityAssociation>("pia1");
        Assert.True(pia.Status!.Conditions.IsTrue(ConditionTypes.Ready), pia.Kstatus());
        Assert.Equal((FakeIam.Arn(OwnedRole), true), (pia.Status.RoleArn, pia.Status.RoleCreated));
        Assert.Equal(FakeIam.Arn(OwnedRole), _h.Eks.Association("c1", "apps", "web")!.RoleArn);
    }

    [Fact]
    public async Task Deletion_deletes_the_association_then_the_owned_role()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync(s => s.PolicyArns = [CniPolicy]);
        await _h.DeleteAsync<PodIdentityAssociation>("pia1");

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Equal([$"DeletePodIdentityAssociation c1 {_h.Get<PodIdentityAssociation>("pia1").Status!.AssociationId}"], _h.Eks.Writes);
        Assert.True(_h.Iam.Exists(OwnedRole));
        Assert.Empty(_h.Iam.Calls);

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.False(_h.Exists<PodIdentityAssociation>("pia1"));
        Assert.Empty(_h.Eks.Associations("c1"));
        Assert.Equal([$"DeleteRole {OwnedRole}"], _h.Iam.Calls);
        Assert.False(_h.Iam.Exists(OwnedRole));
    }

    [Fact]
    public async Task Moving_from_policyArns_to_roleArn_keeps_the_owned_role_until_the_object_is_deleted_then_deletes_it()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("app-role");
        var before = await ReadyAsync(s => s.PolicyArns = [CniPolicy]);
        _h.Edit<PodIdentityAssociation>("pia1", p =>
        {
            p.Spec.PolicyArns = null;
            p.Spec.RoleArn = FakeIam.Arn("app-role");
        });

        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Equal([$"UpdatePodIdentityAssociation c1 {before.Status!.AssociationId} roleArn={FakeIam.Arn("app-role")}"], _h.Eks.Writes);
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        var moved = _h.Get<PodIdentityAssociation>("pia1");
        Assert.True(moved.Status!.Conditions.IsTrue(ConditionTypes.Ready), moved.Kstatus());
        Assert.Equal(FakeIam.Arn("app-role"), moved.Status.RoleArn);
        Assert.True(_h.Iam.Exists(OwnedRole));

        _h.Forget();
        await _h.DeleteAsync<PodIdentityAssociation>("pia1");
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        Assert.Empty(_h.Iam.Calls);
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");

        Assert.False(_h.Exists<PodIdentityAssociation>("pia1"));
        Assert.Equal([$"DeleteRole {OwnedRole}"], _h.Iam.Calls);
        Assert.False(_h.Iam.Exists(OwnedRole));
        Assert.True(_h.Iam.Exists("app-role"));
    }

    [Fact]
    public async Task Deleting_an_association_with_a_given_role_leaves_a_role_of_the_owned_name_that_is_not_its_own()
    {
        await _h.ActiveClusterAsync();
        _h.Iam.Seed("app-role");
        _h.Iam.Seed(OwnedRole, new Dictionary<string, string> { [OwnershipTags.OwnerUid] = "uid-someone-else" });
        await ReadyAsync(s => s.RoleArn = FakeIam.Arn("app-role"));

        await _h.DeleteAsync<PodIdentityAssociation>("pia1");
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");
        await _h.ReconcileAsync<PodIdentityAssociation>("pia1");

        Assert.False(_h.Exists<PodIdentityAssociation>("pia1"));
        Assert.True(_h.Iam.Exists(OwnedRole));
        Assert.Equal("uid-someone-else", _h.Iam.Tags(OwnedRole)[OwnershipTags.OwnerUid]);
        Assert.True(_h.Iam.Exists("app-role"));
    }
}
