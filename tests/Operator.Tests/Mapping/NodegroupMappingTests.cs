using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;
using EksTaint = EksOperator.Aws.Eks.Taint;
using EksTaintEffect = EksOperator.Aws.Eks.TaintEffect;
using Taint = EksOperator.Entities.V1Alpha1.Taint;
using TaintEffect = EksOperator.Entities.V1Alpha1.TaintEffect;

namespace EksOperator.Operator.Tests.Mapping;

public sealed class NodegroupMappingTests
{
    private static readonly Owner Owner = new("uid-1", "default", "ng1");

    private static ManagedNodeGroupSpec Spec(Action<ManagedNodeGroupSpec>? change = null)
    {
        var spec = new ManagedNodeGroupSpec { ClusterRef = new ClusterReference { Name = "c1" }, Scaling = new NodeGroupScaling { MinSize = 1, MaxSize = 3, DesiredSize = 2 } };
        change?.Invoke(spec);
        return spec;
    }

    private static Nodegroup Observed(Func<Nodegroup, Nodegroup>? change = null)
    {
        var ng = new Nodegroup
        {
            Version = "1.33",
            ReleaseVersion = "1.33.0-1",
            ScalingConfig = new NodegroupScalingConfig { MinSize = 1, MaxSize = 3, DesiredSize = 2 },
        };
        return change is null ? ng : change(ng);
    }

    [Fact]
    public void The_create_request_carries_the_spec_the_owner_and_a_stable_token()
    {
        var spec = Spec(s =>
        {
            s.Scaling.DesiredSize = null;
            s.InstanceTypes = ["m7i.large"];
            s.AmiType = AmiType.Al2023X8664Standard;
            s.CapacityType = CapacityType.Spot;
            s.DiskSize = 40;
            s.RemoteAccess = new RemoteAccess { Ec2SshKey = "key", SourceSecurityGroups = ["sg-1"] };
            s.Labels = new Dictionary<string, string> { ["a"] = "b" };
            s.Taints = [new Taint { Key = "k", Value = "", Effect = TaintEffect.NoExecute }];
            s.Tags = new Dictionary<string, string> { ["team"] = "x" };
            s.UpdateConfig = new NodeGroupUpdateConfig { MaxUnavailablePercentage = 20 };
            s.ReleaseVersion = "1.33.0-2";
            s.LaunchTemplate = new LaunchTemplate { Id = "lt-1", Name = "web", Version = "4" };
        });

        var r = NodegroupMapping.ToCreateRequest("c1", "ng1", spec, ["subnet-1"], "arn:role", "1.33", Owner);

        Assert.Equal(("c1", "ng1", "arn:role", "1.33", "1.33.0-2"), (r.ClusterName, r.NodegroupName, r.NodeRole, r.Version, r.ReleaseVersion));
        Assert.Equal((1, 3, 1), (r.ScalingConfig!.MinSize, r.ScalingConfig.MaxSize, r.ScalingConfig.DesiredSize)); // desired defaults to min
        Assert.Equal(["m7i.large"], r.InstanceTypes);
        Assert.Equal(("AL2023_x86_64_STANDARD", "SPOT", 40), (r.AmiType, r.CapacityType, r.DiskSize));
        Assert.Equal(("key", "sg-1"), (r.RemoteAccess!.Ec2SshKey, r.RemoteAccess.SourceSecurityGroups!.Single()));
        Assert.Equal("b", r.Labels!["a"]);
        Assert.Equal(new EksTaint { Key = "k", Value = null, Effect = EksTaintEffect.NoExecute }, Assert.Single(r.Taints!));
        Assert.Equal("x", r.Tags!["team"]);
        Assert.Equal("uid-1", r.Tags![Entities.OwnershipTags.OwnerUid]);
        Assert.Equal("nodegroup-uid-1", r.ClientRequestToken);
        Assert.Equal(20, r.UpdateConfig!.MaxUnavailablePercentage);
        Assert.Equal(["subnet-1"], r.Subnets);
        Assert.Equal(("lt-1", "web", "4"), (r.LaunchTemplate!.Id, r.LaunchTemplate.Name, r.LaunchTemplate.Version));
    }

