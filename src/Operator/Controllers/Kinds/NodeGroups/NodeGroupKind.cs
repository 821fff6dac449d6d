using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Kinds.NodeGroups;

/// <summary>
/// The ManagedNodeGroup adapter: an EKS managed node group on its cluster, version changes (following the cluster
/// step by step, or held at spec.version) before configuration changes, one per pass.
/// </summary>
internal sealed class NodeGroupKind(IEksNodegroups nodegroups, ClusterDependents dependents) : AwsKind<ManagedNodeGroup, Nodegroup>
{
    private static string AwsName(ManagedNodeGroup ng) => ng.Spec.Name ?? ng.Metadata.Name;

    private static ManagedNodeGroupStatus StatusOf(ManagedNodeGroup ng) => ng.EnsureStatus();

    public override Task<Placed> PlaceAsync(ManagedNodeGroup ng, bool deleting, CancellationToken ct) =>
        dependents.PlaceAsync(ng, ng.Spec.ClusterRef, deleting, cluster => ($"node group {AwsName(ng)} on cluster {cluster}", $"node group {AwsName(ng)}"), ct);

    public override string? Inputs(ManagedNodeGroup ng) => dependents.Inputs(ng, ng.Spec.ClusterRef);

    public override Task<Outcome?> ValidateAsync(ManagedNodeGroup ng, Placement at, CancellationToken ct)
    {
        var cluster = at.Cluster!;
        var clusterVersion = cluster.Status!.Version!;
        return Task.FromResult<Outcome?>(ng.Spec.Version is { } pinned && Minor.Compare(pinned, clusterVersion) > 0
            ? new Outcome.Stall(ConditionReasons.InvalidSpec,
                $"spec.version {pinned} is newer than EksCluster {cluster.Metadata.Name} ({clusterVersion}); a node group cannot run ahead of its control plane: lower spec.version or upgrade the cluster first", StallCause.Spec)
            : null);
    }

    public override Task<Nodegroup?> ReadAsync(ManagedNodeGroup ng, Placement at, CancellationToken ct) => nodegroups.FindAsync(at.ClusterName, AwsName(ng), ct);

    public override AwsView View(Nodegroup observed) => new(observed.NodegroupArn!, observed.Tags, observed.Status switch
    {
        NodegroupStatus.Creating => Lifecycle.Creating,
        NodegroupStatus.Deleting => Lifecycle.Deleting,
        NodegroupStatus.CreateFailed or NodegroupStatus.DeleteFailed or NodegroupStatus.Degraded => Lifecycle.Failed,
        NodegroupStatus.Updating => Lifecycle.Updating,
        _ => Lifecycle.Active,
    }, Wire(observed.Status), UpdateTracker.HealthText(observed.Health));

    public override void Observe(ManagedNodeGroup ng, Nodegroup observed)
    {
        var status = StatusOf(ng);
        status.Arn = observed.NodegroupArn;
        status.AwsStatus = Wire(observed.Status);
        status.Version = observed.Version;
        status.ReleaseVersion = observed.ReleaseVersion;
        status.DesiredSize = observed.ScalingConfig?.DesiredSize;
        status.NodeRoleArn = observed.NodeRole ?? status.NodeRoleArn;
        status.AutoScalingGroups = observed.Resources?.AutoScalingGroups?.Select(a => a.Name!).Where(n => n is not null).ToList() is { Count: > 0 } groups ? groups : null;
        status.Health = UpdateTracker.HealthOf(observed.Health);
    }

    public override Task<CreatePlan> PlanCreateAsync(ManagedNodeGroup ng, Placement at, CancellationToken ct)
    {
        var cluster = at.Cluster!;
        var clusterVersion = cluster.Status!.Version!;
        if (ng.Spec.Version is { } pinned && pinned != clusterVersion)
        {
            return Task.FromResult(new CreatePlan(null, new Outcome.Stall(ConditionReasons.InvalidSpec,
                $"EKS creates node groups only at the cluster's version ({clusterVersion}); set spec.version to {clusterVersion} or leave it unset (it can be held back later)", StallCause.Spec)));
        }

        var subnets = ng.Spec.SubnetIds?.ToList() ?? cluster.Status.SubnetIds?.ToList();
        return Task.FromResult(subnets is not { Count: > 0 }
            ? new CreatePlan(null, new Outcome.Progress(ConditionReasons.WaitingForCluster, $"waiting for EksCluster {cluster.Metadata.Name} to report its subnets", Wait.Briefly))
            : CreatePlan.Ready(new Plan(subnets, clusterVersion)));
    }

