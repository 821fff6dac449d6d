using System.Text.Json.Nodes;
using EksOperator.Aws.Eks;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Mapping;

/// <summary>
/// A Capability's spec in EKS's terms, and its comparison with what EKS reports. Role mappings are compared as sets
/// (role → identities, order and duplicates ignored) in a normalised JSON form; members EKS fills in itself (the
/// namespace, the Identity Center region and application, the server URL) are drift only when the spec sets them.
/// </summary>
public static class CapabilityMapping
{
    public static string TypeName(CapabilityType type) => ClusterMapping.EnumName(type);

    public static string Propagation(CapabilitySpec spec) => ClusterMapping.EnumName(spec.DeletePropagation ?? CapabilityDeletePropagation.Retain);

    /// <summary>The configuration sent with CreateCapability; null for ACK and KRO.</summary>
    public static EksCapabilityConfiguration? Configuration(CapabilitySpec spec) =>
        spec.Configuration?.ArgoCd is { } argoCd
            ? new EksCapabilityConfiguration
            {
                ArgoCd = new EksArgoCdConfiguration
                {
                    Namespace = argoCd.Namespace,
                    AwsIdc = new EksArgoCdAwsIdc { IdcInstanceArn = argoCd.AwsIdc.IdcInstanceArn, IdcRegion = argoCd.AwsIdc.IdcRegion },
                    RbacRoleMappings = argoCd.RbacRoleMappings is { Count: > 0 } mappings ? Mappings(mappings) : null,
                    NetworkAccess = argoCd.NetworkAccess?.VpceIds is { Count: > 0 } vpce ? new EksArgoCdNetworkAccess([.. vpce]) : null,
                },
            }
            : null;

    public static IReadOnlyList<EksArgoCdRoleMapping> Mappings(IEnumerable<ArgoCdRoleMapping> mappings) =>
        [.. mappings.Select(m => new EksArgoCdRoleMapping(ClusterMapping.EnumName(m.Role),
            [.. m.Identities.Select(i => new EksSsoIdentity(i.Id, ClusterMapping.EnumName(i.Type)))]))];

    /// <summary>Role → its identities ("TYPE:id", sorted, distinct), roles sorted: the form both sides are compared in.</summary>
    public static SortedDictionary<string, SortedSet<string>> Normalised(IEnumerable<EksArgoCdRoleMapping>? mappings)
    {
        var result = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var mapping in mappings ?? [])
        {
            if (!result.TryGetValue(mapping.Role, out var identities)) result[mapping.Role] = identities = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var identity in mapping.Identities ?? []) identities.Add($"{identity.Type}:{identity.Id}");
        }

        // A role without identities grants nothing: the same as no mapping for it.
        foreach (var empty in result.Where(r => r.Value.Count == 0).Select(r => r.Key).ToList()) result.Remove(empty);
        return result;
    }

    public static string Json(SortedDictionary<string, SortedSet<string>> mappings)
    {
        var o = new JsonObject();
        foreach (var (role, identities) in mappings) o[role] = new JsonArray([.. identities.Select(i => (JsonNode)i)]);
        return o.ToJsonString();
    }

    /// <summary>
    /// What UpdateCapability sends to move the mappings from <paramref name="observed"/> to <paramref name="desired"/>: each
    /// role whose identities differ with its full wanted set, and the identities to take away (a role no longer wanted
    /// loses all of them). Sent together this converges whether EKS merges or replaces an added role's identities.
    /// </summary>
    public static UpdateRoleMappings? MappingChange(SortedDictionary<string, SortedSet<string>> desired, SortedDictionary<string, SortedSet<string>> observed)
    {
        var add = desired.Where(d => !observed.TryGetValue(d.Key, out var had) || !had.SetEquals(d.Value)).Select(d => Mapping(d.Key, d.Value)).ToList();
        var remove = observed.Select(o => (o.Key, Gone: o.Value.Where(i => !desired.TryGetValue(o.Key, out var wanted) || !wanted.Contains(i)).ToList()))
            .Where(o => o.Gone.Count > 0).Select(o => Mapping(o.Key, o.Gone)).ToList();
        return add.Count == 0 && remove.Count == 0 ? null : new UpdateRoleMappings(add.Count > 0 ? add : null, remove.Count > 0 ? remove : null);
    }

    /// <summary>VPC endpoint ids as a sorted set; none and empty are the same (public access).</summary>
    public static string VpceText(IEnumerable<string>? ids) =>
        ids?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } list ? "[" + string.Join(",", list) + "]" : "(public)";

    /// <summary>
    /// What the spec fixes that UpdateCapability cannot change (type, Identity Center instance and region, namespace),
    /// where EKS differs: the pairs (field, desired, actual). Unset members are EKS's to choose.
    /// </summary>
    public static IReadOnlyList<DriftEntry> Immutable(CapabilitySpec spec, EksCapability observed)
    {
        var drift = new List<DriftEntry>();
        if (observed.Type is { } type && type != TypeName(spec.Type))
        {
            drift.Add(new DriftEntry { Field = "spec.type", Desired = TypeName(spec.Type), Actual = type });
        }

        if (spec.Configuration?.ArgoCd is not { } argoCd) return drift;
        var actual = observed.Configuration?.ArgoCd;
        Compare(drift, "spec.configuration.argoCd.namespace", argoCd.Namespace, actual?.Namespace);
        Compare(drift, "spec.configuration.argoCd.awsIdc.idcInstanceArn", argoCd.AwsIdc.IdcInstanceArn, actual?.AwsIdc?.IdcInstanceArn);
        Compare(drift, "spec.configuration.argoCd.awsIdc.idcRegion", argoCd.AwsIdc.IdcRegion, actual?.AwsIdc?.IdcRegion);
        return drift;
    }

    private static void Compare(List<DriftEntry> drift, string field, string? desired, string? actual)
    {
        if (desired is not null && desired != actual) drift.Add(new DriftEntry { Field = field, Desired = desired, Actual = actual ?? "(none)" });
    }

    private static EksArgoCdRoleMapping Mapping(string role, IEnumerable<string> identities) =>
        new(role, [.. identities.Select(i => i.Split(':', 2)).Select(p => new EksSsoIdentity(p[1], p[0]))]);

    /// <summary>For messages: the normalised mappings as JSON text.</summary>
    public static string Describe(SortedDictionary<string, SortedSet<string>> mappings) => mappings.Count == 0 ? "(none)" : Json(mappings);
}
