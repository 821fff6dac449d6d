using EksOperator.Aws;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers;

/// <summary>Drives an EKS managed node group to its ManagedNodeGroup: create, config and version updates, deletion.</summary>
internal sealed class NodeGroupReconciler(
    IStore<ManagedNodeGroup> nodeGroups,
    IFinalizers finalizers,
    IEventRecorder events,
    IEksApi eks,
    IRoleManager roles,
    Dependents dependents,
    StatusConditions conditions,
    Polling polling,
    AwsFailures failures,
    AwsResourceGuard guard,
    LiveObjects live,
    ReconcilePass pass) : IReconciler<ManagedNodeGroup>
{
    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
        pass.RunAsync(nodeGroups, key, ReconcileCoreAsync, cancellationToken, o => dependents.ClusterInputs(o, o.Spec.ClusterRef));

    private async Task<ReconcileResult> ReconcileCoreAsync(ManagedNodeGroup ng, CancellationToken ct)
    {
        var status = ng.Status ??= new ManagedNodeGroupStatus();
        try
        {
            return ng.Metadata.DeletionTimestamp is not null ? await DeleteAsync(ng, status, ct) : await ApplyAsync(ng, status, ct);
        }
        catch (AwsApiException error)
        {
            return failures.Handle(ng, error);
        }
    }

    private static string AwsName(ManagedNodeGroup ng) => ng.Spec.Name ?? ng.Metadata.Name;

    private async Task<ReconcileResult> ApplyAsync(ManagedNodeGroup ng, ManagedNodeGroupStatus status, CancellationToken ct)
    {
        var lookup = await dependents.ActiveClusterAsync(ng, ng.Spec.ClusterRef, ct);
        if (lookup.Active is not { } cluster)
        {
            // The cluster's changes bring us back; a cluster that does not exist yet is looked for again.
            var prepared = await PrepareRoleAsync(ng, status, ct);
            return prepared.Outcome == ReconcileOutcome.Done ? lookup.Requeue ?? ReconcileResult.Done : prepared;
        }

        var clusterName = Dependents.ClusterAwsName(cluster);
        var clusterVersion = cluster.Status!.Version!;
        var name = AwsName(ng);
        var owner = Dependents.OwnerOf(ng);
        status.ClusterName = clusterName;

        if (ng.Spec.Version is { } pinned && Minor.Compare(pinned, clusterVersion) > 0)
        {
            conditions.Stalled(ng, ConditionReasons.InvalidSpec,
                $"spec.version {pinned} is newer than EksCluster {cluster.Metadata.Name} ({clusterVersion}); a node group cannot run ahead of its control plane: lower spec.version or upgrade the cluster first");
            return ReconcileResult.Done;
        }

        // Following the cluster means the version the control plane has reached, step by step.
        var target = ng.Spec.Version ?? (cluster.Spec.NodeGroupsFollowVersion != false ? clusterVersion : null);
        var observed = await eks.DescribeNodegroupAsync(clusterName, name, ct);
        if (observed is null) return await CreateAsync(ng, status, cluster, clusterName, name, owner, ct);

        if (await guard.ClaimAsync(ng, $"node group {name} on cluster {clusterName}", observed.NodegroupArn!, observed.Tags, OwnedRoleIn(ng, clusterName, name, observed.NodeRole), ct) is { } claimed) return claimed;
        Observe(status, observed);
        switch (observed.Status)
        {
            case NodegroupStatus.Creating:
                conditions.Progressing(ng, ConditionReasons.Creating, $"EKS is creating node group {name}");
                return polling.WhileChanging(ng);
            case NodegroupStatus.Deleting:
                conditions.Progressing(ng, ConditionReasons.Deleting, $"EKS is deleting node group {name}");
                return polling.WhileChanging(ng);
            case NodegroupStatus.CreateFailed or NodegroupStatus.DeleteFailed or NodegroupStatus.Degraded:
                conditions.Stalled(ng, ConditionReasons.AwsError, $"EKS reports node group {name} {AwsResourceGuard.Wire(observed.Status)}: {AwsResourceGuard.HealthText(observed.Health)}");
                return polling.AfterStall;
        }

        if (await guard.TrackUpdateAsync(ng, new DescribeUpdateRequest { Name = clusterName, NodegroupName = name, UpdateId = "" }, ConditionReasons.Updating, UpdateText.Of(status, $"node group {name}"), ct) is { } waiting) return waiting;
        if (observed.Status == NodegroupStatus.Updating)
        {
            conditions.Progressing(ng, ConditionReasons.Updating, $"EKS is updating node group {name}");
            return polling.WhileChanging(ng);
        }

        if (!Polling.IsObserveOnly(ng) && ng.Spec.Version is { } lowered && observed.Version is { } runs && Minor.Compare(lowered, runs) < 0)
        {
            // Admission cannot see status.version: lowering is allowed there so that a typo can be undone.
            conditions.Stalled(ng, ConditionReasons.InvalidSpec,
                $"spec.version {lowered}: EKS cannot downgrade node group {name}: it runs {runs}; set spec.version to {runs} or higher, or remove it to follow the cluster");
            return ReconcileResult.Done;
        }

        var (versionChange, versionDrift) = NodegroupMapping.VersionChange(clusterName, name, ng.Spec, target, observed);
        var (configChange, configDrift) = NodegroupMapping.ConfigChange(clusterName, name, ng.Spec, observed);
        if (Polling.IsObserveOnly(ng))
        {
            var drift = configDrift.ToList();
            if (versionDrift is not null) drift.Insert(0, versionDrift);
            status.Drift = drift.Count > 0 ? drift : null;
            if (drift.Count > 0) conditions.Drifted(ng, $"ObserveOnly: AWS differs from the spec in {string.Join(", ", drift.Select(d => d.Field))} (see status.drift); nothing is changed");
            else conditions.Ready(ng, ConditionReasons.Available, $"ObserveOnly: node group {name} matches the spec");
            return polling.Resync;
        }

        if (versionChange is not null)
        {
            var update = await eks.UpdateNodegroupVersionAsync(versionChange, ct);
            AwsResourceGuard.Started(ng, update);
            status.Drift = [versionDrift!];
            await events.RecordAsync(ng, EventType.Normal, "UpdateStarted", $"{versionDrift!.Field}: {versionDrift.Actual} -> {versionDrift.Desired}", ct);
            conditions.Progressing(ng, target is not null && versionChange.Version is not null ? ConditionReasons.UpgradingNodeGroups : ConditionReasons.Updating,
                UpdateText.Of(status, $"node group {name}"));
            return polling.WhileChanging(ng);
        }

        if (configChange is not null)
        {
            var update = await eks.UpdateNodegroupConfigAsync(configChange, ct);
            AwsResourceGuard.Started(ng, update);
            status.Drift = [.. configDrift];
            await events.RecordAsync(ng, EventType.Normal, "UpdateStarted", $"UpdateNodegroupConfig for {string.Join(", ", configDrift.Select(d => d.Field))}", ct);
            conditions.Progressing(ng, ConditionReasons.Updating, $"Updating {string.Join(", ", configDrift.Select(d => d.Field))} of node group {name}");
            return polling.WhileChanging(ng);
        }

        var tags = TagDiff.Between(owner.TagsWith(ng.Spec.Tags), observed.Tags);
        if (tags.ToSet.Count > 0) await eks.TagResourceAsync(observed.NodegroupArn!, tags.ToSet, ct);
        if (tags.ToRemove.Count > 0) await eks.UntagResourceAsync(observed.NodegroupArn!, tags.ToRemove, ct);

        status.Drift = null;
        if (conditions.Ready(ng, ConditionReasons.Available, $"node group {name} is ACTIVE at {observed.Version} and matches the spec"))
        {
            await events.RecordAsync(ng, EventType.Normal, "Ready", $"node group {name} is ACTIVE and in sync", ct);
        }

        return polling.Resync;
    }

    /// <summary>
    /// While EKS creates the cluster (about 12 minutes), create the node role: IAM has propagated it by the time the
    /// cluster is ACTIVE, and the IAM calls of many node groups are not queued behind the cluster.
    /// </summary>
    private async Task<ReconcileResult> PrepareRoleAsync(ManagedNodeGroup ng, ManagedNodeGroupStatus status, CancellationToken ct)
    {
        if (ng.Spec.NodeRoleArn is not null || status.NodeRoleArn is not null || Polling.IsObserveOnly(ng)) return ReconcileResult.Done;
        if (dependents.ClusterBeingCreated(ng, ng.Spec.ClusterRef) is not { } cluster) return ReconcileResult.Done;
        if (await finalizers.EnsureAsync(ng, OperatorApi.Finalizer, ct)) return ReconcileResult.Done;
        status.ClusterName = Dependents.ClusterAwsName(cluster); // deletion finds the role by it
        var role = await roles.EnsureAsync(OwnedRoleSpec.NodeRole(status.ClusterName, AwsName(ng)), Dependents.OwnerOf(ng), live.AdoptionFor(ng), ct);
        if (role.Outcome == RoleOutcome.NotOurs)
        {
            conditions.Stalled(ng, ConditionReasons.AlreadyExists, role.Message!);
            return polling.AfterStall;
        }

        status.NodeRoleArn = role.Arn;
        status.RoleCreated = true;
        return ReconcileResult.Done;
    }

    private async Task<ReconcileResult> CreateAsync(ManagedNodeGroup ng, ManagedNodeGroupStatus status, EksCluster cluster, string clusterName, string name, Owner owner, CancellationToken ct)
    {
        if (Polling.IsObserveOnly(ng))
        {
            conditions.Stalled(ng, ConditionReasons.AwsError, $"node group {name} does not exist on cluster {clusterName}; managementPolicy ObserveOnly never creates it");
            return polling.AfterStall;
        }

        var clusterVersion = cluster.Status!.Version!;
        if (ng.Spec.Version is { } pinned && pinned != clusterVersion)
        {
            conditions.Stalled(ng, ConditionReasons.InvalidSpec,
                $"EKS creates node groups only at the cluster's version ({clusterVersion}); set spec.version to {clusterVersion} or leave it unset (it can be held back later)");
            return ReconcileResult.Done;
        }

        var subnets = ng.Spec.SubnetIds?.ToList() ?? cluster.Status.SubnetIds?.ToList();
        if (subnets is not { Count: > 0 })
        {
            conditions.Progressing(ng, ConditionReasons.WaitingForCluster, $"waiting for EksCluster {cluster.Metadata.Name} to report its subnets");
            return polling.Soon;
        }

        if (await finalizers.EnsureAsync(ng, OperatorApi.Finalizer, ct)) return ReconcileResult.Done;
        var roleArn = ng.Spec.NodeRoleArn;
        if (roleArn is null)
        {
            var role = await roles.EnsureAsync(OwnedRoleSpec.NodeRole(clusterName, name), owner, live.AdoptionFor(ng), ct);
            if (role.Outcome == RoleOutcome.NotOurs)
            {
                conditions.Stalled(ng, ConditionReasons.AlreadyExists, role.Message!);
                return polling.AfterStall;
            }

            roleArn = role.Arn!;
            status.RoleCreated = true;
        }

        status.NodeRoleArn = roleArn;
        var created = await eks.CreateNodegroupAsync(NodegroupMapping.ToCreateRequest(clusterName, name, ng.Spec, subnets, roleArn, clusterVersion, owner), ct);
        Observe(status, created);
        await events.RecordAsync(ng, EventType.Normal, "Creating", $"CreateNodegroup sent for {name} on {clusterName} ({clusterVersion})", ct);
        conditions.Progressing(ng, ConditionReasons.Creating, $"EKS is creating node group {name}");
        return polling.WhileChanging(ng);
    }

    private async Task<ReconcileResult> DeleteAsync(ManagedNodeGroup ng, ManagedNodeGroupStatus status, CancellationToken ct)
    {
        if (ng.Metadata.Finalizers?.Contains(OperatorApi.Finalizer) != true) return ReconcileResult.Done;
        var name = AwsName(ng);
        var owner = Dependents.OwnerOf(ng);
        var retains = dependents.Retains(ng, ng.Spec.ClusterRef);
        if (retains && !Polling.IsObserveOnly(ng) && dependents.ClusterAwsNameForDelete(ng, ng.Spec.ClusterRef, status.ClusterName) is { } retainedOn)
        {
            await guard.ReleaseAsync(ng, $"node group {name} on cluster {retainedOn}", status.Arn, ng.Spec.NodeRoleArn is null ? OwnedRoleSpec.NodeRole(retainedOn, name).Name : null, ct);
        }
        else if (!retains && !Polling.IsObserveOnly(ng) && dependents.ClusterAwsNameForDelete(ng, ng.Spec.ClusterRef, status.ClusterName) is { } clusterName)
        {
            var observed = await eks.DescribeNodegroupAsync(clusterName, name, ct);
            if (observed is not null && OwnershipCheck.IsOwnedBy(observed.Tags, owner.Uid))
            {
                Observe(status, observed);
                if (observed.Status != NodegroupStatus.Deleting)
                {
                    await eks.DeleteNodegroupAsync(clusterName, name, ct);
                    await events.RecordAsync(ng, EventType.Normal, "Deleting", $"DeleteNodegroup sent for {name}", ct);
                }

                conditions.Progressing(ng, ConditionReasons.Deleting, $"EKS is deleting node group {name}");
                return polling.WhileChanging(ng);
            }

            if (ng.Spec.NodeRoleArn is null) await roles.DeleteAsync(OwnedRoleSpec.NodeRole(clusterName, name), owner, ct);
            await events.RecordAsync(ng, EventType.Normal, "Deleted", $"node group {name} is deleted", ct);
        }

        await finalizers.RemoveAsync(ng, OperatorApi.Finalizer, CancellationToken.None);
        return ReconcileResult.Done;
    }

    /// <summary>The operator-named node role, when the node group uses it (for reclaiming it with the node group).</summary>
    private static string? OwnedRoleIn(ManagedNodeGroup ng, string clusterName, string name, string? roleArn) =>
        ng.Spec.NodeRoleArn is null && OwnedRoleSpec.NodeRole(clusterName, name).Name is var role && roleArn?.EndsWith("/" + role, StringComparison.Ordinal) == true ? role : null;

    private static void Observe(ManagedNodeGroupStatus status, Nodegroup observed)
    {
        status.Arn = observed.NodegroupArn;
        status.AwsStatus = AwsResourceGuard.Wire(observed.Status);
        status.Version = observed.Version;
        status.ReleaseVersion = observed.ReleaseVersion;
        status.DesiredSize = observed.ScalingConfig?.DesiredSize;
        status.NodeRoleArn = observed.NodeRole ?? status.NodeRoleArn;
        status.AutoScalingGroups = observed.Resources?.AutoScalingGroups?.Select(a => a.Name!).Where(n => n is not null).ToList() is { Count: > 0 } groups ? groups : null;
        status.Health = AwsResourceGuard.HealthOf(observed.Health);
    }
}