    public override string? GivenRole(ManagedNodeGroup ng) => ng.Spec.NodeRoleArn;

    public override OwnedRoleSpec OwnedRole(ManagedNodeGroup ng, Placement at) => OwnedRoleSpec.NodeRole(at.ClusterName, AwsName(ng));

    public override string? RecordedRole(ManagedNodeGroup ng) => ng.Status?.NodeRoleArn;

    public override void RecordRole(ManagedNodeGroup ng, string roleArn, bool owned)
    {
        var status = StatusOf(ng);
        status.NodeRoleArn = roleArn;
        if (owned) status.RoleCreated = true;
    }

    public override string? RoleOf(Nodegroup observed) => observed.NodeRole;

    public override Task<Nodegroup> CreateAsync(ManagedNodeGroup ng, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct)
    {
        var (subnets, version) = (Plan)plan.Plan!;
        return nodegroups.CreateAsync(new NodegroupCreate(at.ClusterName, AwsName(ng), ng.Spec, subnets, roleArn!, version, Claims.OwnerOf(ng)), ct);
    }

    public override string CreatedText(ManagedNodeGroup ng, Placement at, Nodegroup created) =>
        $"CreateNodegroup sent for {AwsName(ng)} on {at.ClusterName} ({created.Version ?? at.Cluster?.Status?.Version})";

    public override UpdateTarget UpdateTarget(ManagedNodeGroup ng, Placement at) => new(at.ClusterName, AwsName(ng));

    public override Task<Outcome?> BeforeChangesAsync(ManagedNodeGroup ng, Placement at, Nodegroup observed, CancellationToken ct)
    {
        if (ng.Spec.Version is { } lowered && observed.Version is { } runs && Minor.Compare(lowered, runs) < 0)
        {
            // Admission cannot see status.version: lowering is allowed there so that a typo can be undone.
            return Task.FromResult<Outcome?>(new Outcome.Stall(ConditionReasons.InvalidSpec,
                $"spec.version {lowered}: EKS cannot downgrade node group {AwsName(ng)}: it runs {runs}; set spec.version to {runs} or higher, or remove it to follow the cluster", StallCause.Spec));
        }

        // In an upgrade the node groups move last: after the control plane and the add-ons of the step.
        var cluster = at.Cluster!;
        return Task.FromResult<Outcome?>(ng.Spec.Version is null && cluster.Spec.NodeGroupsFollowVersion != false
            && cluster.Status is { Upgrade.Phase: not UpgradePhase.NodeGroups, Version: { } reached }
            && observed.Version is { } current && Minor.Compare(current, reached) < 0
                ? new Outcome.Progress(ConditionReasons.UpgradingNodeGroups,
                    $"Waiting for EksCluster {cluster.Metadata.Name} to finish the {cluster.Status.Upgrade.Phase} phase of its upgrade to {reached} before node group {AwsName(ng)} follows", Wait.ForDependency)
                : null);
    }

    public override IReadOnlyList<PlannedChange> Changes(ManagedNodeGroup ng, Placement at, Nodegroup observed)
    {
        var cluster = at.Cluster!;
        // Following the cluster means the version the control plane has reached, step by step.
        var target = ng.Spec.Version ?? (cluster.Spec.NodeGroupsFollowVersion != false ? cluster.Status!.Version : null);
        return [.. nodegroups.ChangesFor(at.ClusterName, AwsName(ng), ng.Spec, target, observed).Select(change => PlannedChange.Tracked(
            change.Drift,
            target is not null && change.IsMinorUpgrade ? ConditionReasons.UpgradingNodeGroups : ConditionReasons.Updating,
            token => nodegroups.ApplyAsync(change, token)))];
    }

    public override string ReadyDetail(Nodegroup observed) => $"at {observed.Version}";

    public override bool Retains(ManagedNodeGroup ng) => dependents.Retains(ng, ng.Spec.ClusterRef);

    public override Task DeleteAsync(ManagedNodeGroup ng, Placement at, Nodegroup observed, CancellationToken ct) => nodegroups.DeleteAsync(at.ClusterName, AwsName(ng), ct);

    public override string DeleteOperation => "DeleteNodegroup";

    private sealed record Plan(IReadOnlyList<string> Subnets, string Version);
}
