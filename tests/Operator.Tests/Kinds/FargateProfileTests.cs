using EksOperator.Aws.Mapping;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using EksFargateStatus = EksOperator.Aws.Eks.FargateProfileStatus;
using FargateProfile = EksOperator.Entities.V1Alpha1.FargateProfile;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>Fargate profiles: immutable in EKS, so drift or a replacement under a new name; one change at a time per cluster.</summary>
public sealed class FargateProfileTests
{
    private readonly Harness _h = new();

    private async Task<FargateProfile> ActiveProfileAsync(string name = "fp1", Action<FargateProfile>? configure = null)
    {
        _h.Apply(Objects.Profile(name).With(p => configure?.Invoke(p)));
        await _h.SettleAsync<FargateProfile>(name);
        _h.Eks.SetProfileStatus("c1", name, EksFargateStatus.Active);
        await _h.ReconcileAsync<FargateProfile>(name);
        _h.Forget();
        return _h.Get<FargateProfile>(name);
    }

    [Fact]
    public async Task A_profile_is_created_under_its_name_with_the_hash_of_what_EKS_cannot_change()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.Profile());

        await _h.SettleAsync<FargateProfile>("fp1");

        Assert.Equal(["CreateFargateProfile c1/fp1"], _h.Eks.Writes);
        var fp = _h.Get<FargateProfile>("fp1");
        var role = FakeIam.Arn("c1-fp1-fargate");
        Assert.Equal(FargateMapping.SpecHash(fp.Spec, role), fp.Status!.SpecHash);
        Assert.Equal("fp1", fp.Status.ProfileName);
        Assert.Equal(role, fp.Status.PodExecutionRoleArn);
        Assert.True(fp.Status.RoleCreated);
        Assert.Equal("uid-fp1", _h.Eks.Profile("c1", "fp1")!.Tags![OwnershipTags.OwnerUid]);
        Assert.Single(_h.Kube.Events, e => e.Reason == "Creating" && e.Message == "CreateFargateProfile sent for fp1 on c1");

        _h.Eks.SetProfileStatus("c1", "fp1", EksFargateStatus.Active);
        await _h.ReconcileAsync<FargateProfile>("fp1");
        Assert.Equal("Fargate profile fp1 is ACTIVE and matches the spec", _h.Get<FargateProfile>("fp1").Message());
    }

    [Fact]
    public async Task Without_Replace_a_changed_spec_is_drift_and_nothing_is_sent()
    {
        await _h.ActiveClusterAsync();
        var before = await ActiveProfileAsync();
        _h.Edit<FargateProfile>("fp1", p => p.Spec.Selectors = [new FargateSelector { Namespace = "other" }]);

        var result = await _h.ReconcileAsync<FargateProfile>("fp1");

        var fp = _h.Get<FargateProfile>("fp1");
        Assert.Equal("Ready=False/Drifted Reconciling=False/Drifted Stalled=False/NotStalled", fp.Kstatus());
        Assert.Equal("Fargate profile fp1 differs from the spec and EKS cannot change it; set spec.updateStrategy: Replace to replace it", fp.Message());
        var drift = Assert.Single(fp.Status!.Drift!);
        Assert.Equal(("spec", before.Status!.SpecHash), (drift.Field, drift.Actual));
        Assert.Equal(FargateMapping.SpecHash(fp.Spec, FakeIam.Arn("c1-fp1-fargate")), drift.Desired);
        Assert.Empty(_h.Eks.Writes);
        Assert.Equal(_h.Polling.Resync, result);
    }

    [Fact]
    public async Task With_Replace_a_successor_is_created_and_the_replaced_profile_deleted_once_it_is_ACTIVE()
    {
        await _h.ActiveClusterAsync();
        var old = await ActiveProfileAsync(configure: p => p.Spec.UpdateStrategy = FargateUpdateStrategy.Replace);
        _h.Edit<FargateProfile>("fp1", p => p.Spec.Selectors = [new FargateSelector { Namespace = "other" }]);
        var hash = FargateMapping.SpecHash(_h.Get<FargateProfile>("fp1").Spec, FakeIam.Arn("c1-fp1-fargate"));
        var successor = $"fp1-{hash}";

        await _h.ReconcileAsync<FargateProfile>("fp1");

        Assert.Equal([$"CreateFargateProfile c1/{successor}"], _h.Eks.Writes);
        var fp = _h.Get<FargateProfile>("fp1");
        Assert.Equal((successor, "fp1", hash), (fp.Status!.ProfileName, fp.Status.ReplacedProfileName, fp.Status.SpecHash));
        Assert.Equal($"replacing Fargate profile fp1 with {successor}", fp.Message());
        Assert.Single(_h.Kube.Events, e => e.Reason == "Replacing" && e.Message == $"creating Fargate profile {successor} to replace fp1");
        Assert.Equal("CREATING", fp.Status.AwsStatus);
        Assert.NotEqual(old.Status!.SpecHash, hash);

        // The successor is CREATING: nothing else yet.
        await _h.ReconcileAsync<FargateProfile>("fp1");
        Assert.Single(_h.Eks.Writes);
        Assert.Equal($"EKS is creating Fargate profile {successor}", _h.Get<FargateProfile>("fp1").Message());

        _h.Eks.SetProfileStatus("c1", successor, EksFargateStatus.Active);
        await _h.ReconcileAsync<FargateProfile>("fp1");
        Assert.Equal("DeleteFargateProfile c1/fp1", _h.Eks.Writes[^1]);
        Assert.Equal("deleting the replaced Fargate profile fp1", _h.Get<FargateProfile>("fp1").Message());
        Assert.Single(_h.Kube.Events, e => e.Reason == "Replacing" && e.Message == "deleting the replaced Fargate profile fp1");

        await _h.ReconcileAsync<FargateProfile>("fp1");
        Assert.Equal(2, _h.Eks.Writes.Count);

        _h.Eks.FinishDeletingProfile("c1", "fp1");
        await _h.ReconcileAsync<FargateProfile>("fp1");
        fp = _h.Get<FargateProfile>("fp1");
        Assert.Null(fp.Status!.ReplacedProfileName);
        Assert.True(fp.Status.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Equal($"Fargate profile {successor} is ACTIVE and matches the spec", fp.Message());
        Assert.Equal([successor], _h.Eks.ProfileNames("c1"));
    }

    [Fact]
    public async Task A_second_profile_waits_while_EKS_creates_the_first_on_the_same_cluster()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.Profile("fp1"));
        await _h.SettleAsync<FargateProfile>("fp1");
        _h.Apply(Objects.Profile("fp2"));

        await _h.SettleAsync<FargateProfile>("fp2");

        var fp2 = _h.Get<FargateProfile>("fp2");
        Assert.Equal("Ready=False/Updating Reconciling=True/Updating Stalled=False/NotStalled", fp2.Kstatus());
        Assert.StartsWith("waiting for AWS: Cannot modify Fargate profiles of c1", fp2.Message(), StringComparison.Ordinal);
        Assert.Null(_h.Eks.Profile("c1", "fp2"));

        _h.Eks.SetProfileStatus("c1", "fp1", EksFargateStatus.Active);
        await _h.ReconcileAsync<FargateProfile>("fp2");
        Assert.NotNull(_h.Eks.Profile("c1", "fp2"));
    }

    [Fact]
    public async Task Deletion_takes_the_replaced_profile_first_then_the_current_one_then_the_role()
    {
        await _h.ActiveClusterAsync();
        await ActiveProfileAsync(configure: p => p.Spec.UpdateStrategy = FargateUpdateStrategy.Replace);
        _h.Edit<FargateProfile>("fp1", p => p.Spec.Selectors = [new FargateSelector { Namespace = "other" }]);
        await _h.ReconcileAsync<FargateProfile>("fp1");
        var successor = _h.Get<FargateProfile>("fp1").Status!.ProfileName!;
        _h.Eks.SetProfileStatus("c1", successor, EksFargateStatus.Active);
        await _h.DeleteAsync<FargateProfile>("fp1");

        await _h.ReconcileAsync<FargateProfile>("fp1");
        Assert.Equal("DeleteFargateProfile c1/fp1", _h.Eks.Writes[^1]);
        _h.Eks.FinishDeletingProfile("c1", "fp1");

        await _h.ReconcileAsync<FargateProfile>("fp1");
        Assert.Equal($"DeleteFargateProfile c1/{successor}", _h.Eks.Writes[^1]);
        Assert.Equal(2, _h.Kube.Events.Count(e => e.Reason == "Deleting" && e.Message.StartsWith("DeleteFargateProfile sent for Fargate profile ", StringComparison.Ordinal)));
        _h.Eks.FinishDeletingProfile("c1", successor);

        await _h.ReconcileAsync<FargateProfile>("fp1");
        Assert.False(_h.Exists<FargateProfile>("fp1"));
        Assert.Contains("DeleteRole c1-fp1-fargate", _h.Iam.Calls);
        Assert.Empty(_h.Eks.ProfileNames("c1"));
    }

    [Fact]
    public async Task An_adopted_profile_gets_the_hash_of_what_EKS_reports()
    {
        await _h.ActiveClusterAsync();
        const string role = "arn:aws:iam::111122223333:role/pods";
        _h.Eks.Seed(new Aws.Eks.FargateProfile
        {
            ClusterName = "c1",
            FargateProfileName = "fp1",
            FargateProfileArn = FakeEks.ProfileArn("c1", "fp1"),
            PodExecutionRoleArn = role,
            Subnets = ["subnet-0aaa0001"],
            Selectors = [new Aws.Eks.FargateProfileSelector { Namespace = "apps" }],
            Status = EksFargateStatus.Active,
        });
        _h.Apply(Objects.Profile().With(p =>
        {
            p.Spec.PodExecutionRoleArn = role;
            p.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" };
        }));

        await _h.SettleAsync<FargateProfile>("fp1");

        var fp = _h.Get<FargateProfile>("fp1");
        Assert.Equal(FargateMapping.SpecHash(fp.Spec, role), fp.Status!.SpecHash);
        Assert.True(fp.Status.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.DoesNotContain(_h.Eks.Writes, w => w.StartsWith("Create", StringComparison.Ordinal));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Adopted" && e.Message == "took over the existing Fargate profile fp1 on cluster c1");
    }
}