    [Fact]
    public void A_minimal_spec_leaves_the_optional_parts_to_EKS()
    {
        var r = NodegroupMapping.ToCreateRequest("c1", "ng1", Spec(s => s.Labels = new Dictionary<string, string>()), ["subnet-1"], "arn:role", null, Owner);

        Assert.Null(r.Labels);
        Assert.Null(r.Taints);
        Assert.Null(r.AmiType);
        Assert.Null(r.CapacityType);
        Assert.Null(r.RemoteAccess);
        Assert.Null(r.LaunchTemplate);
        Assert.Null(r.UpdateConfig);
        Assert.Null(r.Version);
        Assert.Equal(2, r.ScalingConfig!.DesiredSize);
    }

    public static TheoryData<string, string?> VersionCases => new()
    {
        // case, expected "field desired actual" (null: no change)
        { "in sync", null },
        { "newer minor", "spec.version 1.34 1.33" },
        { "older target", null },
        { "release", "spec.releaseVersion 1.33.0-2 1.33.0-1" },
        { "launch template", "spec.launchTemplate.version 7 3" },
        { "minor before release", "spec.version 1.34 1.33" },
    };

    [Theory]
    [MemberData(nameof(VersionCases))]
    public void Version_changes_one_kind_per_call_minor_first(string @case, string? expected)
    {
        var spec = Spec();
        string? target = "1.33";
        var observed = Observed();
        switch (@case)
        {
            case "newer minor":
                target = "1.34";
                break;
            case "older target":
                target = "1.32";
                break;
            case "release":
                spec.ReleaseVersion = "1.33.0-2";
                break;
            case "launch template":
                spec.LaunchTemplate = new LaunchTemplate { Id = "lt-1", Version = "7" };
                observed = observed with { LaunchTemplate = new LaunchTemplateSpecification { Id = "lt-1", Version = "3" } };
                break;
            case "minor before release":
                target = "1.34";
                spec.ReleaseVersion = "1.33.0-2";
                break;
        }

        var (request, drift) = NodegroupMapping.VersionChange("c1", "ng1", spec, target, observed);

        Assert.Equal(expected, drift is null ? null : $"{drift.Field} {drift.Desired} {drift.Actual}");
        Assert.Equal(expected is null, request is null);
        if (request is null) return;
        Assert.Equal(("c1", "ng1"), (request.ClusterName, request.NodegroupName));
        Assert.Equal(@case is "newer minor" or "minor before release" ? "1.34" : null, request.Version);
        Assert.Equal(@case == "release" ? "1.33.0-2" : null, request.ReleaseVersion);
        Assert.Equal(@case == "launch template" ? "7" : null, request.LaunchTemplate?.Version);
        Assert.Equal(@case == "launch template" ? "lt-1" : null, request.LaunchTemplate?.Id);
    }

    [Fact]
    public void No_target_version_and_no_release_is_no_version_change()
    {
        Assert.Null(NodegroupMapping.VersionChange("c1", "ng1", Spec(), null, Observed(n => n with { Version = "1.30" })).Request);
    }

    public static TheoryData<string, int?, int?, int?, string, int?> ScalingCases => new()
    {
        // case: observed min/max/desired; expected drift ("" none) and desired sent
        { "in sync", 1, 3, 2, "", null },
        { "min", 2, 3, 2, "min=1 max=3 desired=2|min=2 max=3 desired=2", 2 },
        { "max", 1, 4, 2, "min=1 max=3 desired=2|min=1 max=4 desired=2", 2 },
        { "desired", 1, 3, 3, "min=1 max=3 desired=2|min=1 max=3 desired=3", 2 },
        { "unknown", null, null, null, "min=1 max=3 desired=2|min= max= desired=", 2 },
    };

    [Theory]
    [MemberData(nameof(ScalingCases))]
    public void Scaling_is_compared_field_by_field(string @case, int? min, int? max, int? desired, string drift, int? sent)
    {
        var observed = Observed(n => n with { ScalingConfig = min is null ? null : new NodegroupScalingConfig { MinSize = min, MaxSize = max, DesiredSize = desired } });

        var (request, entries) = NodegroupMapping.ConfigChange("c1", "ng1", Spec(), observed);

        Assert.Equal(drift, string.Join("", entries.Where(e => e.Field == "spec.scaling").Select(e => $"{e.Desired}|{e.Actual}")));
        Assert.Equal(sent, request?.ScalingConfig?.DesiredSize);
        Assert.True(@case == "in sync" ? request is null : request!.ScalingConfig is { MinSize: 1, MaxSize: 3 });
    }

