using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using AwsProfile = EksOperator.Aws.Eks.FargateProfile;
using EksFargateStatus = EksOperator.Aws.Eks.FargateProfileStatus;

namespace EksOperator.Controllers.Kinds.FargateProfiles;

/// <summary>
/// The FargateProfile adapter. EKS cannot change a profile: with updateStrategy Replace a new profile is created under
/// a new name and the old one deleted once the new one is ACTIVE (the replacement hook); otherwise a difference is
/// drift. EKS runs one Fargate create or delete per cluster at a time; a busy cluster (InUse) is waited for.
/// </summary>
internal sealed class FargateProfileKind(IEksFargateProfiles profiles, ClusterDependents dependents, OwnedRoles roles, IEventRecorder events) : AwsKind<FargateProfile, AwsProfile>
{
    private static string BaseName(FargateProfile fp) => fp.Spec.Name ?? fp.Metadata.Name;

    /// <summary>The AWS name of the current profile (after a replacement it is not the base name).</summary>
    private static string Current(FargateProfile fp) => fp.Status?.ProfileName ?? BaseName(fp);

    private static Entities.V1Alpha1.FargateProfileStatus StatusOf(FargateProfile fp) => fp.EnsureStatus();

    public override Task<Placed> PlaceAsync(FargateProfile fp, bool deleting, CancellationToken ct) =>
        dependents.PlaceAsync(fp, fp.Spec.ClusterRef, deleting, cluster => ($"Fargate profile {Current(fp)} on cluster {cluster}", $"Fargate profile {Current(fp)}"), ct);

    public override string? Inputs(FargateProfile fp) => dependents.Inputs(fp, fp.Spec.ClusterRef);

    public override async Task<AwsProfile?> ReadAsync(FargateProfile fp, Placement at, CancellationToken ct)
    {
        var current = Current(fp);
        var observed = await profiles.FindAsync(at.ClusterName, current, ct);
        if (observed is not null) StatusOf(fp).ProfileName = current;
        return observed;
    }

    public override AwsView View(AwsProfile observed) => new(observed.FargateProfileArn!, observed.Tags, observed.Status switch
    {
        EksFargateStatus.Creating => Lifecycle.Creating,
        EksFargateStatus.Deleting => Lifecycle.Deleting,
        EksFargateStatus.CreateFailed or EksFargateStatus.DeleteFailed => Lifecycle.Failed,
        _ => Lifecycle.Active,
    }, Wire(observed.Status), UpdateTracker.HealthText(observed.Health));

    public override void Observe(FargateProfile fp, AwsProfile observed)
    {
        var status = StatusOf(fp);
        status.Arn = observed.FargateProfileArn;
        status.AwsStatus = Wire(observed.Status);
        status.PodExecutionRoleArn = observed.PodExecutionRoleArn ?? status.PodExecutionRoleArn;
        status.Health = UpdateTracker.HealthOf(observed.Health);
        // A profile created before the hash was recorded: the hash of what EKS reports.
        status.SpecHash ??= profiles.ObservedHash(observed, fp.Spec);
    }

    public override Task<CreatePlan> PlanCreateAsync(FargateProfile fp, Placement at, CancellationToken ct) => Task.FromResult(CreatePlan.Ready());

    public override string? GivenRole(FargateProfile fp) => fp.Spec.PodExecutionRoleArn;

    public override OwnedRoleSpec OwnedRole(FargateProfile fp, Placement at) => OwnedRoleSpec.FargateRole(at.ClusterName, BaseName(fp));

    public override string? RecordedRole(FargateProfile fp) => fp.Status?.PodExecutionRoleArn;

    public override void RecordRole(FargateProfile fp, string roleArn, bool owned)
    {
        var status = StatusOf(fp);
        status.PodExecutionRoleArn = roleArn;
        if (owned) status.RoleCreated = true;
    }

    public override string? RoleOf(AwsProfile observed) => observed.PodExecutionRoleArn;

    public override Task<AwsProfile> CreateAsync(FargateProfile fp, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct) =>
        CreateNamedAsync(fp, at, Current(fp), roleArn!, ct);

    public override string CreatedText(FargateProfile fp, Placement at, AwsProfile created) => $"CreateFargateProfile sent for {Current(fp)} on {at.ClusterName}";

