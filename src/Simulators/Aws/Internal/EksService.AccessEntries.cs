using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Access entries and access policies (reference §2): who may use a cluster's Kubernetes API, and with which EKS-managed RBAC.</summary>
internal sealed partial class EksService
{
    private JsonObject CreateAccessEntry(string clusterName, JsonObject? body)
    {
        var c = GetApiModeCluster(clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreateAccessEntry", clusterName, token, body) is { } replay)
        {
            return replay;
        }

        var principalArn = Json.Required(body, "principalArn", clusterName);
        var principal = AccessEntryRules.ParsePrincipal(principalArn, clusterName);
        var type = Json.Str(body, "type") ?? AccessEntryRules.Standard;
        if (!AccessEntryRules.Types.Contains(type))
        {
            throw AwsErrorException.InvalidParameter($"The access entry type {type} is not valid. Valid types are [{string.Join(", ", AccessEntryRules.Types)}].", clusterName);
        }

        var groups = Json.StrList(body, "kubernetesGroups") ?? [];
        var username = Json.Str(body, "username");
        if (type == AccessEntryRules.Standard)
        {
            AccessEntryRules.CheckGroups(groups, clusterName);
            if (username is not null)
            {
                AccessEntryRules.CheckUsername(username, clusterName);
            }
        }
        else
        {
            // Node types: EKS grants the node permissions itself, so it alone decides the identity (model doc on type).
            if (principal.Kind != "role" || principal.Account != world.Account)
            {
                throw AwsErrorException.InvalidParameter($"Access entries of type {type} can only be created for IAM roles in account {world.Account}.", clusterName);
            }

            if (groups.Count > 0)
            {
                throw AwsErrorException.InvalidParameter($"kubernetesGroups cannot be specified for access entries of type {type}.", clusterName);
            }

            if (username is not null)
            {
                throw AwsErrorException.InvalidParameter($"username cannot be specified for access entries of type {type}.", clusterName);
            }
        }

        // EKS resolves the principal to its unique id, so a role of this account has to exist (with this very path).
        if (principal.Kind == "role" && principal.Account == world.Account
            && !(world.Roles.TryGetValue(principal.Name, out var role) && role.Arn == principalArn))
        {
            throw AwsErrorException.InvalidParameter(AccessEntryRules.InvalidPrincipal, clusterName);
        }

        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        if (c.AccessEntries.ContainsKey(principalArn))
        {
            throw AwsErrorException.InUse(AccessEntryRules.InUse, clusterName);
        }

        if (c.AccessEntries.Count >= AccessEntryRules.MaxEntriesPerCluster)
        {
            throw AwsErrorException.LimitExceeded($"Access entry limit exceeded for cluster {clusterName}: {AccessEntryRules.MaxEntriesPerCluster}", clusterName);
        }

        var entry = AddAccessEntry(c, principalArn, principal, type, username, groups, tags);
        var response = new JsonObject { ["accessEntry"] = AccessEntryJson(entry) };
        Remember("CreateAccessEntry", clusterName, token, body, response,
            () => c.AccessEntries.TryGetValue(principalArn, out var e) ? new JsonObject { ["accessEntry"] = AccessEntryJson(e) } : null);
        return response;
    }

    /// <summary>Stores an entry that has passed the rules (also how EKS's own entries would be added).</summary>
    private AccessEntry AddAccessEntry(Cluster c, string principalArn, IamPrincipal principal, string type, string? username, List<string> groups, Dictionary<string, string> tags)
    {
        var now = world.Now;
        var entry = new AccessEntry
        {
            ClusterName = c.Name,
            PrincipalArn = principalArn,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:access-entry/{c.Name}/{principal.Kind}/{principal.Account}/{principal.Name}/{world.NewUuid()}",
            Type = type,
            CreatedAt = now,
            ModifiedAt = now,
            Username = username ?? AccessEntryRules.DefaultUsername(type, principal, principalArn),
            KubernetesGroups = groups,
            Tags = tags,
        };
        c.AccessEntries[principalArn] = entry;
        return entry;
    }

    private JsonObject UpdateAccessEntry(string clusterName, string principalArn, JsonObject? body)
    {
        var entry = GetAccessEntry(clusterName, principalArn);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateAccessEntry", $"{clusterName}/{principalArn}", token, body) is { } replay)
        {
            return replay;
        }

        var groups = Json.StrList(body, "kubernetesGroups");
        var username = Json.Str(body, "username");
        if (entry.Type != AccessEntryRules.Standard && (groups is { Count: > 0 } || username is not null))
        {
            throw AwsErrorException.InvalidParameter($"kubernetesGroups and username cannot be specified for access entries of type {entry.Type}.", clusterName);
        }

        if (groups is not null)
        {
            AccessEntryRules.CheckGroups(groups, clusterName);
        }

        if (username is not null)
        {
            AccessEntryRules.CheckUsername(username, clusterName);
        }

        entry.KubernetesGroups = groups ?? entry.KubernetesGroups;
        entry.Username = username ?? entry.Username;
        entry.ModifiedAt = world.Now;
        var response = new JsonObject { ["accessEntry"] = AccessEntryJson(entry) };
        Remember("UpdateAccessEntry", $"{clusterName}/{principalArn}", token, body, response, () => null);
        return response;
    }

    private JsonObject DeleteAccessEntry(string clusterName, string principalArn)
    {
        var entry = GetAccessEntry(clusterName, principalArn);

        // The entry's policy associations live on it, so they go with it (reference §2.3).
        world.Clusters[clusterName].AccessEntries.Remove(entry.PrincipalArn);
        return [];
    }

    private JsonObject ListAccessEntries(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var c = GetApiModeCluster(clusterName);
        var policy = query.TryGetValue("associatedPolicyArn", out var p) ? p[0] : null;
        var matching = c.AccessEntries.Values.Where(e => policy is null || e.Policies.ContainsKey(policy)).Select(e => e.PrincipalArn).ToList();
        var (page, next) = Page(matching, query);
        return new JsonObject { ["accessEntries"] = Json.Array(page), ["nextToken"] = next };
    }

    private JsonObject AssociateAccessPolicy(string clusterName, string principalArn, JsonObject? body)
    {
        var entry = GetAccessEntry(clusterName, principalArn);
        var policyArn = Json.Required(body, "policyArn", clusterName);
        var scopeBody = Json.Obj(body, "accessScope") ?? throw AwsErrorException.InvalidParameter("accessScope is required.", clusterName);
        if (entry.Type != AccessEntryRules.Standard)
        {
            throw AwsErrorException.InvalidParameter(AccessEntryRules.StandardOnly, clusterName);
        }

        var policyName = CheckPolicyArn(policyArn, clusterName);
        if (AccessEntryRules.ServiceLinkedOnlyPolicies.Contains(policyName))
        {
            throw AwsErrorException.InvalidParameter($"The access policy {policyName} can only be associated with access entries of AWS service-linked roles.", clusterName);
        }

        var scope = ParseScope(scopeBody, clusterName);
        var now = world.Now;

        // One association per (entry, policy): associating again replaces the scope and keeps when it was first associated.
        var association = entry.Policies.TryGetValue(policyArn, out var existing)
            ? existing with { Scope = scope, ModifiedAt = now }
            : new AssociatedPolicy(policyArn, scope, now, now);
        entry.Policies[policyArn] = association;
        return new JsonObject
        {
            ["clusterName"] = clusterName,
            ["principalArn"] = entry.PrincipalArn,
            ["associatedAccessPolicy"] = AssociatedPolicyJson(association),
        };
    }

    private JsonObject DisassociateAccessPolicy(string clusterName, string principalArn, string policyArn)
    {
        var entry = GetAccessEntry(clusterName, principalArn);
        if (!entry.Policies.Remove(policyArn))
        {
            throw AwsErrorException.NotFound($"The specified policyArn {policyArn} is not associated with the principalArn.", clusterName);
        }

        return [];
    }

    private JsonObject ListAssociatedAccessPolicies(string clusterName, string principalArn, IReadOnlyDictionary<string, List<string>> query)
    {
        var entry = GetAccessEntry(clusterName, principalArn);
        var (page, next) = Page([.. entry.Policies.Keys], query);
        var policies = new JsonArray();
        foreach (var arn in page)
        {
            policies.Add(AssociatedPolicyJson(entry.Policies[arn]));
        }

        return new JsonObject
        {
            ["clusterName"] = clusterName,
            ["principalArn"] = entry.PrincipalArn,
            ["nextToken"] = next,
            ["associatedAccessPolicies"] = policies,
        };
    }

    private static JsonObject ListAccessPolicies(IReadOnlyDictionary<string, List<string>> query)
    {
        var (page, next) = Page([.. AccessEntryRules.PolicyNames], query);
        var policies = new JsonArray();
        foreach (var name in page)
        {
            policies.Add(new JsonObject { ["name"] = name, ["arn"] = AccessEntryRules.PolicyArn(name) });
        }

        return new JsonObject { ["accessPolicies"] = policies, ["nextToken"] = next };
    }

    /// <summary>Access-entry calls on a CONFIG_MAP cluster are refused, Describe and List included (observed).</summary>
    private Cluster GetApiModeCluster(string name)
    {
        var c = GetCluster(name);
        return c.AuthenticationMode == "CONFIG_MAP" ? throw AwsErrorException.InvalidRequest(AccessEntryRules.ConfigMapMode, name) : c;
    }

    private AccessEntry GetAccessEntry(string clusterName, string principalArn) =>
        GetApiModeCluster(clusterName).AccessEntries.TryGetValue(principalArn, out var entry)
            ? entry
            : throw AwsErrorException.NotFound(AccessEntryRules.UnknownPrincipal, clusterName);

    private static string CheckPolicyArn(string policyArn, string clusterName)
    {
        if (!AccessEntryRules.IsPolicyArnFormat(policyArn))
        {
            throw AwsErrorException.InvalidParameter("The policyArn parameter format is not valid", clusterName);
        }

        return AccessEntryRules.PolicyName(policyArn)
            ?? throw AwsErrorException.NotFound("The specified policyArn could not be found. You can view the available access policies with 'list-access-policies'.", clusterName);
    }

    private static AccessScope ParseScope(JsonObject scope, string clusterName)
    {
        var type = Json.Str(scope, "type");
        if (type is not ("cluster" or "namespace"))
        {
            throw AwsErrorException.InvalidParameter(
                $"1 validation error detected: Value '{type}' at 'accessScope.type' failed to satisfy constraint: Member must satisfy enum value set: [cluster, namespace]", clusterName);
        }

        var namespaces = Json.StrList(scope, "namespaces") ?? [];
        if (type == "namespace" && namespaces.Count == 0)
        {
            throw AwsErrorException.InvalidParameter("At least one namespace must be specified when the access scope type is namespace.", clusterName);
        }

        if (type == "cluster" && namespaces.Count > 0)
        {
            throw AwsErrorException.InvalidParameter("Namespaces cannot be specified when the access scope type is cluster.", clusterName);
        }

        // EKS does not check that the namespaces exist, and accepts wildcards such as dev-* (reference §2.3).
        return new AccessScope(type, [.. namespaces.Distinct(StringComparer.Ordinal)]);
    }

    private static JsonObject AccessEntryJson(AccessEntry e) => new()
    {
        ["clusterName"] = e.ClusterName,
        ["principalArn"] = e.PrincipalArn,
        ["kubernetesGroups"] = Json.Array(e.KubernetesGroups),
        ["accessEntryArn"] = e.Arn,
        ["createdAt"] = Json.Epoch(e.CreatedAt),
        ["modifiedAt"] = Json.Epoch(e.ModifiedAt),
        ["tags"] = Json.Map(e.Tags),
        ["username"] = e.Username,
        ["type"] = e.Type,
    };

    private static JsonObject AssociatedPolicyJson(AssociatedPolicy p) => new()
    {
        ["policyArn"] = p.PolicyArn,
        ["accessScope"] = new JsonObject { ["type"] = p.Scope.Type, ["namespaces"] = Json.Array(p.Scope.Namespaces) },
        ["associatedAt"] = Json.Epoch(p.AssociatedAt),
        ["modifiedAt"] = Json.Epoch(p.ModifiedAt),
    };
}
