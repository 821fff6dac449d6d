namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// The Pod Identity associations an add-on owns (reference §1.8, §1.9): real associations in the cluster's store with
/// ownerArn = the add-on's ARN, in the add-on's namespace. When they appear:
/// <list type="bullet">
/// <item>CreateAddon: at acceptance, so the CreateAddon response already lists their ARNs; a bad role fails the call
/// before the add-on exists.</item>
/// <item>UpdateAddon: checked at acceptance, applied when the AddonUpdate turns Successful, like the update's other values.</item>
/// <item>The add-on goes (DELETING ends): deleted unless DeleteAddon had preserve=true; preserved ones keep their ownerArn.</item>
/// </list>
/// DescribeAddon's podIdentityAssociations is read from the store, so the two cannot disagree.
/// </summary>
internal sealed partial class EksService
{
    /// <summary>namespaceConfig.namespace, else the catalogue's default namespace (kube-system for the core add-ons).</summary>
    private string AddonNamespace(Addon addon) => addon.Namespace ?? world.Addons.Find(addon.Name)?.DefaultNamespace ?? "kube-system";

    private IEnumerable<PodIdentityAssociation> OwnedAssociations(Addon addon) =>
        world.Clusters.TryGetValue(addon.ClusterName, out var c) ? c.PodIdentityAssociations.Values.Where(a => a.OwnerArn == addon.Arn) : [];

    /// <summary>CreateAddon: creates them all or none, with the CreatePodIdentityAssociation errors (plus addonName).</summary>
    private void CreateAddonAssociations(Cluster c, Addon addon, IReadOnlyList<AddonPodIdentityRequest> requests)
    {
        try
        {
            foreach (var r in requests)
            {
                CreateOwnedPodIdentityAssociation(c.Name, AddonNamespace(addon), r.ServiceAccount, r.RoleArn, addon.Arn);
            }
        }
        catch (AwsErrorException e)
        {
            // The add-on was never stored, so everything it owns was created by this call.
            DeleteOwnedPodIdentityAssociations(c.Name, addon.Arn);
            throw ForAddon(e, addon, requests);
        }
    }

    /// <summary>
    /// UpdateAddon, at acceptance: what <see cref="ReplaceAddonAssociations"/> will need, so that a bad role or a taken
    /// service account is refused synchronously, as on CreateAddon.
    /// </summary>
    private void CheckAddonAssociations(Cluster c, Addon addon, IReadOnlyList<AddonPodIdentityRequest> requests)
    {
        try
        {
            var ns = AddonNamespace(addon);
            var owned = OwnedAssociations(addon).ToList();
            foreach (var r in requests)
            {
                var kept = owned.Find(a => a.ServiceAccount == r.ServiceAccount);
                if (kept is null && c.PodIdentityAssociations.Values.FirstOrDefault(a => a.Namespace == ns && a.ServiceAccount == r.ServiceAccount) is { } taken)
                {
                    // Add-ons cannot take over an association they do not own (UG add-ons-iam).
                    throw AwsErrorException.InUse($"Association already exists: {taken.Id}", c.Name);
                }

                if (kept is null || kept.RoleArn != r.RoleArn)
                {
                    CheckPodIdentityRole(r.RoleArn, c.Name);
                }
            }
        }
        catch (AwsErrorException e)
        {
            throw ForAddon(e, addon, requests);
        }
    }

    /// <summary>
    /// UpdateAddon, when the update succeeds: <paramref name="requests"/> become the owned set. A kept service account's
    /// association is updated in place (same id, new role); the others are created or deleted; [] deletes them all.
    /// All or nothing: an error (a role deleted meanwhile, the service account taken meanwhile) leaves the set as it was.
    /// </summary>
    private void ReplaceAddonAssociations(Cluster c, Addon addon, IReadOnlyList<AddonPodIdentityRequest> requests)
    {
        var owned = OwnedAssociations(addon).ToList();
        var changed = requests
            .Select(r => (Request: r, Kept: owned.Find(a => a.ServiceAccount == r.ServiceAccount)))
            .Where(x => x.Kept is not null && x.Kept.RoleArn != x.Request.RoleArn)
            .ToList();
        var created = new List<PodIdentityAssociation>();
        try
        {
            foreach (var (r, _) in changed)
            {
                CheckPodIdentityRole(r.RoleArn, c.Name);
            }

            foreach (var r in requests.Where(r => !owned.Exists(a => a.ServiceAccount == r.ServiceAccount)))
            {
                created.Add(CreateOwnedPodIdentityAssociation(c.Name, AddonNamespace(addon), r.ServiceAccount, r.RoleArn, addon.Arn));
            }
        }
        catch (AwsErrorException e)
        {
            foreach (var a in created)
            {
                c.PodIdentityAssociations.Remove(a.Id);
            }

            throw ForAddon(e, addon, requests);
        }

        foreach (var (r, kept) in changed)
        {
            kept!.RoleArn = r.RoleArn;
            kept.ModifiedAt = world.Now;
        }

        foreach (var gone in owned.Where(a => !requests.Any(r => r.ServiceAccount == a.ServiceAccount)))
        {
            c.PodIdentityAssociations.Remove(gone.Id);
        }
    }

    /// <summary>DeleteAddon: what happens to the owned associations when DELETING ends (preserve is read then).</summary>
    private void ReleaseAddonAssociationsOnRemoval(Cluster c, Addon addon) =>
        addon.Removed = () =>
        {
            // A cluster being deleted takes its whole store with it; preserved associations keep their ownerArn.
            if (!addon.Preserve && world.Clusters.ContainsKey(c.Name))
            {
                DeleteOwnedPodIdentityAssociations(c.Name, addon.Arn);
            }
        };

    /// <summary>Add-on errors carry addonName (§1.11); the service accounts are the resources an update failure names.</summary>
    private static AwsErrorException ForAddon(AwsErrorException e, Addon addon, IReadOnlyList<AddonPodIdentityRequest> requests) =>
        new(e.Status, e.Code, e.Message)
        {
            ClusterName = addon.ClusterName,
            AddonName = addon.Name,
            ResourceIds = [.. requests.Select(r => r.ServiceAccount)],
        };
}