    public override IReadOnlyList<DriftEntry> ObservedDrift(FargateProfile fp, Placement at, AwsProfile observed) =>
        Differs(fp) is { } drift ? [drift] : [];

    /// <summary>The replacement hook: a replaced profile goes once its successor is ACTIVE; a changed spec makes a successor.</summary>
    public override async Task<Outcome?> BeforeChangesAsync(FargateProfile fp, Placement at, AwsProfile observed, CancellationToken ct)
    {
        var status = StatusOf(fp);
        if (status.ReplacedProfileName is { } old)
        {
            var previous = await profiles.FindAsync(at.ClusterName, old, ct);
            if (previous is not null)
            {
                if (previous.Status != EksFargateStatus.Deleting)
                {
                    await profiles.DeleteAsync(at.ClusterName, old, ct);
                    await events.RecordAsync(fp, EventType.Normal, "Replacing", $"deleting the replaced Fargate profile {old}", ct);
                }

                return new Outcome.Progress(ConditionReasons.Updating, $"deleting the replaced Fargate profile {old}");
            }

            status.ReplacedProfileName = null;
        }

        if (Differs(fp) is not { } drift) return null;
        var current = Current(fp);
        if (fp.Spec.UpdateStrategy != FargateUpdateStrategy.Replace)
        {
            status.Drift = [drift];
            return new Outcome.Drifted($"Fargate profile {current} differs from the spec and EKS cannot change it; set spec.updateStrategy: Replace to replace it");
        }

        var (roleArn, notOurs) = await roles.EnsureAsync(this, fp, at, ct);
        if (notOurs is not null) return notOurs;
        var newName = $"{BaseName(fp)}-{drift.Desired}";
        var replacement = await CreateNamedAsync(fp, at, newName, roleArn!, ct, drift.Desired);
        status.ReplacedProfileName = current;
        Observe(fp, replacement);
        return new Outcome.Progress(ConditionReasons.Updating, $"replacing Fargate profile {current} with {newName}",
            Event: new StepEvent("Replacing", $"creating Fargate profile {newName} to replace {current}"));
    }

    /// <summary>EKS has no profile updates: every difference is a replacement (the hook above).</summary>
    public override IReadOnlyList<PlannedChange> Changes(FargateProfile fp, Placement at, AwsProfile observed) => [];

    public override bool Retains(FargateProfile fp) => dependents.Retains(fp, fp.Spec.ClusterRef);

    /// <summary>One at a time, as EKS requires: the replaced profile first, then the current one.</summary>
    public override async Task<AwsProfile?> ReadForDeleteAsync(FargateProfile fp, Placement at, CancellationToken ct)
    {
        foreach (var name in new[] { fp.Status?.ReplacedProfileName, Current(fp) }.OfType<string>())
        {
            if (await profiles.FindAsync(at.ClusterName, name, ct) is { } observed && Claims.IsOurs(fp, View(observed))) return observed;
        }

        return null;
    }

    public override Task DeleteAsync(FargateProfile fp, Placement at, AwsProfile observed, CancellationToken ct) =>
        profiles.DeleteAsync(at.ClusterName, observed.FargateProfileName ?? Current(fp), ct);

    public override string DeleteOperation => "DeleteFargateProfile";

    /// <summary>The spec's hash when it differs from the one the current profile was made from, as drift; else null.</summary>
    private DriftEntry? Differs(FargateProfile fp)
    {
        var status = StatusOf(fp);
        var wanted = profiles.SpecHash(fp.Spec, fp.Spec.PodExecutionRoleArn ?? status.PodExecutionRoleArn ?? "");
        return wanted != status.SpecHash ? new DriftEntry { Field = "spec", Desired = wanted, Actual = status.SpecHash } : null;
    }

    private async Task<AwsProfile> CreateNamedAsync(FargateProfile fp, Placement at, string name, string roleArn, CancellationToken ct, string? hash = null)
    {
        hash ??= profiles.SpecHash(fp.Spec, roleArn);
        var created = await profiles.CreateAsync(new FargateCreate(at.ClusterName, name, fp.Spec, roleArn, Claims.OwnerOf(fp), hash), ct);
        var status = StatusOf(fp);
        status.ProfileName = name;
        status.SpecHash = hash;
        return created;
    }
}
