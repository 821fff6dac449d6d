using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// EKS capabilities (reference §7): create, describe, list, update (an asynchronous CapabilityUpdate) and delete. One
/// capability of each type per cluster; the role must exist and is assumed at the end of CREATING, so a role that
/// does not trust capabilities.eks.amazonaws.com ends in CREATE_FAILED rather than a refusal.
/// </summary>
internal sealed partial class EksService
{
    private static readonly string[] CapabilityTypes = ["ACK", "KRO", "ARGOCD"];
    private static readonly string[] ArgoCdRoles = ["ADMIN", "EDITOR", "VIEWER"];
    private static readonly string[] SsoIdentityTypes = ["SSO_USER", "SSO_GROUP"];

    private JsonObject CreateCapability(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var name = Json.Required(body, "capabilityName", clusterName);
        var type = Json.Required(body, "type", clusterName);
        var roleArn = Json.Required(body, "roleArn", clusterName);
        var propagation = Json.Required(body, "deletePropagationPolicy", clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreateCapability", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        if (name.Length > 100 || !CapabilityNamePattern().IsMatch(name))
        {
            throw AwsErrorException.InvalidParameter($"Capability name {name} is invalid: use 1-100 letters, digits, '-' and '_'", clusterName);
        }

        CheckEnum(type, "type", CapabilityTypes, clusterName);
        CheckEnum(propagation, "deletePropagationPolicy", ["RETAIN"], clusterName);
        if (c.Capabilities.ContainsKey(name))
        {
            throw AwsErrorException.InUse("Capability already exists.", clusterName);
        }

        // Unconfirmed: which error EKS answers for a second capability of one type (ResourceInUse or ResourceLimitExceeded).
        if (c.Capabilities.Values.FirstOrDefault(k => k.Type == type) is { } sameType)
        {
            throw AwsErrorException.InUse($"A capability of type {type} already exists on cluster {clusterName}: {sameType.Name}", clusterName);
        }

        if (c.Status is not ("ACTIVE" or "UPDATING"))
        {
            throw AwsErrorException.InvalidRequest($"Cluster '{clusterName}' is not in ACTIVE status", clusterName);
        }

        CheckCapabilityRole(roleArn, clusterName);
        var argoCd = ArgoCdOnCreate(type, Json.Obj(body, "configuration"), c);
        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        var now = world.Now;
        var capability = new Capability
        {
            Name = name,
            ClusterName = clusterName,
            Type = type,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:capability/{clusterName}/{type.ToLowerInvariant()}/{name}/{world.NewHex(12)}",
            RoleArn = roleArn,
            CreatedAt = now,
            ModifiedAt = now,
            TransitionAt = world.Schedule(now + world.Scaled(Durations.CapabilityCreate)),
            Version = type switch { "ARGOCD" => "3.1.8-eks-1", "KRO" => "v0.6.3", _ => null },
            ArgoCd = argoCd,
            Tags = tags,
        };
        c.Capabilities[name] = capability;
        var response = new JsonObject { ["capability"] = CapabilityJson(capability) };
        Remember("CreateCapability", $"{clusterName}/{name}", token, body, response,
            () => c.Capabilities.TryGetValue(name, out var current) ? new JsonObject { ["capability"] = CapabilityJson(current) } : null);
        return response;
    }

    private JsonObject ListCapabilities(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var c = GetCluster(clusterName);
        var (page, next) = Page([.. c.Capabilities.Keys], query);
        var summaries = new JsonArray();
        foreach (var k in page.Select(n => c.Capabilities[n]))
        {
            var summary = new JsonObject
            {
                ["capabilityName"] = k.Name, ["arn"] = k.Arn, ["type"] = k.Type, ["status"] = k.Status,
                ["createdAt"] = Json.Epoch(k.CreatedAt), ["modifiedAt"] = Json.Epoch(k.ModifiedAt),
            };
            if (k.Version is not null)
            {
                summary["version"] = k.Version;
            }

            summaries.Add(summary);
        }

        var o = new JsonObject { ["capabilities"] = summaries };
        if (next is not null)
        {
            o["nextToken"] = next;
        }

        return o;
    }

    private JsonObject UpdateCapability(string clusterName, string name, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var capability = GetCapability(clusterName, name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateCapability", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        if (c.Updates.Find(u => u.Capability == name && u.Status == "InProgress") is { } inFlight)
        {
            throw AwsErrorException.InUse($"Capability {name} in cluster {clusterName} currently has update {inFlight.Id} in progress", clusterName);
        }

        if (capability.Status is not ("ACTIVE" or "DEGRADED"))
        {
            throw AwsErrorException.InUse($"Capability {name} in cluster {clusterName} is in {capability.Status} state and cannot be updated", clusterName);
        }

        var roleArn = Json.Str(body, "roleArn");
        if (roleArn is not null && roleArn != capability.RoleArn)
        {
            CheckCapabilityRole(roleArn, clusterName);
        }

        var propagation = Json.Str(body, "deletePropagationPolicy");
        if (propagation is not null)
        {
            CheckEnum(propagation, "deletePropagationPolicy", ["RETAIN"], clusterName);
        }

        var argoCd = Json.Obj(Json.Obj(body, "configuration"), "argoCd");
        if (argoCd is not null && capability.Type != "ARGOCD")
        {
            throw AwsErrorException.InvalidParameter($"configuration.argoCd is not supported for a capability of type {capability.Type}", clusterName);
        }

        var mappings = Json.Obj(argoCd, "rbacRoleMappings");
        var add = RoleMappings(mappings?["addOrUpdateRoleMappings"], clusterName);
        var remove = RoleMappings(mappings?["removeRoleMappings"], clusterName);
        var network = Json.Obj(argoCd, "networkAccess");
        var vpceIds = network is null ? null : Json.StrList(network, "vpceIds") ?? [];

        // Only what the caller supplied, as UpdateParams.
        var parameters = new List<KeyValuePair<string, string>>();
        if (roleArn is not null) parameters.Add(new("RoleArn", roleArn));
        if (add.Count > 0) parameters.Add(new("RoleMappingsToAddOrUpdate", mappings!["addOrUpdateRoleMappings"]!.ToJsonString()));
        if (remove.Count > 0) parameters.Add(new("RoleMappingsToRemove", mappings!["removeRoleMappings"]!.ToJsonString()));
        if (network is not null) parameters.Add(new("NetworkAccess", network.ToJsonString()));
        if (parameters.Count == 0 && propagation is null)
        {
            throw AwsErrorException.InvalidParameter("No changes were provided for the capability", clusterName);
        }

        var update = StartUpdate(c, "CapabilityUpdate", parameters, world.Scaled(Durations.CapabilityUpdate), () =>
        {
            capability.RoleArn = roleArn ?? capability.RoleArn;
            capability.DeletePropagationPolicy = propagation ?? capability.DeletePropagationPolicy;
            if (capability.ArgoCd is { } current)
            {
                ApplyRoleMappings(current, add, remove);
                if (vpceIds is not null)
                {
                    current["networkAccess"] = new JsonObject { ["vpceIds"] = Json.Array(vpceIds) };
                }
            }

            capability.ModifiedAt = world.Now;
        }, nodegroup: null, capability: name);
        capability.Status = "UPDATING";
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateCapability", $"{clusterName}/{name}", token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    private JsonObject DeleteCapability(string clusterName, string name)
    {
        var c = GetCluster(clusterName);
        var capability = GetCapability(clusterName, name);
        if (capability.Status != "DELETING")
        {
            foreach (var u in c.Updates.Where(u => u.Capability == name && u.Status == "InProgress"))
            {
                u.Status = "Cancelled";
            }

            capability.Status = "DELETING";
            capability.ModifiedAt = world.Now;
            capability.TransitionAt = world.Schedule(world.Now + world.Scaled(Durations.CapabilityDelete));
        }

        return new JsonObject { ["capability"] = CapabilityJson(capability) };
    }

    private Capability GetCapability(string clusterName, string name) =>
        GetCluster(clusterName).Capabilities.TryGetValue(name, out var capability)
            ? capability
            : throw AwsErrorException.NotFound($"No capability found with name: {name} in cluster: {clusterName}", clusterName);

    /// <summary>
    /// The role must be this account's and visible to EKS (IAM propagation included, answered as for Pod Identity);
    /// its trust is only tried when EKS assumes it at the end of CREATING.
    /// </summary>
    private void CheckCapabilityRole(string roleArn, string clusterName)
    {
        if (!RoleArnPattern().IsMatch(roleArn))
        {
            throw AwsErrorException.InvalidParameter("The roleArn parameter format is not valid", clusterName);
        }

        var name = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        if (!roleArn.StartsWith($"arn:aws:iam::{world.Account}:role/", StringComparison.Ordinal)
            || !world.Roles.TryGetValue(name, out var role) || role.Arn != roleArn || world.Now < role.UsableAt)
        {
            throw AwsErrorException.InvalidParameter("Role provided in the request does not exist", clusterName);
        }
    }

    /// <summary>The Argo CD configuration as EKS will report it, checked; null (and refused when given) for the other types.</summary>
    private JsonObject? ArgoCdOnCreate(string type, JsonObject? configuration, Cluster c)
    {
        var argoCd = Json.Obj(configuration, "argoCd");
        if (type != "ARGOCD")
        {
            return argoCd is null ? null : throw AwsErrorException.InvalidParameter($"configuration.argoCd is not supported for a capability of type {type}", c.Name);
        }

        var idc = Json.Obj(argoCd, "awsIdc");
        var instance = Json.Str(idc, "idcInstanceArn");
        if (instance is null || !IdcInstancePattern().IsMatch(instance))
        {
            throw AwsErrorException.InvalidParameter("configuration.argoCd.awsIdc.idcInstanceArn is required for an ARGOCD capability (IAM Identity Center)", c.Name);
        }

        var region = Json.Str(idc, "idcRegion") ?? world.Region;
        var mappings = RoleMappings(argoCd!["rbacRoleMappings"], c.Name);
        var o = new JsonObject
        {
            ["namespace"] = Json.Str(argoCd, "namespace") ?? "argocd",
            ["awsIdc"] = new JsonObject
            {
                ["idcInstanceArn"] = instance,
                ["idcRegion"] = region,
                ["idcManagedApplicationArn"] = $"arn:aws:sso::{world.Account}:application/{instance[(instance.LastIndexOf('/') + 1)..]}/apl-{world.NewHex(16)}",
            },
            ["rbacRoleMappings"] = new JsonArray([.. mappings.Select(m => (JsonNode)MappingJson(m.Key, m.Value))]),
            ["serverUrl"] = $"https://{world.NewHex(10)}.argocd.eks-capabilities.{world.Region}.amazonaws.com",
        };
        if (Json.Obj(argoCd, "networkAccess") is { } network)
        {
            o["networkAccess"] = new JsonObject { ["vpceIds"] = Json.Array(Json.StrList(network, "vpceIds") ?? []) };
        }

        return o;
    }

    /// <summary>A role-mapping list (ArgoCdRoleMappingList) as role → identities (id, type), checked against the model's enums.</summary>
    private static Dictionary<string, List<(string Id, string Type)>> RoleMappings(JsonNode? list, string clusterName)
    {
        var result = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        foreach (var mapping in list as JsonArray ?? [])
        {
            var role = Json.Str(mapping as JsonObject, "role");
            CheckEnum(role, "rbacRoleMappings.role", ArgoCdRoles, clusterName);
            var identities = result.TryGetValue(role!, out var known) ? known : result[role!] = [];
            foreach (var identity in mapping?["identities"] as JsonArray ?? [])
            {
                var id = Json.Str(identity as JsonObject, "id");
                var kind = Json.Str(identity as JsonObject, "type");
                CheckEnum(kind, "identities.type", SsoIdentityTypes, clusterName);
                if (string.IsNullOrEmpty(id)) throw AwsErrorException.InvalidParameter("identities.id is required", clusterName);
                if (!identities.Contains((id, kind!))) identities.Add((id, kind!));
            }
        }

        return result;
    }

    /// <summary>Removals first (identities taken from their role; a role left without any goes), then each added role's identities replace its own.</summary>
    private static void ApplyRoleMappings(JsonObject argoCd, Dictionary<string, List<(string Id, string Type)>> add, Dictionary<string, List<(string Id, string Type)>> remove)
    {
        var current = RoleMappings(argoCd["rbacRoleMappings"], "");
        foreach (var (role, identities) in remove)
        {
            if (current.TryGetValue(role, out var held))
            {
                held.RemoveAll(identities.Contains);
                if (held.Count == 0) current.Remove(role);
            }
        }

        foreach (var (role, identities) in add)
        {
            current[role] = identities;
        }

        argoCd["rbacRoleMappings"] = new JsonArray([.. ArgoCdRoles.Where(current.ContainsKey).Select(r => (JsonNode)MappingJson(r, current[r]))]);
    }

    private static JsonObject MappingJson(string role, List<(string Id, string Type)> identities) => new()
    {
        ["role"] = role,
        ["identities"] = new JsonArray([.. identities.Select(i => (JsonNode)new JsonObject { ["id"] = i.Id, ["type"] = i.Type })]),
    };

    private static void CheckEnum(string? value, string member, string[] allowed, string clusterName)
    {
        if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw AwsErrorException.InvalidParameter(
                $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]", clusterName);
        }
    }

    private static JsonObject CapabilityJson(Capability k)
    {
        var issues = new JsonArray([.. k.Issues.Select(i => (JsonNode)new JsonObject { ["code"] = i.Code, ["message"] = i.Message })]);
        var o = new JsonObject
        {
            ["capabilityName"] = k.Name,
            ["arn"] = k.Arn,
            ["clusterName"] = k.ClusterName,
            ["type"] = k.Type,
            ["roleArn"] = k.RoleArn,
            ["status"] = k.Status,
        };
        if (k.Version is not null)
        {
            o["version"] = k.Version;
        }

        o["configuration"] = k.ArgoCd is null ? new JsonObject() : new JsonObject { ["argoCd"] = k.ArgoCd.DeepClone() };
        o["tags"] = Json.Map(k.Tags);
        o["health"] = new JsonObject { ["issues"] = issues };
        o["createdAt"] = Json.Epoch(k.CreatedAt);
        o["modifiedAt"] = Json.Epoch(k.ModifiedAt);
        o["deletePropagationPolicy"] = k.DeletePropagationPolicy;
        return o;
    }

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex CapabilityNamePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{1,64}$")]
    private static partial Regex IdcInstancePattern();
}
