using System.Collections.Concurrent;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Mapping;

namespace EksOperator.Aws.Roles;

/// <summary>What happened when the operator made sure its role exists.</summary>
public enum RoleOutcome
{
    /// <summary>The role exists, is ours, and has its policies.</summary>
    Ready,

    /// <summary>A role of that name exists and belongs to another object or to nobody (and adoption was not asked).</summary>
    NotOurs,
}

public sealed record RoleResult(RoleOutcome Outcome, string? Arn, string? Message);

/// <summary>Creates, completes and deletes the IAM roles the operator owns.</summary>
public interface IRoleManager
{
    /// <summary>
    /// Makes sure the role exists with its trust and policies, tagged for <paramref name="owner"/>. Creates or attaches at
    /// most what is missing, so it is safe to call on every pass.
    /// </summary>
    Task<RoleResult> EnsureAsync(OwnedRoleSpec role, Owner owner, Adoption adoption, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the role as released (deletionPolicy Retain left it with the resource that uses it), so that a later
    /// owner can reclaim it; does nothing when it is gone or not <paramref name="owner"/>'s.
    /// </summary>
    Task ReleaseAsync(string roleName, Owner owner, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the role back for <paramref name="owner"/> when its tags name an owner that is gone (released by Retain,
    /// or an earlier incarnation of the same object); never touches an untagged role or a live owner's. True when the
    /// role is now <paramref name="owner"/>'s.
    /// </summary>
    Task<bool> ReclaimAsync(string roleName, Owner owner, Func<string, bool> ownerIsLive, CancellationToken cancellationToken);

    /// <summary>
    /// Detaches the policies and deletes the role, under its name and any former name, where it exists and is tagged for
    /// <paramref name="owner"/>; true once gone.
    /// </summary>
    Task<bool> DeleteAsync(OwnedRoleSpec role, Owner owner, CancellationToken cancellationToken);
}

/// <remarks>
/// A role this process has just created or checked is not read again for <see cref="RecentlyEnsured"/>: the resource
/// that needs it is usually retried a few seconds later (EKS refuses a role until IAM has propagated it), and reading
/// the role and its policies on each retry would cost two IAM reads for nothing.
/// </remarks>
internal sealed class RoleManager(IIamApi iam, TimeProvider time) : IRoleManager
{
    internal static readonly TimeSpan RecentlyEnsured = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (string OwnerUid, string Arn, string Policies, DateTimeOffset At)> _ensured = new(StringComparer.Ordinal);

    public async Task<RoleResult> EnsureAsync(OwnedRoleSpec role, Owner owner, Adoption adoption, CancellationToken cancellationToken)
    {
        var policies = string.Join('\n', role.ManagedPolicyArns.Order(StringComparer.Ordinal).Concat(role.TrustedActions));
        if (_ensured.TryGetValue(role.Name, out var known) && known.OwnerUid == owner.Uid && known.Policies == policies
            && time.GetUtcNow() - known.At < RecentlyEnsured)
        {
            return new RoleResult(RoleOutcome.Ready, known.Arn, null);
        }

        var name = role.Name;
        var existing = await iam.GetRoleAsync(name, cancellationToken);
        if (existing is null && await FormerRoleAsync(role, owner, cancellationToken) is { } former)
        {
            // Made by an earlier operator version under its old name, and in use: keep it rather than make a second one.
            (name, existing) = (former.RoleName, former);
        }

        var created = false;
        if (existing is null)
        {
            try
            {
                existing = await iam.CreateRoleAsync(new CreateRoleRequest
                {
                    RoleName = name,
                    AssumeRolePolicyDocument = role.TrustPolicy,
                    Description = $"Created by eks-operator for {owner.Namespace}/{owner.Name}",
                    PermissionsBoundary = role.PermissionsBoundaryArn,
                    Tags = owner.OwnershipTags,
                }, cancellationToken);
                created = true;
            }
            catch (AwsApiException e) when (e.Kind == AwsErrorKind.AlreadyExists)
            {
                // Created by a pass that crashed before it could record it: read it back and continue.
                existing = await iam.GetRoleAsync(name, cancellationToken);
                if (existing is null) throw;
            }
        }

        switch (OwnershipCheck.Of(existing.Tags, owner, adoption.OwnerIsLive))
        {
            case Ownership.OtherObject:
                return new RoleResult(RoleOutcome.NotOurs, existing.Arn,
                    $"IAM role {name} belongs to {OwnershipCheck.Describe(existing.Tags)}; name a role in the spec or delete that object");
            case Ownership.Unowned when !adoption.Requested:
                return new RoleResult(RoleOutcome.NotOurs, existing.Arn,
                    $"IAM role {name} exists and is not managed by eks-operator; name it in the spec, delete it, or set the eks.operator.dev/adopt annotation");
            case Ownership.Reclaimable when !adoption.Requested:
                return new RoleResult(RoleOutcome.NotOurs, existing.Arn,
                    $"IAM role {name} was left by {OwnershipCheck.Describe(existing.Tags)}, which no longer exists; set the eks.operator.dev/adopt annotation to take it back, or name a role in the spec");
            case Ownership.Unowned or Ownership.Reclaimable:
                await TakeAsync(existing, owner, cancellationToken);
                break;
        }

        // A role made for fewer trusted actions (a cluster role before Auto Mode lets EKS tag sessions) gets the full trust.
        if (!created && existing.AssumeRolePolicyDocument is { } trust && role.TrustedActions.Any(a => !trust.Contains($"\"{a}\"", StringComparison.Ordinal)))
        {
            await iam.UpdateAssumeRolePolicyAsync(name, role.TrustPolicy, cancellationToken);
        }

        // A role created just now has no policies: no need to list them.
        var attached = created ? new HashSet<string>(StringComparer.Ordinal) : await AttachedAsync(name, cancellationToken);
        foreach (var policy in role.ManagedPolicyArns.Where(p => !attached.Contains(p)))
        {
            await iam.AttachRolePolicyAsync(name, policy, cancellationToken);
        }

        if (role.DetachUnlisted)
        {
            foreach (var policy in attached.Where(p => !role.ManagedPolicyArns.Contains(p)).Order(StringComparer.Ordinal))
            {
                await iam.DetachRolePolicyAsync(name, policy, cancellationToken);
            }
        }

        _ensured[role.Name] = (owner.Uid, existing.Arn, policies, time.GetUtcNow());
        return new RoleResult(RoleOutcome.Ready, existing.Arn, null);
    }

    public async Task<bool> DeleteAsync(OwnedRoleSpec role, Owner owner, CancellationToken cancellationToken)
    {
        _ensured.TryRemove(role.Name, out _);
        foreach (var name in role.AllNames)
        {
            await DeleteIfOursAsync(name, owner, cancellationToken);
        }

        return true;
    }

    /// <summary>The role under a former name, if it exists and is this owner's (anyone else's is none of our business).</summary>
    private async Task<IamRole?> FormerRoleAsync(OwnedRoleSpec role, Owner owner, CancellationToken cancellationToken)
    {
        foreach (var former in role.FormerNames)
        {
            if (await iam.GetRoleAsync(former, cancellationToken) is { } found && OwnershipCheck.IsOwnedBy(found.Tags, owner.Uid))
            {
                return found;
            }
        }

        return null;
    }

    private async Task DeleteIfOursAsync(string roleName, Owner owner, CancellationToken cancellationToken)
    {
        var existing = await iam.GetRoleAsync(roleName, cancellationToken);
        if (existing is null || !OwnershipCheck.IsOwnedBy(existing.Tags, owner.Uid)) return; // gone, or not ours to delete

        foreach (var policy in await AttachedAsync(roleName, cancellationToken))
        {
            await iam.DetachRolePolicyAsync(roleName, policy, cancellationToken);
        }

        try
        {
            await iam.DeleteRoleAsync(roleName, cancellationToken);
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            // Deleted meanwhile.
        }
    }

    public async Task ReleaseAsync(string roleName, Owner owner, CancellationToken cancellationToken)
    {
        _ensured.TryRemove(roleName, out _);
        var existing = await iam.GetRoleAsync(roleName, cancellationToken);
        if (existing is null || !OwnershipCheck.IsOwnedBy(existing.Tags, owner.Uid)) return;
        await iam.TagRoleAsync(roleName, Owner.ReleasedTag(time.GetUtcNow()), cancellationToken);
    }

    public async Task<bool> ReclaimAsync(string roleName, Owner owner, Func<string, bool> ownerIsLive, CancellationToken cancellationToken)
    {
        var existing = await iam.GetRoleAsync(roleName, cancellationToken);
        switch (existing is null ? Ownership.OtherObject : OwnershipCheck.Of(existing.Tags, owner, ownerIsLive))
        {
            case Ownership.Ours:
                return true;
            case Ownership.Reclaimable:
                await TakeAsync(existing!, owner, cancellationToken);
                return true;
            default:
                return false;
        }
    }

    private async Task TakeAsync(IamRole role, Owner owner, CancellationToken cancellationToken)
    {
        _ensured.TryRemove(role.RoleName, out _);
        await iam.TagRoleAsync(role.RoleName, owner.OwnershipTags, cancellationToken);
        if (role.Tags.ContainsKey(Entities.OwnershipTags.Released)) await iam.UntagRoleAsync(role.RoleName, [Entities.OwnershipTags.Released], cancellationToken);
    }

    private async Task<HashSet<string>> AttachedAsync(string roleName, CancellationToken cancellationToken)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        string? marker = null;
        do
        {
            var page = await iam.ListAttachedRolePoliciesAsync(roleName, marker, null, cancellationToken);
            result.UnionWith(page.AttachedPolicies.Select(p => p.PolicyArn));
            marker = page.IsTruncated ? page.Marker : null;
        }
        while (marker is not null);
        return result;
    }
}
