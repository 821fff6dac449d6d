using EksOperator.Aws;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using AwsProfile = EksOperator.Aws.Eks.FargateProfile;
using EksFargateStatus = EksOperator.Aws.Eks.FargateProfileStatus;

namespace EksOperator.Controllers;

/// <summary>
/// Drives an EKS Fargate profile to its FargateProfile. Profiles cannot change: with updateStrategy Replace a new
/// profile is created and the old one deleted once the new one is ACTIVE. EKS runs one Fargate create or delete per
/// cluster at a time; a busy cluster (ResourceInUse) is waited for.
/// </summary>
internal sealed class FargateProfileReconciler(
    IStore<Entities.V1Alpha1.FargateProfile> profiles,
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
    ReconcilePass pass) : IReconciler<Entities.V1Alpha1.FargateProfile>
{
    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
        pass.RunAsync(profiles, key, ReconcileCoreAsync, cancellationToken, o => dependents.ClusterInputs(o, o.Spec.ClusterRef));

    private async Task<ReconcileResult> ReconcileCoreAsync(Entities.V1Alpha1.FargateProfile fp, CancellationToken ct)
    {
        var status = fp.Status ??= new Entities.V1Alpha1.FargateProfileStatus();
        try
        {
            return fp.Metadata.DeletionTimestamp is not null ? await DeleteAsync(fp, status, ct) : await ApplyAsync(fp, status, ct);
        }
        catch (AwsApiException error) when (error.Kind == AwsErrorKind.InUse)
        {
            conditions.Progressing(fp, ConditionReasons.Updating, $"waiting: another Fargate profile on the cluster is being created or deleted ({error.Message})");
            return polling.WhileChanging(fp);
        }
        catch (AwsApiException error)
        {
            return failures.Handle(fp, error);
        }
    }

    private async Task<ReconcileResult> ApplyAsync(Entities.V1Alpha1.FargateProfile fp, Entities.V1Alpha1.FargateProfileStatus status, CancellationToken ct)
    {
        var baseName = fp.Spec.Name ?? fp.Metadata.Name;
        var owner = Dependents.OwnerOf(fp);
        var lookup = await dependents.ActiveClusterAsync(fp, fp.Spec.ClusterRef, ct);
        if (lookup.Active is not { } cluster)
        {
            // As for node roles: the pod execution role is created while EKS creates the cluster, so it has propagated.
            if (status.PodExecutionRoleArn is null && !Polling.IsObserveOnly(fp) && dependents.ClusterBeingCreated(fp, fp.Spec.ClusterRef) is { } creating)
            {
                if (await finalizers.EnsureAsync(fp, OperatorApi.Finalizer, ct)) return ReconcileResult.Done;
                status.ClusterName = Dependents.ClusterAwsName(creating); // deletion finds the role by it
                if (await RoleAsync(fp, status, status.ClusterName, baseName, owner, ct) is null) return polling.AfterStall;
            }

            return lookup.Requeue ?? ReconcileResult.Done;
        }

        var clusterName = Dependents.ClusterAwsName(cluster);
        status.ClusterName = clusterName;
        var current = status.ProfileName ?? baseName;
        var observed = await eks.DescribeFargateProfileAsync(clusterName, current, ct);

        if (observed is null)
        {
            if (Polling.IsObserveOnly(fp))
            {
                conditions.Stalled(fp, ConditionReasons.AwsError, $"Fargate profile {current} does not exist on cluster {clusterName}; managementPolicy ObserveOnly never creates it");
                return polling.AfterStall;
            }

            if (await finalizers.EnsureAsync(fp, OperatorApi.Finalizer, ct)) return ReconcileResult.Done;
            var roleArn = await RoleAsync(fp, status, clusterName, baseName, owner, ct);
            if (roleArn is null) return polling.AfterStall;
            var hash = FargateMapping.SpecHash(fp.Spec, roleArn);
            var created = await eks.CreateFargateProfileAsync(FargateMapping.ToCreateRequest(clusterName, current, fp.Spec, roleArn, owner, hash), ct);
            status.ProfileName = current;
            status.SpecHash = hash;
            Observe(status, created);
            await events.RecordAsync(fp, EventType.Normal, "Creating", $"CreateFargateProfile sent for {current} on {clusterName}", ct);
            conditions.Progressing(fp, ConditionReasons.Creating, $"EKS is creating Fargate profile {current}");
            return polling.WhileChanging(fp);
        }

        var ownedRole = fp.Spec.PodExecutionRoleArn is null && OwnedRoleSpec.FargateRole(clusterName, baseName).Name is var roleName
            && observed.PodExecutionRoleArn?.EndsWith("/" + roleName, StringComparison.Ordinal) == true ? roleName : null;
        if (await guard.ClaimAsync(fp, $"Fargate profile {current} on cluster {clusterName}", observed.FargateProfileArn!, observed.Tags, ownedRole, ct) is { } claimed) return claimed;
        status.ProfileName = current;
        Observe(status, observed);
        switch (observed.Status)
        {
            case EksFargateStatus.Creating:
                conditions.Progressing(fp, ConditionReasons.Creating, $"EKS is creating Fargate profile {current}");
                return polling.WhileChanging(fp);
            case EksFargateStatus.Deleting:
                conditions.Progressing(fp, ConditionReasons.Deleting, $"EKS is deleting Fargate profile {current}");
                return polling.WhileChanging(fp);
            case EksFargateStatus.CreateFailed or EksFargateStatus.DeleteFailed:
                conditions.Stalled(fp, ConditionReasons.AwsError, $"EKS reports Fargate profile {current} {AwsResourceGuard.Wire(observed.Status)}: {AwsResourceGuard.HealthText(observed.Health)}");
                return polling.AfterStall;
        }

        // A replaced profile goes once its successor is ACTIVE.
        if (status.ReplacedProfileName is { } old)
        {
            var previous = await eks.DescribeFargateProfileAsync(clusterName, old, ct);
            if (previous is not null)
            {
                if (previous.Status != EksFargateStatus.Deleting && !Polling.IsObserveOnly(fp))
                {
                    await eks.DeleteFargateProfileAsync(clusterName, old, ct);
                    await events.RecordAsync(fp, EventType.Normal, "Replacing", $"deleting the replaced Fargate profile {old}", ct);
                }

                conditions.Progressing(fp, ConditionReasons.Updating, $"deleting the replaced Fargate profile {old}");
                return polling.WhileChanging(fp);
            }

            status.ReplacedProfileName = null;
        }

        var wantedRole = fp.Spec.PodExecutionRoleArn ?? status.PodExecutionRoleArn ?? "";
        var wanted = FargateMapping.SpecHash(fp.Spec, wantedRole);
        status.SpecHash ??= FargateMapping.SpecHash(ToSpec(observed, fp.Spec), observed.PodExecutionRoleArn ?? "");
        if (wanted != status.SpecHash)
        {
            if (Polling.IsObserveOnly(fp) || fp.Spec.UpdateStrategy != FargateUpdateStrategy.Replace)
            {
                status.Drift = [new DriftEntry { Field = "spec", Desired = wanted, Actual = status.SpecHash }];
                conditions.Drifted(fp, $"Fargate profile {current} differs from the spec and EKS cannot change it; set spec.updateStrategy: Replace to replace it");
                return polling.Resync;
            }

            var newName = $"{baseName}-{wanted}";
            var roleArn = await RoleAsync(fp, status, clusterName, baseName, owner, ct);
            if (roleArn is null) return polling.AfterStall;
            var replacement = await eks.CreateFargateProfileAsync(FargateMapping.ToCreateRequest(clusterName, newName, fp.Spec, roleArn, owner, wanted), ct);
            status.ReplacedProfileName = current;
            status.ProfileName = newName;
            status.SpecHash = wanted;
            Observe(status, replacement);
            await events.RecordAsync(fp, EventType.Normal, "Replacing", $"creating Fargate profile {newName} to replace {current}", ct);
            conditions.Progressing(fp, ConditionReasons.Updating, $"replacing Fargate profile {current} with {newName}");
            return polling.WhileChanging(fp);
        }

        if (!Polling.IsObserveOnly(fp))
        {
            var tags = TagDiff.Between(owner.TagsWith(fp.Spec.Tags), observed.Tags);
            if (tags.ToSet.Count > 0) await eks.TagResourceAsync(observed.FargateProfileArn!, tags.ToSet, ct);
            if (tags.ToRemove.Count > 0) await eks.UntagResourceAsync(observed.FargateProfileArn!, tags.ToRemove, ct);
        }

        status.Drift = null;
        if (conditions.Ready(fp, ConditionReasons.Available, $"Fargate profile {current} is ACTIVE and matches the spec"))
        {
            await events.RecordAsync(fp, EventType.Normal, "Ready", $"Fargate profile {current} is ACTIVE", ct);
        }

        return polling.Resync;
    }

    private async Task<string?> RoleAsync(Entities.V1Alpha1.FargateProfile fp, Entities.V1Alpha1.FargateProfileStatus status, string clusterName, string baseName, Owner owner, CancellationToken ct)
    {
        if (fp.Spec.PodExecutionRoleArn is { } given)
        {
            status.PodExecutionRoleArn = given;
            return given;
        }

        var role = await roles.EnsureAsync(OwnedRoleSpec.FargateRole(clusterName, baseName), owner, live.AdoptionFor(fp), ct);
        if (role.Outcome == RoleOutcome.NotOurs)
        {
            conditions.Stalled(fp, ConditionReasons.AlreadyExists, role.Message!);
            return null;
        }

        status.RoleCreated = true;
        status.PodExecutionRoleArn = role.Arn;
        return role.Arn;
    }

    private async Task<ReconcileResult> DeleteAsync(Entities.V1Alpha1.FargateProfile fp, Entities.V1Alpha1.FargateProfileStatus status, CancellationToken ct)
    {
        if (fp.Metadata.Finalizers?.Contains(OperatorApi.Finalizer) != true) return ReconcileResult.Done;
        var owner = Dependents.OwnerOf(fp);
        var baseName = fp.Spec.Name ?? fp.Metadata.Name;
        var retains = dependents.Retains(fp, fp.Spec.ClusterRef);
        if (retains && !Polling.IsObserveOnly(fp) && dependents.ClusterAwsNameForDelete(fp, fp.Spec.ClusterRef, status.ClusterName) is { } retainedOn)
        {
            await guard.ReleaseAsync(fp, $"Fargate profile {status.ProfileName ?? baseName} on cluster {retainedOn}", status.Arn,
                fp.Spec.PodExecutionRoleArn is null ? OwnedRoleSpec.FargateRole(retainedOn, baseName).Name : null, ct);
        }
        else if (!retains && !Polling.IsObserveOnly(fp) && dependents.ClusterAwsNameForDelete(fp, fp.Spec.ClusterRef, status.ClusterName) is { } clusterName)
        {
            // One at a time, as EKS requires: the replaced profile first, then the current one.
            foreach (var name in new[] { status.ReplacedProfileName, status.ProfileName ?? baseName }.OfType<string>())
            {
                var observed = await eks.DescribeFargateProfileAsync(clusterName, name, ct);
                if (observed is null || !OwnershipCheck.IsOwnedBy(observed.Tags, owner.Uid)) continue;
                if (observed.Status != EksFargateStatus.Deleting)
                {
                    await eks.DeleteFargateProfileAsync(clusterName, name, ct);
                    await events.RecordAsync(fp, EventType.Normal, "Deleting", $"DeleteFargateProfile sent for {name}", ct);
                }

                conditions.Progressing(fp, ConditionReasons.Deleting, $"EKS is deleting Fargate profile {name}");
                return polling.WhileChanging(fp);
            }

            if (fp.Spec.PodExecutionRoleArn is null) await roles.DeleteAsync(OwnedRoleSpec.FargateRole(clusterName, baseName), owner, ct);
            await events.RecordAsync(fp, EventType.Normal, "Deleted", $"Fargate profile {status.ProfileName ?? baseName} is deleted", ct);
        }

        await finalizers.RemoveAsync(fp, OperatorApi.Finalizer, CancellationToken.None);
        return ReconcileResult.Done;
    }

    private static FargateProfileSpec ToSpec(AwsProfile observed, FargateProfileSpec template) => new()
    {
        ClusterRef = template.ClusterRef,
        SubnetIds = observed.Subnets?.ToList() ?? [],
        Selectors = [.. (observed.Selectors ?? []).Select(s => new FargateSelector { Namespace = s.Namespace ?? "", Labels = s.Labels?.ToDictionary(l => l.Key, l => l.Value) })],
    };

    private static void Observe(Entities.V1Alpha1.FargateProfileStatus status, AwsProfile observed)
    {
        status.Arn = observed.FargateProfileArn;
        status.AwsStatus = AwsResourceGuard.Wire(observed.Status);
        status.PodExecutionRoleArn = observed.PodExecutionRoleArn ?? status.PodExecutionRoleArn;
        status.Health = AwsResourceGuard.HealthOf(observed.Health);
    }
}