    [Theory]
    [InlineData(3, 1, 4, 1, 2, 2)] // max lowered below the autoscaler's 3: clamped to 2
    [InlineData(5, 1, 10, 1, 10, null)] // within the bounds: kept, no change at all
    [InlineData(0, 1, 3, 1, 3, 1)] // below the minimum: raised to it
    [InlineData(1, 1, 3, 1, 3, null)] // at the minimum: in bounds
    [InlineData(3, 1, 3, 1, 3, null)] // at the maximum: in bounds
    [InlineData(4, 1, 3, 1, 3, 3)] // above the maximum: lowered to it
    public void An_external_desired_size_is_kept_and_only_clamped_into_the_bounds(int current, int haveMin, int haveMax, int min, int max, int? sent)
    {
        var spec = Spec(s =>
        {
            s.DesiredSizeManagedBy = DesiredSizeManagedBy.External;
            s.Scaling = new NodeGroupScaling { MinSize = min, MaxSize = max, DesiredSize = 7 };
        });
        var observed = Observed(n => n with { ScalingConfig = new NodegroupScalingConfig { MinSize = haveMin, MaxSize = haveMax, DesiredSize = current } });

        var (request, drift) = NodegroupMapping.ConfigChange("c1", "ng1", spec, observed);

        Assert.Equal(sent, request?.ScalingConfig?.DesiredSize);
        Assert.Equal(sent is null ? [] : [$"min={min} max={max} desired=(external)"], drift.Select(d => d.Desired));
    }

    [Fact]
    public void Labels_are_sent_as_additions_and_removals()
    {
        var spec = Spec(s => s.Labels = new Dictionary<string, string> { ["keep"] = "1", ["change"] = "new", ["add"] = "x" });
        var observed = Observed(n => n with { Labels = new Dictionary<string, string> { ["keep"] = "1", ["change"] = "old", ["zz-drop"] = "y", ["drop"] = "z" } });

        var (request, drift) = NodegroupMapping.ConfigChange("c1", "ng1", spec, observed);

        Assert.Equal(new Dictionary<string, string> { ["change"] = "new", ["add"] = "x" }, request!.Labels!.AddOrUpdateLabels);
        Assert.Equal(["drop", "zz-drop"], request.Labels.RemoveLabels);
        var entry = Assert.Single(drift);
        Assert.Equal(("spec.labels", "[add=x,change=new,keep=1]", "[change=old,drop=z,keep=1,zz-drop=y]"), (entry.Field, entry.Desired, entry.Actual));
        Assert.Null(request.Taints);
        Assert.Null(request.ScalingConfig);
    }

    [Fact]
    public void Only_additions_or_only_removals_leave_the_other_list_out()
    {
        var add = NodegroupMapping.ConfigChange("c1", "ng1", Spec(s => s.Labels = new Dictionary<string, string> { ["a"] = "1" }), Observed()).Request!;
        Assert.Null(add.Labels!.RemoveLabels);
        var remove = NodegroupMapping.ConfigChange("c1", "ng1", Spec(), Observed(n => n with { Labels = new Dictionary<string, string> { ["a"] = "1" } })).Request!;
        Assert.Null(remove.Labels!.AddOrUpdateLabels);
        Assert.Equal(["a"], remove.Labels.RemoveLabels);
    }

