using EksOperator.Aws;
using EksOperator.Aws.Eks;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// Access entries, access policies and Pod Identity associations of the in-memory EKS, at the API level (the real
/// intent classes run on top): synchronous, as EKS answers them. Access-entry calls are refused on a cluster whose
/// authentication mode is CONFIG_MAP; a non-STANDARD entry takes no access policy; one association per service
/// account; an association's role of this account must exist in IAM (<see cref="RoleExists"/>).
/// </summary>
internal sealed partial class FakeEks : IEksAccessApi, IEksPodIdentityApi
{
    private readonly Dictionary<(string Cluster, string Principal), EksAccessEntry> _entries = [];
    private readonly Dictionary<(string Cluster, string Principal), Dictionary<string, EksAssociatedAccessPolicy>> _policies = [];
    private readonly Dictionary<(string Cluster, string Id), EksPodIdentityAssociation> _associations = [];

    /// <summary>Whether IAM has the role of this name; unset: every role exists.</summary>
    public Func<string, bool>? RoleExists { get; set; }

    public static string AccessEntryArn(string cluster, string principal) =>
        $"arn:aws:eks:{Region}:{Account}:access-entry/{cluster}/{(principal.Contains(":role/", StringComparison.Ordinal) ? "role" : "user")}/{Account}/{principal[(principal.LastIndexOf('/') + 1)..]}/0000";

    public EksAccessEntry? Entry(string cluster, string principal) => _entries.GetValueOrDefault((cluster, principal));

    /// <summary>The policies associated to an entry: "arn scope", sorted.</summary>
    public IReadOnlyList<string> EntryPolicies(string cluster, string principal) =>
        [.. (_policies.GetValueOrDefault((cluster, principal)) ?? []).Values.Select(p => $"{p.PolicyArn} {Scope(p.AccessScope)}").Order(StringComparer.Ordinal)];

    public void Seed(EksAccessEntry entry) => _entries[(entry.ClusterName!, entry.PrincipalArn!)] = entry;

    public void ChangeEntry(string cluster, string principal, Func<EksAccessEntry, EksAccessEntry> change) =>
        _entries[(cluster, principal)] = change(_entries[(cluster, principal)]);

    public void SeedPolicy(string cluster, string principal, string policyArn, EksAccessScope scope) =>
        PoliciesOf(cluster, principal)[policyArn] = new EksAssociatedAccessPolicy { PolicyArn = policyArn, AccessScope = scope, AssociatedAt = time.GetUtcNow() };

    public EksPodIdentityAssociation? Association(string cluster, string @namespace, string serviceAccount) =>
        _associations.Values.FirstOrDefault(a => a.ClusterName == cluster && a.Namespace == @namespace && a.ServiceAccount == serviceAccount);

    public IReadOnlyList<EksPodIdentityAssociation> Associations(string cluster) => [.. _associations.Values.Where(a => a.ClusterName == cluster)];

    public EksPodIdentityAssociation Seed(EksPodIdentityAssociation association)
    {
        var id = association.AssociationId ?? NewAssociationId();
        var seeded = association with { AssociationId = id, AssociationArn = association.AssociationArn ?? AssociationArn(association.ClusterName!, id) };
        _associations[(seeded.ClusterName!, id)] = seeded;
        return seeded;
    }

    public static string AssociationArn(string cluster, string id) => $"arn:aws:eks:{Region}:{Account}:podidentityassociation/{cluster}/{id}";

    // IEksAccessApi

    public Task<EksAccessEntry> CreateAccessEntryAsync(string clusterName, CreateAccessEntryBody body, CancellationToken cancellationToken = default)
    {
        Call("CreateAccessEntry", $"{clusterName} {body.PrincipalArn} {body.Type} groups=[{string.Join(",", body.KubernetesGroups ?? [])}] username={body.Username ?? "-"}");
        AccessEntriesAllowed(clusterName);
        if (_entries.ContainsKey((clusterName, body.PrincipalArn)))
        {
            throw Error(AwsErrorKind.AlreadyExists, "ResourceInUseException", "The specified access entry resource is already in use on this cluster.");
        }

        var type = body.Type ?? "STANDARD";
        var standard = type == "STANDARD";
        var entry = new EksAccessEntry
        {
            ClusterName = clusterName,
            PrincipalArn = body.PrincipalArn,
            AccessEntryArn = AccessEntryArn(clusterName, body.PrincipalArn),
            Type = type,
            KubernetesGroups = standard ? body.KubernetesGroups ?? [] : ["system:nodes"],
            // EKS picks a username from the principal when none is given.
            Username = body.Username ?? (standard ? $"{body.PrincipalArn}/{{{{SessionName}}}}" : "system:node:{{EC2PrivateDNSName}}"),
            Tags = body.Tags,
            CreatedAt = time.GetUtcNow(),
            ModifiedAt = time.GetUtcNow(),
        };
        _entries[(clusterName, body.PrincipalArn)] = entry;
        return Task.FromResult(entry);
    }

