using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Roles;
using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Kinds.Addons;

/// <summary>
/// The Addon adapter: an EKS add-on on its cluster. spec.version is resolved for the cluster's minor (default,
/// latest, or checked when explicit), configuration values are checked against the version's schema before any call,
/// and one UpdateAddon at a time is followed to its end. Service accounts given policyArns get roles the operator
/// creates and deletes with the add-on.
/// </summary>
internal sealed class AddonKind(IEksAddons addons, ClusterDependents dependents, IRoleManager roles, LiveObjects live, WorkloadRolePolicy rolePolicy, IStore<Addon> siblings)
    : AwsKind<Addon, EksAddon>
{
    public static string AwsName(Addon addon) => addon.Spec.Name ?? addon.Metadata.Name;

    private static AddonStatus StatusOf(Addon addon) => addon.EnsureStatus();

    public override Task<Placed> PlaceAsync(Addon addon, bool deleting, CancellationToken ct) =>
        dependents.PlaceAsync(addon, addon.Spec.ClusterRef, deleting, cluster => ($"add-on {AwsName(addon)} on cluster {cluster}", $"add-on {AwsName(addon)}"), ct);

    public override string? Inputs(Addon addon) => dependents.Inputs(addon, addon.Spec.ClusterRef);

    /// <summary>
    /// The version for the cluster's current minor (recorded as status.targetVersion), the owned roles' policies, and
    /// the configuration and service accounts against that version: all before anything is sent to AWS.
    /// </summary>
    public override async Task<Outcome?> ValidateAsync(Addon addon, Placement at, CancellationToken ct)
    {
        var status = StatusOf(addon);
        var minor = at.Cluster!.Status!.Version!;
        var choice = await addons.ChooseVersionAsync(AwsName(addon), minor, addon.Spec.Version, ct);
        status.ResolvedFrom = choice.ResolvedFrom;
        status.CompatibleVersions = choice.Compatible.Count > 0 ? [.. choice.Compatible] : null;
        if (choice.Refusal is { } refusal) return new Outcome.Stall(ConditionReasons.InvalidSpec, refusal, StallCause.Spec);
        status.TargetVersion = choice.Version;
        status.KubernetesVersion = minor;

        var policies = (addon.Spec.PodIdentityAssociations ?? []).SelectMany(p => p.PolicyArns ?? []);
        if (rolePolicy.Refusal(policies, "spec.podIdentityAssociations", "name a role in roleArn") is { } notAllowed)
        {
            return new Outcome.Stall(ConditionReasons.InvalidSpec, notAllowed, StallCause.Spec);
        }

        var accounts = (addon.Spec.PodIdentityAssociations ?? []).Select(p => p.ServiceAccount).ToList();
        return await addons.ConfigurationProblemAsync(AwsName(addon), choice.Version!, addon.Spec.ConfigurationValues, accounts, ct) is { } problem
            ? new Outcome.Stall(ConditionReasons.InvalidSpec, problem, StallCause.Spec)
            : null;
    }

    public override Task<EksAddon?> ReadAsync(Addon addon, Placement at, CancellationToken ct) => addons.FindAsync(at.ClusterName, AwsName(addon), ct);

    public override AwsView View(EksAddon observed) => new(observed.AddonArn!, observed.Tags, observed.Status switch
    {
        "CREATING" => Lifecycle.Creating,
        "UPDATING" => Lifecycle.Updating,
        "DELETING" => Lifecycle.Deleting,
        "CREATE_FAILED" or "UPDATE_FAILED" or "DELETE_FAILED" or "DEGRADED" => Lifecycle.Failed,
        _ => Lifecycle.Active,
    }, observed.Status ?? "", UpdateTracker.HealthText(observed.Health));

    public override void Observe(Addon addon, EksAddon observed)
    {
        var status = StatusOf(addon);
        status.Arn = observed.AddonArn;
        status.AwsStatus = observed.Status;
        status.Version = observed.AddonVersion;
        status.Health = UpdateTracker.HealthOf(observed.Health);
        status.PodIdentityAssociationArns = observed.PodIdentityAssociations is { Count: > 0 } arns ? [.. arns] : null;
    }

    /// <summary>
    /// The owned roles come first, and only once the finalizer is on (the loop writes it after this plan and ends that
    /// pass, so nothing in AWS exists without it).
    /// </summary>
    public override async Task<CreatePlan> PlanCreateAsync(Addon addon, Placement at, CancellationToken ct)
    {
        if (addon.Metadata.Finalizers?.Contains(OperatorApi.Finalizer) != true) return CreatePlan.Ready();
        return await EnsureRolesAsync(addon, at, ct) is { } refused ? new CreatePlan(null, refused) : CreatePlan.Ready();
    }

    public override async Task<EksAddon> CreateAsync(Addon addon, Placement at, CreatePlan plan, string? roleArn, CancellationToken ct)
    {
        var wanted = Wanted(addon);
        var created = await addons.CreateAsync(at.ClusterName, wanted, Claims.OwnerOf(addon), addon.Spec.Tags, ct);
        RecordSent(addon, wanted);
        return created;
    }

    public override string CreatedText(Addon addon, Placement at, EksAddon created) =>
        $"CreateAddon sent for {AwsName(addon)} on {at.ClusterName} ({created.AddonVersion ?? StatusOf(addon).TargetVersion}, {StatusOf(addon).ResolvedFrom})";

    public override UpdateTarget UpdateTarget(Addon addon, Placement at) => new(at.ClusterName, AddonName: AwsName(addon));

    /// <summary>A service account newly given policyArns (or new policies) gets its owned role before the update that names it.</summary>
    public override async Task<Outcome?> BeforeChangesAsync(Addon addon, Placement at, EksAddon observed, CancellationToken ct)
    {
        if (StatusOf(addon).TargetVersion is { } target && target != observed.AddonVersion && CoreFirst(addon, at) is { Count: > 0 } core)
        {
            return new Outcome.Progress(ConditionReasons.Updating,
                $"Waiting for the core add-ons ({string.Join(", ", core)}) of cluster {at.ClusterName} to reach its new minor before {at.Noun} moves to {target}", Wait.ForDependency);
        }

        var owned = StatusOf(addon).OwnedRoles ?? [];
        var missing = (addon.Spec.PodIdentityAssociations ?? []).Any(p => p.PolicyArns is { Count: > 0 } && !owned.Any(r => r.ServiceAccount == p.ServiceAccount));
        if (!missing) return null;
        return await EnsureRolesAsync(addon, at, ct)
            ?? new Outcome.Progress(ConditionReasons.Updating, $"Created the owned Pod Identity roles of {at.Noun}", Wait.Briefly);
    }

    /// <summary>In an upgrade, the add-ons the cluster needs first (networking, DNS, the proxy) move before the rest.</summary>
    private IReadOnlyList<string> CoreFirst(Addon addon, Placement at) =>
        Clusters.ClusterUpgrade.CoreAddonsFirst(addon, at.Cluster!,
            siblings.ByIndex(ClusterIndex.Name, ClusterIndex.KeyOf(at.Cluster!.Metadata.NamespaceProperty ?? "", at.Cluster.Metadata.Name)).Where(a => a.Metadata.DeletionTimestamp is null));

    public override IReadOnlyList<PlannedChange> Changes(Addon addon, Placement at, EksAddon observed)
    {
        if (StatusOf(addon).TargetVersion is null) return [];
        var wanted = Wanted(addon);
        return addons.ChangeFor(wanted, observed, Sent(addon)) is { } change
            ? [PlannedChange.Tracked(change.Drift, ConditionReasons.Updating, async token =>
            {
                var update = await addons.ApplyAsync(at.ClusterName, AwsName(addon), change, token);
                RecordSent(addon, wanted);
                return update;
            })]
            : [];
    }

    public override string ReadyDetail(EksAddon observed) => $"at {observed.AddonVersion}";

    public override bool Retains(Addon addon) => dependents.Retains(addon, addon.Spec.ClusterRef);

    public override Task DeleteAsync(Addon addon, Placement at, EksAddon observed, CancellationToken ct) =>
        addons.DeleteAsync(at.ClusterName, AwsName(addon), addon.Spec.PreserveOnDelete == true, ct);

    public override string DeleteOperation => "DeleteAddon";

    /// <summary>The owned roles go after the add-on (their associations went with it): those recorded, and those the spec names.</summary>
    public override async Task AfterGoneAsync(Addon addon, Placement at, CancellationToken ct)
    {
        var names = (StatusOf(addon).OwnedRoles ?? []).Select(r => r.RoleArn[(r.RoleArn.LastIndexOf('/') + 1)..])
            .Concat(OwnedRoles(addon, at).Select(r => r.Spec.Name)).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            await roles.DeleteAsync(new OwnedRoleSpec(name, "pods.eks.amazonaws.com", []), Claims.OwnerOf(addon), ct);
        }
    }

    /// <summary>What is sent to EKS: the resolved version and, per service account, the given or owned role (one not yet created is left out).</summary>
    private static AddonWanted Wanted(Addon addon)
    {
        var owned = StatusOf(addon).OwnedRoles ?? [];
        var associations = (addon.Spec.PodIdentityAssociations ?? [])
            .Select(p => (p.ServiceAccount, Role: p.RoleArn ?? owned.FirstOrDefault(r => r.ServiceAccount == p.ServiceAccount)?.RoleArn))
            .Where(p => p.Role is not null)
            .Select(p => new AddonPodIdentityAssociationBody(p.ServiceAccount, p.Role!))
            .ToList();
        return new AddonWanted(AwsName(addon), StatusOf(addon).TargetVersion!, addon.Spec.ConfigurationValues, addon.Spec.ServiceAccountRoleArn, associations,
            addon.Spec.ResolveConflicts ?? AddonResolveConflicts.Overwrite);
    }

    /// <summary>What was last sent for the owned associations; null before anything was.</summary>
    private static IReadOnlyList<AddonPodIdentityAssociationBody>? Sent(Addon addon) =>
        StatusOf(addon).PodIdentityRoles is { } sent ? [.. sent.Select(r => new AddonPodIdentityAssociationBody(r.ServiceAccount, r.RoleArn))] : null;

    private static void RecordSent(Addon addon, AddonWanted wanted) =>
        StatusOf(addon).PodIdentityRoles = wanted.PodIdentity.Count > 0
            ? [.. wanted.PodIdentity.Select(p => new AddonPodIdentityRole { ServiceAccount = p.ServiceAccount, RoleArn = p.RoleArn })]
            : null;

    private IEnumerable<(string ServiceAccount, OwnedRoleSpec Spec)> OwnedRoles(Addon addon, Placement at) =>
        (addon.Spec.PodIdentityAssociations ?? []).Where(p => p.PolicyArns is { Count: > 0 })
            .Select(p => (p.ServiceAccount, rolePolicy.AddonRoleFor(at.ClusterName, AwsName(addon), p.ServiceAccount, [.. p.PolicyArns!])));

    /// <summary>Creates (or completes) the owned roles and records them; a role of that name owned by someone else is a refusal.</summary>
    private async Task<Outcome?> EnsureRolesAsync(Addon addon, Placement at, CancellationToken ct)
    {
        var status = StatusOf(addon);
        var recorded = (status.OwnedRoles ?? []).ToList();
        foreach (var (serviceAccount, spec) in OwnedRoles(addon, at))
        {
            var role = await roles.EnsureAsync(spec, Claims.OwnerOf(addon), live.AdoptionFor(addon), ct);
            if (role.Outcome == RoleOutcome.NotOurs) return new Outcome.Stall(ConditionReasons.AlreadyExists, role.Message!, StallCause.World);
            recorded.RemoveAll(r => r.ServiceAccount == serviceAccount);
            recorded.Add(new AddonPodIdentityRole { ServiceAccount = serviceAccount, RoleArn = role.Arn! });
        }

        status.OwnedRoles = recorded.Count > 0 ? recorded : null;
        return null;
    }
}