    [Fact]
    public void A_taint_whose_value_changed_is_re_added_not_removed()
    {
        var spec = Spec(s => s.Taints =
        [
            new Taint { Key = "same", Value = "v", Effect = TaintEffect.NoSchedule },
            new Taint { Key = "changed", Value = "new", Effect = TaintEffect.NoSchedule },
            new Taint { Key = "added", Effect = TaintEffect.PreferNoSchedule },
        ]);
        var observed = Observed(n => n with
        {
            Taints =
            [
                new EksTaint { Key = "same", Value = "v", Effect = EksTaintEffect.NoSchedule },
                new EksTaint { Key = "changed", Value = "old", Effect = EksTaintEffect.NoSchedule },
                new EksTaint { Key = "gone", Value = "g", Effect = EksTaintEffect.NoExecute },
                new EksTaint { Key = "changed", Value = "old", Effect = EksTaintEffect.NoExecute },
            ],
        });

        var (request, drift) = NodegroupMapping.ConfigChange("c1", "ng1", spec, observed);

        Assert.Equal(["changed=new:NoSchedule", "added=:PreferNoSchedule"], request!.Taints!.AddOrUpdateTaints!.Select(t => $"{t.Key}={t.Value}:{t.Effect}"));
        Assert.Equal(["gone", "changed"], request.Taints.RemoveTaints!.Select(t => t.Key));
        Assert.Equal(EksTaintEffect.NoExecute, request.Taints.RemoveTaints![1].Effect);
        Assert.Equal("[added=:PreferNoSchedule,changed=new:NoSchedule,same=v:NoSchedule]", Assert.Single(drift).Desired);
        Assert.Equal("spec.taints", drift[0].Field);
        Assert.Equal("[changed=old:NoExecute,changed=old:NoSchedule,gone=g:NoExecute,same=v:NoSchedule]", drift[0].Actual);
    }

    [Fact]
    public void Taints_only_added_or_only_removed()
    {
        var add = NodegroupMapping.ConfigChange("c1", "ng1", Spec(s => s.Taints = [new Taint { Key = "k", Value = "v", Effect = TaintEffect.NoSchedule }]), Observed()).Request!;
        Assert.Null(add.Taints!.RemoveTaints);
        var remove = NodegroupMapping.ConfigChange("c1", "ng1", Spec(), Observed(n => n with { Taints = [new EksTaint { Key = "k", Effect = EksTaintEffect.NoSchedule }] })).Request!;
        Assert.Null(remove.Taints!.AddOrUpdateTaints);
        // Another key with the same effect does not keep a taint.
        var replaced = NodegroupMapping.ConfigChange("c1", "ng1", Spec(s => s.Taints = [new Taint { Key = "k2", Effect = TaintEffect.NoSchedule }]),
            Observed(n => n with { Taints = [new EksTaint { Key = "k1", Effect = EksTaintEffect.NoSchedule }] })).Request!;
        Assert.Equal(["k1"], replaced.Taints!.RemoveTaints!.Select(t => t.Key));
    }

    [Theory]
    [InlineData(2, null, 1, null, true)]
    [InlineData(null, 20, null, 10, true)]
    [InlineData(1, null, 1, null, false)]
    [InlineData(null, 20, null, 20, false)]
    public void Update_config_is_compared_when_the_spec_sets_it(int? wantMax, int? wantPct, int? haveMax, int? havePct, bool changes)
    {
        var spec = Spec(s => s.UpdateConfig = new NodeGroupUpdateConfig { MaxUnavailable = wantMax, MaxUnavailablePercentage = wantPct });
        var observed = Observed(n => n with { UpdateConfig = new NodegroupUpdateConfig { MaxUnavailable = haveMax, MaxUnavailablePercentage = havePct } });

        var (request, drift) = NodegroupMapping.ConfigChange("c1", "ng1", spec, observed);

        Assert.Equal(changes, request is not null);
        if (!changes) return;
        Assert.Equal((wantMax, wantPct), (request!.UpdateConfig!.MaxUnavailable, request.UpdateConfig.MaxUnavailablePercentage));
        Assert.Equal($"maxUnavailable={wantMax} maxUnavailablePercentage={wantPct}", Assert.Single(drift).Desired);
        Assert.Equal("spec.updateConfig", drift[0].Field);
        Assert.Equal($"maxUnavailable={haveMax} maxUnavailablePercentage={havePct}", drift[0].Actual);
        Assert.Equal(("c1", "ng1"), (request.ClusterName, request.NodegroupName));
    }

    [Fact]
    public void An_update_config_the_spec_leaves_out_is_not_compared()
    {
        var observed = Observed(n => n with { UpdateConfig = new NodegroupUpdateConfig { MaxUnavailable = 5 } });
        Assert.Null(NodegroupMapping.ConfigChange("c1", "ng1", Spec(), observed).Request);
    }
}
