using EksOperator.Aws;
using EksOperator.Aws.Ec2;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;
using EksOperator.Aws.Versions;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using k8s.Models;
using AwsCluster = EksOperator.Aws.Eks.Cluster;
using FargateProfile = EksOperator.Entities.V1Alpha1.FargateProfile;

namespace EksOperator.Controllers;

/// <summary>
/// Drives an EKS cluster to its EksCluster: create, one update at a time, upgrades one minor at a time together
/// with the node groups that follow, drift correction, outputs, and ordered deletion.
/// </summary>
internal sealed partial class ClusterReconciler(
    IStore<EksCluster> clusters,
    IStore<ManagedNodeGroup> nodeGroups,
    IStore<FargateProfile> profiles,
    IFinalizers finalizers,
    IEventRecorder events,
    IObjectClient objects,
    IEksApi eks,
    IEc2Api ec2,
    IRoleManager roles,
    KubeconfigWriter kubeconfigs,
    StatusConditions conditions,
    Polling polling,
    AwsFailures failures,
    AwsResourceGuard guard,
    LiveObjects live,
    IKubernetesVersions versions,
    ReconcilePass pass) : IReconciler<EksCluster>
{
    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
        pass.RunAsync(clusters, key, ReconcileCoreAsync, cancellationToken);

    private async Task<ReconcileResult> ReconcileCoreAsync(EksCluster cluster, CancellationToken ct)
    {
        var status = cluster.Status ??= new EksClusterStatus();
        var region = cluster.Spec.Region ?? polling.Options.Region;
        status.Region = region;
        if (region != polling.Options.Region)
        {
            conditions.Stalled(cluster, ConditionReasons.InvalidSpec,
                $"spec.region {region}: this operator manages {polling.Options.Region}; remove spec.region or run an operator configured for {region}");
            return cluster.Metadata.DeletionTimestamp is null ? ReconcileResult.Done : await RemoveFinalizerAsync(cluster);
        }

        try
        {
            return cluster.Metadata.DeletionTimestamp is not null
                ? await DeleteAsync(cluster, status, ct)
                : await ApplyAsync(cluster, status, ct);
        }
        catch (AwsApiException error)
        {
            return failures.Handle(cluster, error);
        }
    }

    private static string AwsName(EksCluster cluster) => cluster.Spec.Name ?? cluster.Metadata.Name;

    private async Task<ReconcileResult> ApplyAsync(EksCluster cluster, EksClusterStatus status, CancellationToken ct)
    {
        var name = AwsName(cluster);
        var owner = Dependents.OwnerOf(cluster);
        var observed = await eks.DescribeClusterAsync(name, ct);
        if (observed is null)
        {
            return await CreateAsync(cluster, status, name, owner, ct);
        }

        if (await guard.ClaimAsync(cluster, $"EKS cluster {name}", observed.Arn!, observed.Tags, OwnedRoleIn(cluster, name, observed.RoleArn), ct) is { } claimed) return claimed;
        Observe(status, observed);

        switch (observed.Status)
        {
            case ClusterStatus.Creating or ClusterStatus.Pending:
                conditions.Progressing(cluster, ConditionReasons.Creating, $"EKS is creating cluster {name}");
                return polling.WhileChanging(cluster);
            case ClusterStatus.Deleting:
                conditions.Progressing(cluster, ConditionReasons.Deleting, $"EKS is deleting cluster {name} (deleted outside the operator?); it will be created again");
                return polling.WhileChanging(cluster);
            case ClusterStatus.Failed:
                conditions.Stalled(cluster, ConditionReasons.AwsError, $"EKS reports cluster {name} FAILED: {AwsResourceGuard.HealthText(observed.Health)}; delete the object to clean up");
                return polling.AfterStall;
        }

        var running = status.Upgrade is not null ? ConditionReasons.UpgradingControlPlane : ConditionReasons.Updating;
        if (await guard.TrackUpdateAsync(cluster, new DescribeUpdateRequest { Name = name, UpdateId = "" }, running, Doing(status, name), ct) is { } waiting) return waiting;
        if (observed.Status == ClusterStatus.Updating)
        {
            conditions.Progressing(cluster, ConditionReasons.Updating, $"EKS is updating cluster {name}");
            return polling.WhileChanging(cluster);
        }

        if (Polling.IsObserveOnly(cluster)) return Report(cluster, status, name, observed, owner);
        return await ConvergeAsync(cluster, status, name, observed, owner, ct);
    }

    private async Task<ReconcileResult> CreateAsync(EksCluster cluster, EksClusterStatus status, string name, Owner owner, CancellationToken ct)
    {
        if (Polling.IsObserveOnly(cluster))
        {
            conditions.Stalled(cluster, ConditionReasons.AwsError, $"EKS cluster {name} does not exist; managementPolicy ObserveOnly never creates it");
            return polling.AfterStall;
        }

        if (cluster.Spec.Version is { } version && await UnofferedAsync(version, current: null, ct) is { } unoffered)
        {
            conditions.Stalled(cluster, ConditionReasons.InvalidSpec, unoffered);
            return ReconcileResult.Done;
        }

        var (subnets, problem) = await ResolveSubnetsAsync(cluster.Spec.Vpc, ct);
        if (problem is not null)
        {
            conditions.Stalled(cluster, ConditionReasons.InvalidSpec, problem);
            return polling.AfterStall;
        }

        // The finalizer goes on just before the first AWS create, never earlier.
        if (await finalizers.EnsureAsync(cluster, OperatorApi.Finalizer, ct)) return ReconcileResult.Done;

        var roleArn = cluster.Spec.RoleArn;
        if (roleArn is null)
        {
            var role = await roles.EnsureAsync(OwnedRoleSpec.ClusterRole(name), owner, live.AdoptionFor(cluster), ct);
            if (role.Outcome == RoleOutcome.NotOurs)
            {
                conditions.Stalled(cluster, ConditionReasons.AlreadyExists, role.Message!);
                return polling.AfterStall;
            }

            roleArn = role.Arn!;
            status.RoleCreated = true;
        }

        status.RoleArn = roleArn;
        status.SubnetIds = [.. subnets];
        var created = await eks.CreateClusterAsync(ClusterMapping.ToCreateRequest(name, cluster.Spec, subnets, roleArn, owner), ct);
        Observe(status, created);
        await events.RecordAsync(cluster, EventType.Normal, "Creating", $"CreateCluster sent for {name} (version {created.Version ?? "default"})", ct);
        conditions.Progressing(cluster, ConditionReasons.Creating, $"EKS is creating cluster {name}");
        return polling.WhileChanging(cluster);
    }

    private async Task<ReconcileResult> ConvergeAsync(EksCluster cluster, EksClusterStatus status, string name, AwsCluster observed, Owner owner, CancellationToken ct)
    {
        // 1. Upgrades, one minor per step, node groups that follow the cluster in between.
        if (await UpgradeAsync(cluster, status, name, observed, ct) is { } upgrading) return upgrading;

        // 2. One configuration change per pass (EKS: one update in flight, one kind per call).
        var changes = ClusterMapping.ConfigChanges(name, cluster.Spec, observed);
        if (changes.Count > 0)
        {
            var change = changes[0];
            var update = change.Encryption is { } encryption
                ? await eks.AssociateEncryptionConfigAsync(encryption, ct)
                : await eks.UpdateClusterConfigAsync(change.Request!, ct);
            AwsResourceGuard.Started(cluster, update);
            status.Drift = [.. changes.Select(c => new DriftEntry { Field = c.Field, Desired = c.Desired, Actual = c.Actual })];
            await events.RecordAsync(cluster, EventType.Normal, "UpdateStarted", $"{update.Type} for {change.Field}: {change.Actual} -> {change.Desired}", ct);
            conditions.Progressing(cluster, ConditionReasons.Updating,
                $"{UpdateText.Of(status, $"cluster {name}")}{(changes.Count > 1 ? $" ({changes.Count - 1} more change(s) after it)" : "")}");
            return polling.WhileChanging(cluster);
        }

        // 3. Tags (allowed while nothing else is pending).
        var tags = TagDiff.Between(owner.TagsWith(cluster.Spec.Tags), observed.Tags);
        if (!tags.IsEmpty)
        {
            if (tags.ToSet.Count > 0) await eks.TagResourceAsync(observed.Arn!, tags.ToSet, ct);
            if (tags.ToRemove.Count > 0) await eks.UntagResourceAsync(observed.Arn!, tags.ToRemove, ct);
        }

        var drift = ClusterMapping.ImmutableDrift(cluster.Spec, observed, cluster.Spec.RoleArn);
        status.Drift = drift.Count > 0 ? [.. drift] : null;
        await kubeconfigs.WriteAsync(cluster, observed, ct);

        if (drift.Count > 0)
        {
            conditions.Stalled(cluster, ConditionReasons.Drifted,
                $"EKS cannot change {string.Join(", ", drift.Select(d => d.Field))} in place (see status.drift); recreate the cluster or restore the previous value");
            return polling.Resync;
        }

        if (conditions.Ready(cluster, ConditionReasons.Available, $"EKS cluster {name} is ACTIVE at {observed.Version} and matches the spec"))
        {
            await events.RecordAsync(cluster, EventType.Normal, "Ready", $"cluster {name} is ACTIVE and in sync", ct);
        }

        return kubeconfigs.NeedsRefresh(cluster) is { } refresh && refresh < polling.Options.ResyncPeriod
            ? ReconcileResult.RequeueAfter(refresh)
            : polling.Resync;
    }

    private async Task<ReconcileResult?> UpgradeAsync(EksCluster cluster, EksClusterStatus status, string name, AwsCluster observed, CancellationToken ct)
    {
        var target = cluster.Spec.Version;
        var actual = observed.Version!;
        var key = ClusterIndex.KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name);
        var groups = nodeGroups.ByIndex(ClusterIndex.Name, key).Where(g => g.Metadata.DeletionTimestamp is null).ToList();
        var follow = cluster.Spec.NodeGroupsFollowVersion != false;

        if (target is not null && Minor.Compare(target, actual) < 0)
        {
            // Admission cannot see status.version, so lowering the spec is allowed there (a typo can be undone); a real
            // downgrade is refused here, before anything is sent.
            conditions.Stalled(cluster, ConditionReasons.InvalidSpec,
                $"spec.version {target}: EKS cannot downgrade: the cluster runs {actual}; set spec.version to {actual} or higher");
            return ReconcileResult.Done;
        }

        if (target is null || Minor.Compare(target, actual) == 0)
        {
            if (status.Upgrade is null) return null;
            // The last control-plane step is done; wait for the followers of that step.
            var lagging = follow ? Lagging(groups.Where(g => g.Spec.Version is null), actual) : [];
            if (lagging.Count > 0)
            {
                status.Upgrade.Phase = UpgradePhase.NodeGroups;
                status.Upgrade.Step = actual;
                conditions.Progressing(cluster, ConditionReasons.UpgradingNodeGroups, $"Upgrading node groups to {actual}: waiting for {string.Join(", ", lagging)}");
                return polling.WhileChanging(cluster);
            }

            await events.RecordAsync(cluster, EventType.Normal, "UpgradeComplete", $"cluster {name} and its node groups run {actual}", ct);
            status.Upgrade = null;
            return null;
        }

        // Checked before the first step (and again before each, from the cache): a typo must not start an upgrade that
        // EKS refuses half way.
        if (await UnofferedAsync(target, actual, ct) is { } unoffered)
        {
            conditions.Stalled(cluster, ConditionReasons.InvalidSpec, unoffered);
            return ReconcileResult.Done;
        }

        status.Upgrade ??= new UpgradeProgress { From = actual };
        status.Upgrade.To = target;

        // Every node group must run the control plane's minor before EKS accepts the next one.
        var behind = groups.Where(g => g.Status?.Version is { } v && Minor.Compare(v, actual) < 0).ToList();
        var pinned = behind.Where(g => g.Spec.Version is not null || !follow).ToList();
        if (pinned.Count > 0)
        {
            var names = string.Join(", ", pinned.Select(g => $"{g.Metadata.Name} ({g.Status!.Version})"));
            conditions.Stalled(cluster, ConditionReasons.InvalidSpec,
                $"cannot upgrade to {Minor.Next(actual)}: node group(s) {names} are held below the control plane's {actual} (EKS requires every node group at the current minor, and nodes may trail by at most 3 minors); raise or remove their spec.version");
            return polling.AfterStall;
        }

        if (behind.Count > 0)
        {
            status.Upgrade.Phase = UpgradePhase.NodeGroups;
            status.Upgrade.Step = actual;
            conditions.Progressing(cluster, ConditionReasons.UpgradingNodeGroups,
                $"Upgrading node groups to {actual} before the next control-plane step: waiting for {string.Join(", ", behind.Select(g => g.Metadata.Name))}");
            return polling.WhileChanging(cluster);
        }

        var next = Minor.Next(actual);
        var update = await eks.UpdateClusterVersionAsync(new UpdateClusterVersionRequest { Name = name, Version = next }, ct);
        AwsResourceGuard.Started(cluster, update);
        status.Upgrade.Step = next;
        status.Upgrade.Phase = UpgradePhase.ControlPlane;
        await events.RecordAsync(cluster, EventType.Normal, "UpgradeStep", $"control plane {actual} -> {next} (target {target})", ct);
        conditions.Progressing(cluster, ConditionReasons.UpgradingControlPlane, UpdateText.ControlPlaneStep(actual, next, target));
        return polling.WhileChanging(cluster);
    }

    /// <summary>
    /// Why <paramref name="target"/> cannot be reached (EKS does not offer it, or a minor on the way to it from
    /// <paramref name="current"/>), or null. Null too when EKS cannot say which versions it offers.
    /// </summary>
    private async Task<string?> UnofferedAsync(string target, string? current, CancellationToken ct)
    {
        if (await versions.OfferedAsync(ct) is not { } offered) return null;
        var steps = current is null ? [target] : Enumerable.Range(Minor.Of(current) + 1, Math.Max(0, Minor.Of(target) - Minor.Of(current))).Select(m => $"1.{m}").ToList();
        if (steps.FirstOrDefault(v => !offered.Offers(v)) is not { } missing) return null;
        var via = missing == target ? "" : $" (on the way from {current} to {target})";
        return $"spec.version {target}: EKS does not offer Kubernetes {missing}{via}; it offers {offered.Describe()}; set spec.version to one of them";
    }

    /// <summary>What the update in flight does, for the Reconciling message.</summary>
    private static string Doing(EksClusterStatus status, string name) =>
        status.ActiveUpdate?.Type == EksValues.UpdateTypes.VersionUpdate && status.Upgrade is { Step: { } step } upgrade
            ? UpdateText.ControlPlaneStep(Minor.Previous(step), step, upgrade.To ?? step)
            : UpdateText.Of(status, $"cluster {name}");

    /// <summary>The operator-named cluster role, when the cluster uses it (for reclaiming it with the cluster).</summary>
    private static string? OwnedRoleIn(EksCluster cluster, string name, string? roleArn) =>
        cluster.Spec.RoleArn is null && OwnedRoleSpec.ClusterRole(name).Name is var role && roleArn?.EndsWith("/" + role, StringComparison.Ordinal) == true ? role : null;

    private static List<string> Lagging(IEnumerable<ManagedNodeGroup> groups, string version) =>
        [.. groups.Where(g => g.Status?.Version is not { } v || Minor.Compare(v, version) < 0).Select(g => g.Metadata.Name)];

    private ReconcileResult Report(EksCluster cluster, EksClusterStatus status, string name, AwsCluster observed, Owner owner)
    {
        var drift = ClusterMapping.ConfigChanges(name, cluster.Spec, observed)
            .Select(c => new DriftEntry { Field = c.Field, Desired = c.Desired, Actual = c.Actual }).ToList();
        if (cluster.Spec.Version is { } version && version != observed.Version)
        {
            drift.Add(new DriftEntry { Field = "spec.version", Desired = version, Actual = observed.Version });
        }

        drift.AddRange(ClusterMapping.ImmutableDrift(cluster.Spec, observed, cluster.Spec.RoleArn));
        var tags = TagDiff.Between(owner.TagsWith(cluster.Spec.Tags).Where(t => !t.Key.StartsWith(OwnershipTags.ReservedPrefix, StringComparison.Ordinal) && t.Key != OwnershipTags.ManagedBy)
            .ToDictionary(t => t.Key, t => t.Value), (observed.Tags ?? new Dictionary<string, string>()).Where(t => cluster.Spec.Tags?.ContainsKey(t.Key) == true).ToDictionary(t => t.Key, t => t.Value));
        if (!tags.IsEmpty) drift.Add(new DriftEntry { Field = "spec.tags", Desired = ClusterMapping.Show(tags.ToSet.Keys), Actual = "(differs)" });

        status.Drift = drift.Count > 0 ? drift : null;
        if (drift.Count > 0) conditions.Drifted(cluster, $"ObserveOnly: AWS differs from the spec in {string.Join(", ", drift.Select(d => d.Field))} (see status.drift); nothing is changed");
        else conditions.Ready(cluster, ConditionReasons.Available, $"ObserveOnly: EKS cluster {name} matches the spec");
        return polling.Resync;
    }

    private async Task<ReconcileResult> DeleteAsync(EksCluster cluster, EksClusterStatus status, CancellationToken ct)
    {
        if (cluster.Metadata.Finalizers?.Contains(OperatorApi.Finalizer) != true) return ReconcileResult.Done;
        var name = AwsName(cluster);
        var owner = Dependents.OwnerOf(cluster);

        // 1. Dependents first: delete their objects (this works without a garbage collector) and wait for them.
        var key = ClusterIndex.KeyOf(cluster.Metadata.NamespaceProperty ?? "", cluster.Metadata.Name);
        var dependents = nodeGroups.ByIndex(ClusterIndex.Name, key).Cast<IEksResource>().Concat(profiles.ByIndex(ClusterIndex.Name, key)).ToList();
        foreach (var dependent in dependents.Where(d => d.Metadata.DeletionTimestamp is null))
        {
            if (dependent is ManagedNodeGroup) await objects.DeleteAsync<ManagedNodeGroup>(ObjectKey.From(dependent), ct);
            else await objects.DeleteAsync<FargateProfile>(ObjectKey.From(dependent), ct);
        }

        if (dependents.Count > 0)
        {
            conditions.Progressing(cluster, ConditionReasons.Deleting,
                $"deleting node groups and Fargate profiles first: waiting for {string.Join(", ", dependents.Select(d => $"{d.Kind}/{d.Metadata.Name}"))}");
            return polling.WhileChanging(cluster);
        }

        if (Polling.IsObserveOnly(cluster))
        {
            await events.RecordAsync(cluster, EventType.Normal, "Retained", $"EKS cluster {name} left in place (ObserveOnly)", ct);
            return await RemoveFinalizerAsync(cluster);
        }

        if (Polling.Retains(cluster))
        {
            await guard.ReleaseAsync(cluster, $"EKS cluster {name}", status.Arn, cluster.Spec.RoleArn is null ? OwnedRoleSpec.ClusterRole(name).Name : null, ct);
            return await RemoveFinalizerAsync(cluster);
        }

        // 2. The cluster, once nothing unmanaged is left on it.
        var observed = await eks.DescribeClusterAsync(name, ct);
        if (observed is not null && OwnershipCheck.IsOwnedBy(observed.Tags, owner.Uid))
        {
            Observe(status, observed);
            if (observed.Status != ClusterStatus.Deleting && observed.DeletionProtection == true)
            {
                if (cluster.Spec.DeletionProtection != false)
                {
                    conditions.Stalled(cluster, ConditionReasons.DeletionBlocked,
                        $"EKS deletion protection is on for cluster {name}; set spec.deletionProtection: false to let the operator turn it off and delete, or set spec.deletionPolicy: Retain to keep the cluster");
                    return polling.AfterStall;
                }

                const string turningOff = "Turning off EKS deletion protection before deleting the cluster";
                if (observed.Status == ClusterStatus.Active
                    && await guard.TrackUpdateAsync(cluster, new DescribeUpdateRequest { Name = name, UpdateId = "" }, ConditionReasons.Deleting, turningOff, ct) is null)
                {
                    var update = await eks.UpdateClusterConfigAsync(new UpdateClusterConfigRequest { Name = name, DeletionProtection = false }, ct);
                    AwsResourceGuard.Started(cluster, update);
                    await events.RecordAsync(cluster, EventType.Normal, "UpdateStarted", $"turning off deletion protection of {name} before deleting it", ct);
                }

                conditions.Progressing(cluster, ConditionReasons.Deleting, $"turning off EKS deletion protection of cluster {name} before deleting it");
                return polling.WhileChanging(cluster);
            }

            if (observed.Status != ClusterStatus.Deleting)
            {
                var unmanaged = await UnmanagedChildrenAsync(name, ct);
                if (unmanaged.Count > 0)
                {
                    conditions.Stalled(cluster, ConditionReasons.DeletionBlocked,
                        $"cluster {name} still has AWS resources no object manages: {string.Join(", ", unmanaged)}; delete them in AWS or create objects for them with the {Annotations.Adopt} annotation");
                    return polling.AfterStall;
                }

                await eks.DeleteClusterAsync(name, ct);
                await events.RecordAsync(cluster, EventType.Normal, "Deleting", $"DeleteCluster sent for {name}", ct);
            }

            conditions.Progressing(cluster, ConditionReasons.Deleting, $"EKS is deleting cluster {name}");
            return polling.WhileChanging(cluster);
        }

        // 3. Gone: the roles the operator created, the outputs, then the finalizer.
        // Decided by the role's ownership tags, not a status bit: a crash right after creating it may have lost the status write.
        if (cluster.Spec.RoleArn is null) await roles.DeleteAsync(OwnedRoleSpec.ClusterRole(name), owner, ct);
        await kubeconfigs.DeleteAsync(cluster, ct);
        await events.RecordAsync(cluster, EventType.Normal, "Deleted", $"EKS cluster {name} is deleted", ct);
        return await RemoveFinalizerAsync(cluster);
    }

    // Not cancellable: it commits a finished delete.
    private async Task<ReconcileResult> RemoveFinalizerAsync(EksCluster cluster)
    {
        await finalizers.RemoveAsync(cluster, OperatorApi.Finalizer, CancellationToken.None);
        return ReconcileResult.Done;
    }

    private async Task<List<string>> UnmanagedChildrenAsync(string name, CancellationToken ct)
    {
        var result = new List<string>();
        string? next = null;
        do
        {
            var page = await eks.ListNodegroupsAsync(new ListNodegroupsRequest { ClusterName = name, NextToken = next }, ct);
            result.AddRange(page.Nodegroups.Select(n => $"nodegroup {n}"));
            next = page.NextToken;
        }
        while (next is not null);

        do
        {
            var page = await eks.ListFargateProfilesAsync(new ListFargateProfilesRequest { ClusterName = name, NextToken = next }, ct);
            result.AddRange(page.FargateProfileNames.Select(n => $"fargate profile {n}"));
            next = page.NextToken;
        }
        while (next is not null);
        return result;
    }

    private async Task<(IReadOnlyList<string> Subnets, string? Problem)> ResolveSubnetsAsync(ClusterVpc vpc, CancellationToken ct)
    {
        IReadOnlyList<Ec2Subnet> found;
        try
        {
            found = vpc.SubnetIds is { } ids
                ? await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery { SubnetIds = [.. ids] }, ct)
                : await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery
                {
                    VpcId = vpc.SubnetSelector!.VpcId,
                    Tags = vpc.SubnetSelector.Tags.ToDictionary(t => t.Key, t => (string?)t.Value),
                }, ct);
        }
        catch (AwsApiException e) when (e.Kind is AwsErrorKind.NotFound or AwsErrorKind.Invalid)
        {
            return ([], $"spec.vpc.subnetIds: {e.Message}");
        }

        var what = vpc.SubnetIds is not null ? "spec.vpc.subnetIds" : "spec.vpc.subnetSelector";
        if (found.Select(s => s.VpcId).Distinct().Count() > 1)
        {
            return ([], $"{what} names subnets in several VPCs ({string.Join(", ", found.Select(s => s.VpcId).Distinct())}); EKS needs one VPC (set subnetSelector.vpcId)");
        }

        if (found.Count < 2 || found.Select(s => s.AvailabilityZone).Distinct().Count() < 2)
        {
            return ([], $"{what} resolves to {found.Count} subnet(s) in {found.Select(s => s.AvailabilityZone).Distinct().Count()} availability zone(s); EKS needs at least 2 subnets in 2 zones");
        }

        return ([.. found.Select(s => s.SubnetId).Order(StringComparer.Ordinal)], null);
    }

    private static void Observe(EksClusterStatus status, AwsCluster observed)
    {
        status.Arn = observed.Arn;
        status.AwsStatus = AwsResourceGuard.Wire(observed.Status);
        status.Version = observed.Version;
        status.PlatformVersion = observed.PlatformVersion;
        status.Endpoint = observed.Endpoint;
        status.CertificateAuthorityData = observed.CertificateAuthority?.Data;
        status.OidcIssuer = observed.Identity?.Oidc?.Issuer;
        status.ClusterSecurityGroupId = observed.ResourcesVpcConfig?.ClusterSecurityGroupId;
        status.VpcId = observed.ResourcesVpcConfig?.VpcId;
        if (observed.ResourcesVpcConfig?.SubnetIds is { Count: > 0 } subnets) status.SubnetIds = [.. subnets];
        status.RoleArn = observed.RoleArn ?? status.RoleArn;
        status.Health = AwsResourceGuard.HealthOf(observed.Health);
    }
}
