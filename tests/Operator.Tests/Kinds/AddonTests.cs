using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>
/// Add-ons through the real intent class (EksAddons) over the API-level fake: version resolution per cluster minor,
/// configuration against the schema and compared as JSON, one followed UpdateAddon at a time, owned Pod Identity
/// roles, preserveOnDelete.
/// </summary>
public sealed class AddonTests
{
    private const string Schema = """
        {"type":"object","additionalProperties":false,"properties":{"env":{"type":"object","additionalProperties":false,
          "properties":{"WARM_ENI_TARGET":{"type":"string"},"WARM_IP_TARGET":{"type":"string"}}}}}
        """;

    private const string EbsPolicy = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";
    private const string EbsAccount = "ebs-csi-controller-sa";
    private const string EbsRole = "c1-aws-ebs-csi-driver-ebs-csi-controller-sa";

    private readonly Harness _h = new();

    public AddonTests()
    {
        _h.Eks.Offer("vpc-cni", "v1.18.0-eksbuild.1", ["1.32"], "1.32");
        _h.Eks.Offer("vpc-cni", "v1.19.0-eksbuild.1", ["1.33"], "1.33");
        _h.Eks.Offer("vpc-cni", "v1.19.2-eksbuild.1", ["1.33", "1.34"], "1.34");
        _h.Eks.Offer("vpc-cni", "v1.19.10-eksbuild.1", ["1.33", "1.34"]);
        foreach (var v in new[] { "v1.19.0-eksbuild.1", "v1.19.2-eksbuild.1", "v1.19.10-eksbuild.1" }) _h.Eks.Configure("vpc-cni", v, Schema);
        _h.Eks.Offer("aws-ebs-csi-driver", "v1.40.0-eksbuild.1", ["1.33"], "1.33");
        _h.Eks.Configure("aws-ebs-csi-driver", "v1.40.0-eksbuild.1", null, EbsAccount);
    }

