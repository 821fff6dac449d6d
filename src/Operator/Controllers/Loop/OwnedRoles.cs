using EksOperator.Aws.Roles;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Controllers.Loop;

/// <summary>The IAM role a resource runs with: the one its spec names, or one the operator creates and owns.</summary>
internal sealed class OwnedRoles(IRoleManager roles, LiveObjects live)
{
    /// <summary>The role's ARN, recorded in status; or why the operator may not use the role of that name.</summary>
    public async Task<(string? Arn, Outcome? Refusal)> EnsureAsync<T, TAws>(AwsKind<T, TAws> kind, T obj, Placement at, CancellationToken ct)
        where T : class, IEksResource
        where TAws : class
    {
        if (kind.GivenRole(obj) is { } given)
        {
            kind.RecordRole(obj, given, owned: false);
            return (given, null);
        }

        if (kind.OwnedRole(obj, at) is not { } owned) return (null, null); // a kind that runs without a role

        var role = await roles.EnsureAsync(owned, Claims.OwnerOf(obj), live.AdoptionFor(obj), ct);
        if (role.Outcome == RoleOutcome.NotOurs)
        {
            return (null, new Outcome.Stall(ConditionReasons.AlreadyExists, role.Message!, StallCause.World));
        }

        kind.RecordRole(obj, role.Arn!, owned: true);
        return (role.Arn, null);
    }

    /// <summary>The operator-named role, when the AWS resource uses it (for taking it back with the resource).</summary>
    public static string? UsedOwnedRole<T, TAws>(AwsKind<T, TAws> kind, T obj, Placement at, TAws observed)
        where T : class, IEksResource
        where TAws : class
        => kind.GivenRole(obj) is null && kind.OwnedRole(obj, at) is { Name: var name } && kind.RoleOf(observed)?.EndsWith("/" + name, StringComparison.Ordinal) == true
            ? name
            : null;
}
