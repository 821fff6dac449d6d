using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Resources;

/// <summary>An access entry as EKS reports it, with the access policies associated to it.</summary>
public sealed record AccessEntryState(EksAccessEntry Entry, IReadOnlyList<EksAssociatedAccessPolicy> Policies);

/// <summary>One call that brings an access entry closer to its spec, with what it corrects.</summary>
public sealed record AccessEntryChange(IReadOnlyList<DriftEntry> Drift, Func<IEksAccessApi, CancellationToken, Task> Apply);

/// <summary>EKS access entries and their access policies, in the operator's terms.</summary>
public interface IEksAccessEntries
{
    Task<AccessEntryState?> FindAsync(string clusterName, string principalArn, CancellationToken cancellationToken);

    Task<AccessEntryState> CreateAsync(string clusterName, AccessEntrySpec spec, Owner owner, CancellationToken cancellationToken);

    /// <summary>
    /// What brings the entry to the spec, one call each: groups and username first, then policies to associate (or
    /// whose scope changed), then policies to disassociate.
    /// </summary>
    IReadOnlyList<AccessEntryChange> ChangesFor(string clusterName, AccessEntrySpec spec, AccessEntryState observed);

    Task ApplyAsync(AccessEntryChange change, CancellationToken cancellationToken);

    Task DeleteAsync(string clusterName, string principalArn, CancellationToken cancellationToken);
}

internal sealed class EksAccessEntries(IEksAccessApi eks) : IEksAccessEntries
{
    public async Task<AccessEntryState?> FindAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        if (await eks.DescribeAccessEntryAsync(clusterName, principalArn, cancellationToken) is not { } entry) return null;
        return new AccessEntryState(entry, await eks.ListAssociatedAccessPoliciesAsync(clusterName, principalArn, cancellationToken));
    }

    public async Task<AccessEntryState> CreateAsync(string clusterName, AccessEntrySpec spec, Owner owner, CancellationToken cancellationToken) =>
        new(await eks.CreateAccessEntryAsync(clusterName, AccessEntryMapping.ToCreateBody(spec, owner), cancellationToken), []);

    public IReadOnlyList<AccessEntryChange> ChangesFor(string clusterName, AccessEntrySpec spec, AccessEntryState observed)
    {
        var principal = spec.PrincipalArn;
        var changes = new List<AccessEntryChange>();
        var groups = AccessEntryMapping.GroupsDiffer(spec, observed.Entry);
        var username = AccessEntryMapping.UsernameDiffers(spec, observed.Entry);
        if (groups || username)
        {
            // One UpdateAccessEntry sets both; the groups list is sent whole (EKS replaces it).
            var body = new UpdateAccessEntryBody
            {
                KubernetesGroups = groups ? [.. spec.KubernetesGroups ?? []] : null,
                Username = username ? spec.Username : null,
            };
            var drift = new List<DriftEntry>();
            if (groups) drift.Add(new DriftEntry { Field = "spec.kubernetesGroups", Desired = AccessEntryMapping.Groups(spec.KubernetesGroups), Actual = AccessEntryMapping.Groups(observed.Entry.KubernetesGroups) });
            if (username) drift.Add(new DriftEntry { Field = "spec.username", Desired = spec.Username, Actual = observed.Entry.Username });
            changes.Add(new(drift, (api, ct) => api.UpdateAccessEntryAsync(clusterName, principal, body, ct)));
        }

        var associated = observed.Policies.Where(p => p.PolicyArn is not null).ToDictionary(p => p.PolicyArn!, StringComparer.Ordinal);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var policy in spec.AccessPolicies ?? [])
        {
            var arn = AccessEntryMapping.PolicyArn(policy.Policy);
            wanted.Add(arn);
            var scope = AccessEntryMapping.ScopeOf(policy.Scope);
            var actual = associated.TryGetValue(arn, out var existing) ? AccessEntryMapping.Describe(existing.AccessScope) : null;
            if (actual == AccessEntryMapping.Describe(scope)) continue;
            changes.Add(new(
                [new DriftEntry { Field = $"spec.accessPolicies[{policy.Policy}]", Desired = AccessEntryMapping.Describe(scope), Actual = actual ?? "(not associated)" }],
                (api, ct) => api.AssociateAccessPolicyAsync(clusterName, principal, arn, scope, ct)));
        }

        foreach (var extra in associated.Keys.Where(arn => !wanted.Contains(arn)).Order(StringComparer.Ordinal))
        {
            changes.Add(new(
                [new DriftEntry { Field = $"spec.accessPolicies[{extra}]", Desired = "(not associated)", Actual = AccessEntryMapping.Describe(associated[extra].AccessScope) }],
                (api, ct) => api.DisassociateAccessPolicyAsync(clusterName, principal, extra, ct)));
        }

        return changes;
    }

    public Task ApplyAsync(AccessEntryChange change, CancellationToken cancellationToken) => change.Apply(eks, cancellationToken);

    public async Task DeleteAsync(string clusterName, string principalArn, CancellationToken cancellationToken)
    {
        try
        {
            await eks.DeleteAccessEntryAsync(clusterName, principalArn, cancellationToken);
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            // Gone already (deleted with its cluster, or by hand): what deletion wanted.
        }
    }
}