    private static Addon Addon(string name = "vpc-cni", Action<AddonSpec>? configure = null)
    {
        var addon = new Addon { Metadata = new V1ObjectMeta { Name = name }, Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = "c1" } } };
        configure?.Invoke(addon.Spec);
        return addon;
    }

    private static JsonObject Env(params (string Key, string Value)[] env) =>
        new() { ["env"] = new JsonObject([.. env.Select(e => new KeyValuePair<string, JsonNode?>(e.Key, e.Value))]) };

    private async Task<Addon> ReadyAsync(string name = "vpc-cni", Action<AddonSpec>? configure = null)
    {
        _h.Apply(Addon(name, configure));
        await _h.SettleAsync<Addon>(name);
        _h.Eks.ActivateAddon("c1", name);
        await _h.ReconcileAsync<Addon>(name);
        var addon = _h.Get<Addon>(name);
        Assert.True(addon.Status!.Conditions.IsTrue(ConditionTypes.Ready), addon.Kstatus());
        _h.Forget();
        return addon;
    }

    [Fact]
    public async Task Version_default_is_EKSs_default_for_the_cluster_minor()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Addon());

        await _h.SettleAsync<Addon>("vpc-cni");

        Assert.Equal(["CreateAddon c1/vpc-cni v1.19.0-eksbuild.1"], _h.Eks.Writes);
        var addon = _h.Get<Addon>("vpc-cni");
        Assert.Equal(("default", "v1.19.0-eksbuild.1"), (addon.Status!.ResolvedFrom, addon.Status.TargetVersion));
        Assert.Equal(["v1.19.10-eksbuild.1", "v1.19.2-eksbuild.1", "v1.19.0-eksbuild.1"], addon.Status.CompatibleVersions);
        Assert.Equal("OVERWRITE", _h.Eks.AddonCreates[^1].ResolveConflicts);
        Assert.Equal("uid-vpc-cni", _h.Eks.Addon("c1", "vpc-cni")!.Tags![OwnershipTags.OwnerUid]);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Creating" && e.Message == "CreateAddon sent for vpc-cni on c1 (v1.19.0-eksbuild.1, default)");

        _h.Eks.ActivateAddon("c1", "vpc-cni");
        await _h.ReconcileAsync<Addon>("vpc-cni");
        addon = _h.Get<Addon>("vpc-cni");
        Assert.Equal("Add-on vpc-cni is ACTIVE at v1.19.0-eksbuild.1 and matches the spec", addon.Message());
        Assert.Equal(("v1.19.0-eksbuild.1", "ACTIVE"), (addon.Status!.Version, addon.Status.AwsStatus));
    }

    [Fact]
    public async Task Version_latest_is_the_newest_by_numbers_not_text()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Addon(configure: s => s.Version = "latest"));

        await _h.SettleAsync<Addon>("vpc-cni");

        Assert.Equal(["CreateAddon c1/vpc-cni v1.19.10-eksbuild.1"], _h.Eks.Writes);
        Assert.Equal("latest", _h.Get<Addon>("vpc-cni").Status!.ResolvedFrom);
    }

    [Fact]
    public async Task A_pinned_version_is_used_as_written_and_an_incompatible_one_is_Stalled_naming_the_compatible_ones()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Addon(configure: s => s.Version = "v1.19.2-eksbuild.1"));
        await _h.SettleAsync<Addon>("vpc-cni");
        Assert.Equal(["CreateAddon c1/vpc-cni v1.19.2-eksbuild.1"], _h.Eks.Writes);
        Assert.Equal("pinned", _h.Get<Addon>("vpc-cni").Status!.ResolvedFrom);

        _h.Apply(Addon("old", s => s.Version = "v1.18.0-eksbuild.1").With(a => a.Spec.Name = "vpc-cni"));
        await _h.SettleAsync<Addon>("old");

        var old = _h.Get<Addon>("old");
        Assert.Equal(ConditionReasons.InvalidSpec, old.Condition(ConditionTypes.Stalled).Reason);
        Assert.Equal(
            "spec.version v1.18.0-eksbuild.1 of add-on vpc-cni is not compatible with Kubernetes 1.33; compatible versions: v1.19.10-eksbuild.1, v1.19.2-eksbuild.1, v1.19.0-eksbuild.1 (or use default or latest)",
            old.Message(ConditionTypes.Stalled));
        Assert.Single(_h.Eks.Writes);
        Assert.Null(old.Metadata.Finalizers);
    }

    [Fact]
    public async Task Configuration_values_that_break_the_schema_are_Stalled_with_the_JSON_path_and_nothing_is_created()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Addon(configure: s => s.ConfigurationValues = new JsonObject { ["env"] = new JsonObject { ["WARM_ENI_TARGET"] = 2 } }));

        await _h.SettleAsync<Addon>("vpc-cni");

        var addon = _h.Get<Addon>("vpc-cni");
        Assert.Equal(ConditionReasons.InvalidSpec, addon.Condition(ConditionTypes.Stalled).Reason);
        var message = addon.Message(ConditionTypes.Stalled);
        Assert.StartsWith("spec.configurationValues does not fit the schema of add-on vpc-cni v1.19.0-eksbuild.1: $.env.WARM_ENI_TARGET: ", message, StringComparison.Ordinal);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task Configuration_is_compared_as_JSON_and_resolveConflicts_is_never_drift()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync(configure: s => s.ConfigurationValues = Env(("WARM_ENI_TARGET", "2"), ("WARM_IP_TARGET", "5")));
        Assert.Equal("""{"env":{"WARM_ENI_TARGET":"2","WARM_IP_TARGET":"5"}}""", _h.Eks.AddonCreates[^1].ConfigurationValues);
        _h.Eks.ChangeAddon("c1", "vpc-cni", a => a with { ConfigurationValues = "{ \"env\": { \"WARM_IP_TARGET\": \"5\",\n  \"WARM_ENI_TARGET\": \"2\" } }" });
        _h.Resync();
        await _h.ReconcileAsync<Addon>("vpc-cni");
        _h.Edit<Addon>("vpc-cni", a => a.Spec.ResolveConflicts = AddonResolveConflicts.Preserve);
        await _h.ReconcileAsync<Addon>("vpc-cni");

        Assert.Empty(_h.Eks.Writes);
        Assert.True(_h.Get<Addon>("vpc-cni").Status!.Conditions.IsTrue(ConditionTypes.Ready));

        _h.Edit<Addon>("vpc-cni", a => a.Spec.ConfigurationValues = Env(("WARM_ENI_TARGET", "3")));
        await _h.ReconcileAsync<Addon>("vpc-cni");
        Assert.Equal(["""UpdateAddon c1/vpc-cni configuration={"env":{"WARM_ENI_TARGET":"3"}}"""], _h.Eks.Writes);
        Assert.Equal("PRESERVE", _h.Eks.AddonUpdates[^1].ResolveConflicts); // sent with the write
    }

    [Fact]
    public async Task An_update_is_followed_with_the_add_on_name_and_the_next_change_waits_for_it()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync();
        _h.Edit<Addon>("vpc-cni", a => a.Spec.Version = "latest");

        await _h.ReconcileAsync<Addon>("vpc-cni");
        Assert.Equal(["UpdateAddon c1/vpc-cni version=v1.19.10-eksbuild.1"], _h.Eks.Writes);
        var id = Assert.Single(_h.Eks.PendingUpdates);
        Assert.Equal(id, _h.Get<Addon>("vpc-cni").Status!.ActiveUpdate!.Id);

        _h.Edit<Addon>("vpc-cni", a => a.Spec.ConfigurationValues = Env(("WARM_ENI_TARGET", "3")));
        await _h.ReconcileAsync<Addon>("vpc-cni");
        Assert.Single(_h.Eks.Writes);
        Assert.Contains($"DescribeUpdate {id}", _h.Eks.Calls);
        var addon = _h.Get<Addon>("vpc-cni");
        Assert.Equal(ConditionReasons.Updating, addon.Condition(ConditionTypes.Ready).Reason);
        Assert.Contains($"(EKS update {id} in progress)", addon.Message(), StringComparison.Ordinal);

        _h.Eks.CompleteUpdate(id);
        await _h.ReconcileAsync<Addon>("vpc-cni");
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpdateFinished" && e.Message == $"EKS AddonUpdate {id} succeeded");
        Assert.Equal("""UpdateAddon c1/vpc-cni configuration={"env":{"WARM_ENI_TARGET":"3"}}""", _h.Eks.Writes[^1]);
        Assert.Equal("v1.19.10-eksbuild.1", _h.Eks.Addon("c1", "vpc-cni")!.AddonVersion);
    }

    [Fact]
    public async Task A_new_cluster_minor_moves_a_default_add_on_to_that_minors_default_and_leaves_a_pinned_one()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync();
        _h.Eks.Offer("coredns", "v1.11.4-eksbuild.2", ["1.33", "1.34"], "1.33");
        _h.Eks.Offer("coredns", "v1.12.1-eksbuild.1", ["1.34"], "1.34");
        await ReadyAsync("coredns", s => s.Version = "v1.11.4-eksbuild.2");
        _h.Eks.Change("c1", c => c with { Version = "1.34" });
        _h.SetStatus<EksCluster>("c1", c => c.Status!.Version = "1.34");

        await _h.ReconcileAsync<Addon>("vpc-cni");
        await _h.ReconcileAsync<Addon>("coredns");

        Assert.Equal(["UpdateAddon c1/vpc-cni version=v1.19.2-eksbuild.1"], _h.Eks.Writes);
        Assert.Equal("v1.19.2-eksbuild.1", _h.Get<Addon>("vpc-cni").Status!.TargetVersion);
        Assert.True(_h.Get<Addon>("coredns").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task PreserveOnDelete_deletes_the_add_on_with_preserve()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync(configure: s => s.PreserveOnDelete = true);
        await _h.DeleteAsync<Addon>("vpc-cni");

        await _h.ReconcileAsync<Addon>("vpc-cni");
        Assert.Equal(["DeleteAddon c1/vpc-cni preserve=true"], _h.Eks.Writes);
        await _h.ReconcileAsync<Addon>("vpc-cni");
        Assert.Single(_h.Eks.Writes);
        Assert.True(_h.Exists<Addon>("vpc-cni"));

        _h.Eks.FinishDeletingAddon("c1", "vpc-cni");
        await _h.ReconcileAsync<Addon>("vpc-cni");
        Assert.False(_h.Exists<Addon>("vpc-cni"));
    }

    [Fact]
    public async Task An_owned_Pod_Identity_role_is_created_before_the_add_on_and_deleted_after_it()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Addon("aws-ebs-csi-driver", s => s.PodIdentityAssociations = [new AddonPodIdentity { ServiceAccount = EbsAccount, PolicyArns = [EbsPolicy] }]));

        await _h.SettleAsync<Addon>("aws-ebs-csi-driver");

        // The fake EKS refuses a Pod Identity role IAM does not have: the create went through with the role in place.
        Assert.Equal(["CreateAddon c1/aws-ebs-csi-driver v1.40.0-eksbuild.1"], _h.Eks.Writes);
        Assert.Equal([(EbsAccount, FakeIam.Arn(EbsRole))], _h.Eks.AddonCreates[^1].PodIdentityAssociations!.Select(p => (p.ServiceAccount, p.RoleArn)));
        var role = _h.Iam.Specs[EbsRole];
        Assert.Equal(("pods.eks.amazonaws.com", true), (role.TrustedService, role.DetachUnlisted));
        Assert.Equal(["sts:AssumeRole", "sts:TagSession"], role.TrustedActions);
        Assert.Equal([EbsPolicy], role.ManagedPolicyArns);
        var owned = Assert.Single(_h.Eks.Associations("c1"));
        Assert.Equal((EbsAccount, FakeEks.AddonArn("c1", "aws-ebs-csi-driver")), (owned.ServiceAccount, owned.OwnerArn));

        _h.Eks.ActivateAddon("c1", "aws-ebs-csi-driver");
        await _h.ReconcileAsync<Addon>("aws-ebs-csi-driver");
        var addon = _h.Get<Addon>("aws-ebs-csi-driver");
        Assert.True(addon.Status!.Conditions.IsTrue(ConditionTypes.Ready), addon.Kstatus());
        Assert.Equal([owned.AssociationArn!], addon.Status.PodIdentityAssociationArns);
        Assert.Single(_h.Eks.Writes);

        _h.Forget();
        await _h.DeleteAsync<Addon>("aws-ebs-csi-driver");
        await _h.ReconcileAsync<Addon>("aws-ebs-csi-driver");
        Assert.Equal(["DeleteAddon c1/aws-ebs-csi-driver preserve=false"], _h.Eks.Writes);
        Assert.True(_h.Iam.Exists(EbsRole));

        _h.Eks.FinishDeletingAddon("c1", "aws-ebs-csi-driver");
        await _h.ReconcileAsync<Addon>("aws-ebs-csi-driver");
        Assert.False(_h.Exists<Addon>("aws-ebs-csi-driver"));
        Assert.False(_h.Iam.Exists(EbsRole));
        Assert.Contains($"DeleteRole {EbsRole}", _h.Iam.Calls);
        Assert.Empty(_h.Eks.Associations("c1"));
    }

    [Fact]
    public async Task A_lost_record_of_the_sent_Pod_Identity_roles_is_no_reason_for_an_UpdateAddon()
    {
        await _h.ActiveClusterAsync();
        await ReadyAsync("aws-ebs-csi-driver", s => s.PodIdentityAssociations = [new AddonPodIdentity { ServiceAccount = EbsAccount, PolicyArns = [EbsPolicy] }]);

        // The create pass's status write was lost (a crash, a conflict): what was sent is no longer recorded.
        _h.SetStatus<Addon>("aws-ebs-csi-driver", a => a.Status!.PodIdentityRoles = null);
        _h.Resync();
        await _h.ReconcileAsync<Addon>("aws-ebs-csi-driver");

        Assert.Empty(_h.Eks.Writes);
        Assert.True(_h.Get<Addon>("aws-ebs-csi-driver").Status!.Conditions.IsTrue(ConditionTypes.Ready));

        // A real change still goes out: the association removed from the spec.
        _h.Edit<Addon>("aws-ebs-csi-driver", a => a.Spec.PodIdentityAssociations = null);
        await _h.ReconcileAsync<Addon>("aws-ebs-csi-driver");
        Assert.Equal(["UpdateAddon c1/aws-ebs-csi-driver"], _h.Eks.Writes.Select(w => string.Join(' ', w.Split(' ').Take(2))));
    }

    [Fact]
    public async Task A_policy_the_administrators_do_not_allow_is_Stalled_naming_it_before_any_role_or_add_on()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Addon("aws-ebs-csi-driver", s => s.PodIdentityAssociations =
            [new AddonPodIdentity { ServiceAccount = EbsAccount, PolicyArns = [EbsPolicy, "arn:aws:iam::aws:policy/AdministratorAccess"] }]));

        await _h.SettleAsync<Addon>("aws-ebs-csi-driver");

        var addon = _h.Get<Addon>("aws-ebs-csi-driver");
        Assert.Equal(ConditionReasons.InvalidSpec, addon.Condition(ConditionTypes.Stalled).Reason);
        Assert.StartsWith("spec.podIdentityAssociations: arn:aws:iam::aws:policy/AdministratorAccess may not be given", addon.Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        Assert.Empty(_h.Eks.Writes);
        Assert.Empty(_h.Iam.Calls);
    }

    [Fact]
    public async Task A_service_account_the_version_does_not_support_for_Pod_Identity_is_Stalled()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Addon("aws-ebs-csi-driver", s => s.PodIdentityAssociations = [new AddonPodIdentity { ServiceAccount = "other-sa", PolicyArns = [EbsPolicy] }]));

        await _h.SettleAsync<Addon>("aws-ebs-csi-driver");

        var addon = _h.Get<Addon>("aws-ebs-csi-driver");
        Assert.Equal(ConditionReasons.InvalidSpec, addon.Condition(ConditionTypes.Stalled).Reason);
        Assert.Equal(
            $"spec.podIdentityAssociations: service account other-sa is not one add-on aws-ebs-csi-driver v1.40.0-eksbuild.1 supports for Pod Identity ({EbsAccount})",
            addon.Message(ConditionTypes.Stalled));
        Assert.Empty(_h.Eks.Writes);
        Assert.Empty(_h.Iam.Calls);
    }
}
