using EksOperator.Aws.Mapping;
using EksOperator.Aws.Roles;
using EksOperator.Aws.Tokens;
using EksOperator.Aws.Versions;
using EksOperator.Entities;

namespace EksOperator.Operator.Tests.Support;

/// <summary>IAM roles in memory, judged by their ownership tags as the real role manager judges them.</summary>
internal sealed class FakeIam : IRoleManager
{
    private readonly Dictionary<string, Dictionary<string, string>> _roles = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>The spec each role was last ensured with, by name.</summary>
    public Dictionary<string, OwnedRoleSpec> Specs { get; } = new(StringComparer.Ordinal);

    public static string Arn(string name) => $"arn:aws:iam::{FakeEks.Account}:role/{name}";

    public bool Exists(string name) => _roles.ContainsKey(name);

    public IReadOnlyDictionary<string, string> Tags(string name) => _roles[name];

    public void Seed(string name, IReadOnlyDictionary<string, string>? tags = null) =>
        _roles[name] = new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal);

    public Task<RoleResult> EnsureAsync(OwnedRoleSpec role, Owner owner, Adoption adoption, CancellationToken cancellationToken)
    {
        Calls.Add($"EnsureRole {role.Name}");
        Specs[role.Name] = role;
        if (!_roles.TryGetValue(role.Name, out var tags))
        {
            _roles[role.Name] = new Dictionary<string, string>(owner.OwnershipTags, StringComparer.Ordinal);
            return Task.FromResult(new RoleResult(RoleOutcome.Ready, Arn(role.Name), null));
        }

        switch (OwnershipCheck.Of(tags, owner, adoption.OwnerIsLive))
        {
            case Ownership.OtherObject:
                return Task.FromResult(new RoleResult(RoleOutcome.NotOurs, Arn(role.Name), $"IAM role {role.Name} belongs to {OwnershipCheck.Describe(tags)}"));
            case Ownership.Unowned or Ownership.Reclaimable when !adoption.Requested:
                return Task.FromResult(new RoleResult(RoleOutcome.NotOurs, Arn(role.Name), $"IAM role {role.Name} exists and is not managed by eks-operator"));
            case Ownership.Unowned or Ownership.Reclaimable:
                Take(role.Name, owner);
                break;
        }

        return Task.FromResult(new RoleResult(RoleOutcome.Ready, Arn(role.Name), null));
    }

    public Task ReleaseAsync(string roleName, Owner owner, CancellationToken cancellationToken)
    {
        Calls.Add($"ReleaseRole {roleName}");
        if (_roles.TryGetValue(roleName, out var tags) && OwnershipCheck.IsOwnedBy(tags, owner.Uid)) tags[OwnershipTags.Released] = "released";
        return Task.CompletedTask;
    }

    public Task<bool> ReclaimAsync(string roleName, Owner owner, Func<string, bool> ownerIsLive, CancellationToken cancellationToken)
    {
        Calls.Add($"ReclaimRole {roleName}");
        if (!_roles.TryGetValue(roleName, out var tags)) return Task.FromResult(false);
        switch (OwnershipCheck.Of(tags, owner, ownerIsLive))
        {
            case Ownership.Ours:
                return Task.FromResult(true);
            case Ownership.Reclaimable:
                Take(roleName, owner);
                return Task.FromResult(true);
            default:
                return Task.FromResult(false);
        }
    }

    public Task<bool> DeleteAsync(OwnedRoleSpec role, Owner owner, CancellationToken cancellationToken)
    {
        Calls.Add($"DeleteRole {role.Name}");
        foreach (var name in role.AllNames)
        {
            if (_roles.TryGetValue(name, out var tags) && OwnershipCheck.IsOwnedBy(tags, owner.Uid)) _roles.Remove(name);
        }

        return Task.FromResult(true);
    }

    private void Take(string name, Owner owner)
    {
        var tags = _roles[name];
        foreach (var (k, v) in owner.OwnershipTags) tags[k] = v;
        tags.Remove(OwnershipTags.Released);
    }
}

/// <summary>The Kubernetes versions EKS offers; null when it cannot say.</summary>
internal sealed class FakeVersions : IKubernetesVersions
{
    public OfferedVersions? Offered { get; set; } = new(["1.31", "1.32", "1.33", "1.34", "1.35"], "1.33");

    public int Calls { get; private set; }

    public Task<OfferedVersions?> OfferedAsync(CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(Offered);
    }
}

internal sealed class FakeTokens(TimeProvider time) : IEksTokenGenerator
{
    public int Issued { get; private set; }

    public Task<EksToken> GetTokenAsync(string clusterName, CancellationToken cancellationToken = default) =>
        Task.FromResult(new EksToken($"k8s-aws-v1.{clusterName}-{++Issued}", time.GetUtcNow().AddMinutes(14)));
}
