using EksOperator.Aws;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using AwsCluster = EksOperator.Aws.Eks.Cluster;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>
/// The EksCluster adapter: an EKS cluster, its configuration changes one at a time, the stepwise upgrade
/// (<see cref="ClusterUpgrade"/>), the kubeconfig outputs, and deletion after its node groups and profiles.
/// </summary>
internal sealed class ClusterKind(
    IEksClusters clusters,
    ClusterUpgrade upgrade,
    ClusterChildren children,
    KubeconfigWriter kubeconfigs,
    AutoModeRoles autoModeRoles,
    ClusterOidcProvider oidcProvider,
    UpdateTracker updates,
    IEventRecorder events,
    Polling polling) : AwsKind<EksCluster, AwsCluster>
{
    public static string AwsName(EksCluster cluster) => cluster.Spec.Name ?? cluster.Metadata.Name;

    /// <summary>
    /// The region: spec.region, else where the cluster was found before (an identity's default region may change
    /// later, the cluster does not move), else the identity's region (the pass's AWS target), else the operator's.
    /// </summary>
    public override Task<Placed> PlaceAsync(EksCluster cluster, bool deleting, CancellationToken ct)
    {
        var status = cluster.EnsureStatus();
        status.Region = cluster.Spec.Region
            ?? (status.Arn is not null ? status.Region : null)
            ?? AwsScope.Current?.Region
            ?? polling.Options.Region;
        // A region AWS does not have holds nothing of ours: deleting the object leaves AWS alone.
        if (deleting && !AwsRegions.IsKnown(status.Region)) return Task.FromResult(Placed.Nowhere);
        var name = AwsName(cluster);
        return Task.FromResult(new Placed(new Placement($"EKS cluster {name}", $"cluster {name}", name, cluster)));
    }

    /// <summary>A region AWS does not have; a node role without built-in node pools, which EKS refuses ("nodePool value(s) must be provided").</summary>
    public override Task<Outcome?> ValidateAsync(EksCluster cluster, Placement at, CancellationToken ct) =>
        Task.FromResult<Outcome?>(
            !AwsRegions.IsKnown(cluster.Status?.Region)
                ? new Outcome.Stall(ConditionReasons.InvalidSpec,
                    $"{(cluster.Spec.Region is null ? "region" : "spec.region")} {cluster.Status?.Region} is not an AWS region; set spec.region (or the namespace's AwsIdentity spec.region) to one such as us-east-1 or eu-west-1", StallCause.Spec)
            : cluster.Spec.AutoMode is { Enabled: true, NodeRoleArn: not null, NodePools.Count: 0 }
                ? new Outcome.Stall(ConditionReasons.InvalidSpec,
                    "spec.autoMode.nodeRoleArn is set but spec.autoMode.nodePools is empty: EKS takes a node role only with built-in node pools; add a node pool or remove nodeRoleArn", StallCause.Spec)
            : null);

    public override Task<AwsCluster?> ReadAsync(EksCluster cluster, Placement at, CancellationToken ct) => clusters.FindAsync(at.ClusterName, ct);

    public override AwsView View(AwsCluster observed) => new(observed.Arn!, observed.Tags, observed.Status switch
    {
        ClusterStatus.Creating or ClusterStatus.Pending => Lifecycle.Creating,
        ClusterStatus.Deleting => Lifecycle.Deleting,
        ClusterStatus.Failed => Lifecycle.Failed,
        ClusterStatus.Updating => Lifecycle.Updating,
        _ => Lifecycle.Active,
    }, Wire(observed.Status), UpdateTracker.HealthText(observed.Health));

    public override void Observe(EksCluster cluster, AwsCluster observed)
    {
        var status = cluster.EnsureStatus();
        status.Arn = observed.Arn;
        status.AwsStatus = Wire(observed.Status);
        ClusterUpgrade.NoticeUnrecordedStep(status, observed.Version);
        status.Version = observed.Version;
        status.PlatformVersion = observed.PlatformVersion;
        status.Endpoint = observed.Endpoint;
        status.CertificateAuthorityData = observed.CertificateAuthority?.Data;
        status.OidcIssuer = observed.Identity?.Oidc?.Issuer;
        status.ClusterSecurityGroupId = observed.ResourcesVpcConfig?.ClusterSecurityGroupId;
        status.VpcId = observed.ResourcesVpcConfig?.VpcId;
        status.AuthenticationMode = observed.AccessConfig?.AuthenticationMode ?? status.AuthenticationMode;
        if (observed.ResourcesVpcConfig?.SubnetIds is { Count: > 0 } subnets) status.SubnetIds = [.. subnets];
        status.RoleArn = observed.RoleArn ?? status.RoleArn;
        status.Health = UpdateTracker.HealthOf(observed.Health);
    }

    public override async Task<CreatePlan> PlanCreateAsync(EksCluster cluster, Placement at, CancellationToken ct)
    {
        if (cluster.Spec.Version is { } version && await upgrade.UnofferedAsync(version, current: null, ct) is { } unoffered)
        {
            return new CreatePlan(null, new Outcome.Stall(ConditionReasons.InvalidSpec, unoffered, StallCause.Spec));
        }

        // Subnets a selector finds may be tagged later: looked at again, like any world the user fixes.
        var subnets = await clusters.ResolveSubnetsAsync(cluster.Spec.Vpc, ct);
        return subnets.Problem is { } problem
            ? new CreatePlan(null, new Outcome.Stall(ConditionReasons.InvalidSpec, problem, StallCause.World))
            : CreatePlan.Ready(subnets.SubnetIds);
    }

    public override string? GivenRole(EksCluster cluster) => cluster.Spec.RoleArn;

    public override OwnedRoleSpec OwnedRole(EksCluster cluster, Placement at) => OwnedRoleSpec.ClusterRole(at.ClusterName, autoMode: cluster.Spec.AutoMode?.Enabled == true);

    public override string? RecordedRole(EksCluster cluster) => cluster.Status?.RoleArn;

    public override void RecordRole(EksCluster cluster, string roleArn, bool owned)
    {
        var status = cluster.EnsureStatus();
        status.RoleArn = roleArn;
        if (owned) status.RoleCreated = true;
    }

    public override string? RoleOf(AwsCluster observed) => observed.RoleArn;

    public override async Task<AwsCluster> CreateAsync(EksCluster cluster, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct)
    {
        var subnets = (IReadOnlyList<string>)plan.Plan!;
        cluster.EnsureStatus().SubnetIds = [.. subnets];
        return await clusters.CreateAsync(new ClusterCreate(at.ClusterName, cluster.Spec, subnets, roleArn!, Claims.OwnerOf(cluster), AutoModeRoles.NodeRoleArn(cluster)), ct);
    }

    /// <summary>An Auto Mode cluster is created with its node role, which must exist first.</summary>
    public override Task<Outcome?> BeforeCreateAsync(EksCluster cluster, Placement at, CancellationToken ct) => autoModeRoles.EnsureAsync(cluster, at.ClusterName, ct);

    public override string CreatedText(EksCluster cluster, Placement at, AwsCluster created) =>
        $"CreateCluster sent for {at.ClusterName} (version {created.Version ?? "default"})";

    public override UpdateTarget UpdateTarget(EksCluster cluster, Placement at) => new(at.ClusterName);

    public override string RunningReason(EksCluster cluster) =>
        cluster.Status?.Upgrade is not null ? ConditionReasons.UpgradingControlPlane : ConditionReasons.Updating;

    public override string Doing(EksCluster cluster, Placement at) =>
        cluster.Status is { } status && status.ActiveUpdate?.Type == EksValues.UpdateTypes.VersionUpdate && status.Upgrade is { Step: { } step } running
            ? UpdateText.ControlPlaneStep(Minor.Previous(step), step, running.To ?? step)
            : UpdateText.Of(cluster.CommonStatus, at.Noun);

    public override IReadOnlyList<DriftEntry> ObservedDrift(EksCluster cluster, Placement at, AwsCluster observed)
    {
        var drift = new List<DriftEntry>();
        if (cluster.Spec.Version is { } version && version != observed.Version)
        {
            drift.Add(new DriftEntry { Field = "spec.version", Desired = version, Actual = observed.Version });
        }

        drift.AddRange(ClusterMapping.ImmutableDrift(cluster.Spec, observed, cluster.Spec.RoleArn, AutoModeRoles.NodeRoleArn(cluster)));
        return drift;
    }

    /// <summary>
    /// Upgrades come first: one minor per step, node groups that follow the cluster in between. Before Auto Mode is
    /// turned on (or its node pools change), its IAM roles are made ready.
    /// </summary>
    public override async Task<Outcome?> BeforeChangesAsync(EksCluster cluster, Placement at, AwsCluster observed, CancellationToken ct) =>
        await upgrade.NextStepAsync(cluster, at.ClusterName, observed, ct)
        ?? (clusters.ChangesFor(at.ClusterName, cluster.Spec, observed).Any(c => c.Field == "spec.autoMode") && cluster.Spec.AutoMode?.Enabled == true
            ? await autoModeRoles.EnsureAsync(cluster, at.ClusterName, ct)
            : null);

    public override IReadOnlyList<PlannedChange> Changes(EksCluster cluster, Placement at, AwsCluster observed) =>
        [.. clusters.ChangesFor(at.ClusterName, cluster.Spec, observed, AutoModeRoles.NodeRoleArn(cluster)).Select(change => PlannedChange.Tracked(
            [new DriftEntry { Field = change.Field, Desired = change.Desired, Actual = change.Actual }],
            ConditionReasons.Updating,
            token => clusters.ApplyAsync(change, token)))];

    /// <summary>The kubeconfig outputs and the IRSA OIDC provider; what EKS cannot change in place keeps the cluster from Ready until the spec is restored.</summary>
    public override async Task<AfterSync> AfterSyncAsync(EksCluster cluster, Placement at, AwsCluster observed, CancellationToken ct)
    {
        var drift = ClusterMapping.ImmutableDrift(cluster.Spec, observed, cluster.Spec.RoleArn, AutoModeRoles.NodeRoleArn(cluster));
        cluster.EnsureStatus().Drift = drift.Count > 0 ? [.. drift] : null;
        await kubeconfigs.WriteAsync(cluster, observed, ct);
        await oidcProvider.SyncAsync(cluster, ct);
        if (drift.Count > 0)
        {
            return new AfterSync(new Outcome.Stall(ConditionReasons.Drifted,
                $"EKS cannot change {string.Join(", ", drift.Select(d => d.Field))} in place (see status.drift); recreate the cluster or restore the previous value", StallCause.Spec));
        }

        return new AfterSync(LookAgainWithin: kubeconfigs.NeedsRefresh(cluster));
    }

    public override string ReadyDetail(AwsCluster observed) => $"at {observed.Version}";

    /// <summary>Node groups and Fargate profiles go first: their objects are deleted (no garbage collector needed) and waited for.</summary>
    public override Task<Outcome?> BeforeDeleteAsync(EksCluster cluster, CancellationToken ct) => children.DeleteFirstAsync(cluster, ct);

    public override async Task<Outcome?> BeforeAwsDeleteAsync(EksCluster cluster, Placement at, AwsCluster observed, CancellationToken ct)
    {
        if (observed.DeletionProtection == true)
        {
            if (cluster.Spec.DeletionProtection != false)
            {
                return new Outcome.Stall(ConditionReasons.DeletionBlocked,
                    $"EKS deletion protection is on for {at.Noun}; set spec.deletionProtection: false to let the operator turn it off and delete, or set spec.deletionPolicy: Retain to keep the cluster", StallCause.World);
            }

            const string turningOff = "Turning off EKS deletion protection before deleting the cluster";
            if (observed.Status == ClusterStatus.Active)
            {
                if (await updates.TrackAsync(cluster, UpdateTarget(cluster, at), ConditionReasons.Deleting, turningOff, ct) is { } tracking) return tracking;
                var update = await clusters.SetDeletionProtectionAsync(at.ClusterName, enabled: false, ct);
                UpdateTracker.Started(cluster, update);
                await events.RecordAsync(cluster, EventType.Normal, "UpdateStarted", $"turning off deletion protection of {at.ClusterName} before deleting it", ct);
            }

            return new Outcome.Progress(ConditionReasons.Deleting, $"turning off EKS deletion protection of {at.Noun} before deleting it");
        }

        var unmanaged = await clusters.ChildrenAsync(at.ClusterName, ct);
        return unmanaged.Count > 0
            ? new Outcome.Stall(ConditionReasons.DeletionBlocked,
                $"{at.Noun} still has AWS resources no object manages: {string.Join(", ", unmanaged)}; delete them in AWS or create objects for them with the {Annotations.Adopt} annotation", StallCause.World)
            : null;
    }

    public override Task DeleteAsync(EksCluster cluster, Placement at, AwsCluster observed, CancellationToken ct) => clusters.DeleteAsync(at.ClusterName, ct);

    public override string DeleteOperation => "DeleteCluster";

    public override async Task AfterGoneAsync(EksCluster cluster, Placement at, CancellationToken ct)
    {
        await autoModeRoles.DeleteAsync(cluster, at.ClusterName, ct);
        await oidcProvider.DeleteAsync(cluster, ct);
        await kubeconfigs.DeleteAsync(cluster, ct);
    }
}