    public Task<EksAccessEntry?> DescribeAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default)
    {
        Call("DescribeAccessEntry", $"{clusterName} {principalArn}");
        AccessEntriesAllowed(clusterName);
        return Task.FromResult(_entries.GetValueOrDefault((clusterName, principalArn)));
    }

    public Task<EksAccessEntry> UpdateAccessEntryAsync(string clusterName, string principalArn, UpdateAccessEntryBody body, CancellationToken cancellationToken = default)
    {
        var groups = body.KubernetesGroups is { } g ? $"[{string.Join(",", g)}]" : "-";
        Call("UpdateAccessEntry", $"{clusterName} {principalArn} groups={groups} username={body.Username ?? "-"}");
        var entry = ExistingEntry(clusterName, principalArn);
        entry = entry with
        {
            KubernetesGroups = body.KubernetesGroups ?? entry.KubernetesGroups,
            Username = body.Username ?? entry.Username,
            ModifiedAt = time.GetUtcNow(),
        };
        _entries[(clusterName, principalArn)] = entry;
        return Task.FromResult(entry);
    }

    public Task DeleteAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default)
    {
        Call("DeleteAccessEntry", $"{clusterName} {principalArn}");
        ExistingEntry(clusterName, principalArn);
        _entries.Remove((clusterName, principalArn));
        _policies.Remove((clusterName, principalArn));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<EksAssociatedAccessPolicy>> ListAssociatedAccessPoliciesAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default)
    {
        Call("ListAssociatedAccessPolicies", $"{clusterName} {principalArn}");
        ExistingEntry(clusterName, principalArn);
        return Task.FromResult<IReadOnlyList<EksAssociatedAccessPolicy>>([.. PoliciesOf(clusterName, principalArn).Values]);
    }

    public Task AssociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, EksAccessScope scope, CancellationToken cancellationToken = default)
    {
        Call("AssociateAccessPolicy", $"{clusterName} {principalArn} {policyArn} {Scope(scope)}");
        var entry = ExistingEntry(clusterName, principalArn);
        if (entry.Type != "STANDARD") throw Error(AwsErrorKind.Invalid, "InvalidParameterException", $"The access entry type {entry.Type} does not support access policies");
        if (!policyArn.StartsWith("arn:aws:eks::aws:cluster-access-policy/", StringComparison.Ordinal))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", $"The policyArn {policyArn} is not valid");
        }

        SeedPolicy(clusterName, principalArn, policyArn, scope);
        return Task.CompletedTask;
    }

    public Task DisassociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, CancellationToken cancellationToken = default)
    {
        Call("DisassociateAccessPolicy", $"{clusterName} {principalArn} {policyArn}");
        ExistingEntry(clusterName, principalArn);
        if (!PoliciesOf(clusterName, principalArn).Remove(policyArn)) throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"The policy {policyArn} is not associated");
        return Task.CompletedTask;
    }

    private static string Scope(EksAccessScope? scope) =>
        scope?.Type == "namespace" ? $"namespace[{string.Join(",", scope.Namespaces ?? [])}]" : scope?.Type ?? "(none)";

    private Dictionary<string, EksAssociatedAccessPolicy> PoliciesOf(string cluster, string principal)
    {
        if (!_policies.TryGetValue((cluster, principal), out var policies)) _policies[(cluster, principal)] = policies = new(StringComparer.Ordinal);
        return policies;
    }

    private void AccessEntriesAllowed(string clusterName)
    {
        if (Existing(clusterName).AccessConfig?.AuthenticationMode is not ("API" or "API_AND_CONFIG_MAP"))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidRequestException", "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.");
        }
    }

    private EksAccessEntry ExistingEntry(string cluster, string principal) =>
        _entries.GetValueOrDefault((cluster, principal))
        ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.");

    // IEksPodIdentityApi

    public Task<EksPodIdentityAssociation> CreatePodIdentityAssociationAsync(string clusterName, CreatePodIdentityAssociationBody body, CancellationToken cancellationToken = default)
    {
        Call("CreatePodIdentityAssociation", $"{clusterName} {body.Namespace}/{body.ServiceAccount} {body.RoleArn}");
        Existing(clusterName);
        if (Association(clusterName, body.Namespace, body.ServiceAccount) is { } existing)
        {
            throw Error(AwsErrorKind.AlreadyExists, "ResourceInUseException", $"Association already exists: {existing.AssociationId}");
        }

        RoleMustExist(body.RoleArn);
        var created = Seed(new EksPodIdentityAssociation
        {
            ClusterName = clusterName,
            Namespace = body.Namespace,
            ServiceAccount = body.ServiceAccount,
            RoleArn = body.RoleArn,
            TargetRoleArn = body.TargetRoleArn,
            DisableSessionTags = body.DisableSessionTags ?? false,
            ExternalId = body.TargetRoleArn is null ? null : $"{Region}/{Account}/{clusterName}/{body.Namespace}/{body.ServiceAccount}",
            Tags = body.Tags ?? new Dictionary<string, string>(),
            CreatedAt = time.GetUtcNow(),
            ModifiedAt = time.GetUtcNow(),
        });
        return Task.FromResult(created);
    }

    public Task<EksPodIdentityAssociation?> DescribePodIdentityAssociationAsync(string clusterName, string associationId, CancellationToken cancellationToken = default)
    {
        Call("DescribePodIdentityAssociation", $"{clusterName} {associationId}");
        return Task.FromResult(_associations.GetValueOrDefault((clusterName, associationId)));
    }

    public Task<EksPodIdentityAssociation> UpdatePodIdentityAssociationAsync(string clusterName, string associationId, UpdatePodIdentityAssociationBody body, CancellationToken cancellationToken = default)
    {
        var parts = new[]
        {
            body.RoleArn is { } r ? $"roleArn={r}" : null,
            body.TargetRoleArn is { } t ? $"targetRoleArn={(t.Length == 0 ? "\"\"" : t)}" : null,
            body.DisableSessionTags is { } d ? $"disableSessionTags={(d ? "true" : "false")}" : null,
        };
        Call("UpdatePodIdentityAssociation", $"{clusterName} {associationId} {string.Join(" ", parts.OfType<string>())}");
        var association = _associations.GetValueOrDefault((clusterName, associationId))
            ?? throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"Association {associationId} not found");
        if (body.RoleArn is null && body.TargetRoleArn is null && body.DisableSessionTags is null)
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "At least one of roleArn, targetRoleArn, disableSessionTags must be given");
        }

        if (body.RoleArn is { } role) RoleMustExist(role);
        var target = body.TargetRoleArn is { } given ? (given.Length == 0 ? null : given) : association.TargetRoleArn;
        association = association with
        {
            RoleArn = body.RoleArn ?? association.RoleArn,
            TargetRoleArn = target,
            DisableSessionTags = body.DisableSessionTags ?? association.DisableSessionTags,
            ExternalId = target is null ? null : $"{Region}/{Account}/{clusterName}/{association.Namespace}/{association.ServiceAccount}",
            ModifiedAt = time.GetUtcNow(),
        };
        _associations[(clusterName, associationId)] = association;
        return Task.FromResult(association);
    }

    public Task DeletePodIdentityAssociationAsync(string clusterName, string associationId, CancellationToken cancellationToken = default)
    {
        Call("DeletePodIdentityAssociation", $"{clusterName} {associationId}");
        if (!_associations.Remove((clusterName, associationId))) throw Error(AwsErrorKind.NotFound, "ResourceNotFoundException", $"Association {associationId} not found");
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<EksPodIdentityAssociationSummary>> ListPodIdentityAssociationsAsync(string clusterName, string @namespace, string serviceAccount, CancellationToken cancellationToken = default)
    {
        Call("ListPodIdentityAssociations", $"{clusterName} {@namespace}/{serviceAccount}");
        Existing(clusterName);
        return Task.FromResult<IReadOnlyList<EksPodIdentityAssociationSummary>>([.. _associations.Values
            .Where(a => a.ClusterName == clusterName && a.Namespace == @namespace && a.ServiceAccount == serviceAccount)
            .Select(a => new EksPodIdentityAssociationSummary
            {
                ClusterName = a.ClusterName, Namespace = a.Namespace, ServiceAccount = a.ServiceAccount,
                AssociationArn = a.AssociationArn, AssociationId = a.AssociationId, OwnerArn = a.OwnerArn,
            })]);
    }

    private string NewAssociationId() => $"a-{++_ids:D17}";

    private void RoleMustExist(string roleArn)
    {
        var ours = roleArn.StartsWith($"arn:aws:iam::{Account}:role/", StringComparison.Ordinal);
        if (ours && RoleExists is { } exists && !exists(roleArn[(roleArn.LastIndexOf('/') + 1)..]))
        {
            throw Error(AwsErrorKind.Invalid, "InvalidParameterException", "Role provided in the request does not exist");
        }
    }

    private bool RetagAccess(string arn, Func<IReadOnlyDictionary<string, string>?, Dictionary<string, string>> edited)
    {
        if (_entries.FirstOrDefault(e => e.Value.AccessEntryArn == arn) is { Value: { } entry } e)
        {
            _entries[e.Key] = entry with { Tags = edited(entry.Tags) };
            return true;
        }

        if (_associations.FirstOrDefault(a => a.Value.AssociationArn == arn) is { Value: { } association } a)
        {
            _associations[a.Key] = association with { Tags = edited(association.Tags) };
            return true;
        }

        return false;
    }
}
