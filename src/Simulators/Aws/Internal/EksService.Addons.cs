using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Add-ons on a cluster: create, describe, list, update (an asynchronous AddonUpdate) and delete (reference §1).</summary>
internal sealed partial class EksService
{
    private static readonly string[] ResolveConflictsValues = ["OVERWRITE", "NONE", "PRESERVE"];

    private JsonObject CreateAddon(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var name = Json.Required(body, "addonName", clusterName);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("CreateAddon", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        if (c.Addons.ContainsKey(name))
        {
            throw AddonError(409, "ResourceInUseException", "Addon already exists.", clusterName, name);
        }

        // Unconfirmed: the node group rule (an add-on is installed into a running control plane).
        if (c.Status is not ("ACTIVE" or "UPDATING"))
        {
            throw AddonError(400, "InvalidRequestException", $"Cluster '{clusterName}' is not in ACTIVE status", clusterName, name);
        }

        var definition = world.Addons.Find(name);
        if (definition is null || !definition.Versions.Any(v => v.CompatibleWith(c.Version)))
        {
            throw AddonError(400, "InvalidParameterException", $"Addon {name} specified is not supported in {c.Version} kubernetes version", clusterName, name);
        }

        var version = VersionFor(definition, Json.Str(body, "addonVersion"), c);
        var roleArn = CheckServiceAccountRole(Json.Str(body, "serviceAccountRoleArn"), clusterName, name);
        var resolveConflicts = Json.Str(body, "resolveConflicts");
        CheckResolveConflicts(resolveConflicts, clusterName, name);
        if (resolveConflicts == "PRESERVE" && world.Options.RejectPreserveOnCreateAddon)
        {
            throw AddonError(400, "InvalidParameterException", "Resolve conflicts option PRESERVE is not supported for operation CreateAddon", clusterName, name);
        }

        var tags = Json.StrMap(body, "tags") ?? new(StringComparer.Ordinal);
        CheckTags(tags, clusterName, forTagApi: false);
        var configuration = Json.Str(body, "configurationValues");
        CheckConfiguration(definition, configuration, clusterName);
        var podIdentity = AddonPodIdentity.Parse(body, clusterName, name) ?? [];
        AddonPodIdentity.Check(definition, version, podIdentity, clusterName);
        var ns = Json.Str(Json.Obj(body, "namespaceConfig"), "namespace");
        if (ns is not null && (ns.Length > 63 || !DnsLabelPattern().IsMatch(ns)))
        {
            throw AddonError(400, "InvalidParameterException", $"Namespace {ns} is not a valid Kubernetes namespace name", clusterName, name);
        }

        var now = world.Now;
        var addon = new Addon
        {
            Name = name,
            ClusterName = clusterName,
            Arn = $"arn:aws:eks:{world.Region}:{world.Account}:addon/{clusterName}/{name}/{world.NewUuid()}",
            CreatedAt = now,
            ModifiedAt = now,
            Version = version.Version,
            TransitionAt = world.Schedule(now + world.Scaled(Durations.AddonCreate)),
            ServiceAccountRoleArn = roleArn,
            ConfigurationValues = configuration,
            Namespace = ns,
            Tags = tags,
        };
        CreateAddonAssociations(c, addon, podIdentity);
        c.Addons[name] = addon;
        var response = new JsonObject { ["addon"] = AddonJson(addon) };
        Remember("CreateAddon", $"{clusterName}/{name}", token, body, response,
            () => c.Addons.TryGetValue(name, out var current) ? new JsonObject { ["addon"] = AddonJson(current) } : null);
        return response;
    }

    private JsonObject ListAddons(string clusterName, IReadOnlyDictionary<string, List<string>> query)
    {
        var (page, next) = Page([.. GetCluster(clusterName).Addons.Keys], query);
        var o = new JsonObject { ["addons"] = Json.Array(page) };
        if (next is not null)
        {
            o["nextToken"] = next;
        }

        return o;
    }

    private JsonObject UpdateAddon(string clusterName, string name, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var addon = GetAddon(clusterName, name);
        var token = Json.Str(body, "clientRequestToken");
        if (Replay("UpdateAddon", $"{clusterName}/{name}", token, body) is { } replay)
        {
            return replay;
        }

        // Unconfirmed messages: EKS is only known to refuse a second update of a busy add-on with ResourceInUseException.
        if (c.Updates.Find(u => u.Addon == name && u.Status == "InProgress") is { } inFlight)
        {
            throw AddonError(409, "ResourceInUseException", $"Addon {name} in cluster {clusterName} currently has update {inFlight.Id} in progress", clusterName, name);
        }

        if (addon.Status is "CREATING" or "DELETING")
        {
            throw AddonError(409, "ResourceInUseException", $"Addon {name} in cluster {clusterName} is in {addon.Status} state and cannot be updated", clusterName, name);
        }

        var definition = world.Addons.Find(name)!;
        var requested = Json.Str(body, "addonVersion");
        var target = requested is null ? definition.Find(addon.Version)! : VersionFor(definition, requested, c);
        var roleArn = CheckServiceAccountRole(Json.Str(body, "serviceAccountRoleArn"), clusterName, name);
        var resolveConflicts = Json.Str(body, "resolveConflicts");
        CheckResolveConflicts(resolveConflicts, clusterName, name);
        var configuration = Json.Str(body, "configurationValues");
        CheckConfiguration(definition, configuration, clusterName);
        var podIdentity = AddonPodIdentity.Parse(body, clusterName, name);
        if (podIdentity is not null)
        {
            AddonPodIdentity.Check(definition, target, podIdentity, clusterName);
            CheckAddonAssociations(c, addon, podIdentity);
        }

        // Only what the caller supplied, in the model's member order (reference §1.7).
        var parameters = new List<KeyValuePair<string, string>>();
        var supplied = body ?? [];
        AddIfPresent(parameters, supplied, "addonVersion", "AddonVersion");
        AddIfPresent(parameters, supplied, "serviceAccountRoleArn", "ServiceAccountRoleArn");
        AddIfPresent(parameters, supplied, "resolveConflicts", "ResolveConflicts");
        AddIfPresent(parameters, supplied, "configurationValues", "ConfigurationValues");
        if (podIdentity is not null)
        {
            parameters.Add(new("PodIdentityAssociations", supplied["podIdentityAssociations"]!.ToJsonString()));
        }

        // Omitted members keep their value; '{}' is a configuration like any other (it resets to the defaults).
        var update = StartUpdate(c, "AddonUpdate", parameters, world.Scaled(Durations.AddonUpdate), () =>
        {
            // First, as it is the only part that can fail: a failed update changes nothing.
            if (podIdentity is not null)
            {
                ReplaceAddonAssociations(c, addon, podIdentity);
            }

            addon.Version = target.Version;
            addon.ServiceAccountRoleArn = roleArn ?? addon.ServiceAccountRoleArn;
            addon.ConfigurationValues = configuration ?? addon.ConfigurationValues;
            addon.ModifiedAt = world.Now;
        }, nodegroup: null, addon: name);
        addon.Status = "UPDATING";
        var response = new JsonObject { ["update"] = UpdateJson(update) };
        Remember("UpdateAddon", $"{clusterName}/{name}", token, body, response, () => new JsonObject { ["update"] = UpdateJson(update) });
        return response;
    }

    private JsonObject DeleteAddon(string clusterName, string name, IReadOnlyDictionary<string, List<string>> query)
    {
        var preserve = QueryBool(query, "preserve");
        var c = GetCluster(clusterName);
        var addon = GetAddon(clusterName, name);
        if (addon.Status != "DELETING")
        {
            StartAddonDelete(c, addon);
            addon.Preserve = preserve;
        }

        return new JsonObject { ["addon"] = AddonJson(addon) };
    }

    /// <summary>EKS deletes a cluster's add-ons with it, so add-ons never block DeleteCluster.</summary>
    private void DeleteAddonsOf(Cluster c)
    {
        foreach (var addon in c.Addons.Values.Where(a => a.Status != "DELETING"))
        {
            StartAddonDelete(c, addon);
        }
    }

    private void StartAddonDelete(Cluster c, Addon addon)
    {
        foreach (var u in c.Updates.Where(u => u.Addon == addon.Name && u.Status == "InProgress"))
        {
            u.Status = "Cancelled";
        }

        addon.Status = "DELETING";
        addon.ModifiedAt = world.Now;
        ReleaseAddonAssociationsOnRemoval(c, addon);
        addon.TransitionAt = world.Schedule(world.Now + world.Scaled(Durations.AddonDelete));
    }

    private Addon GetAddon(string clusterName, string name) =>
        GetCluster(clusterName).Addons.TryGetValue(name, out var addon)
            ? addon
            : throw AddonError(404, "ResourceNotFoundException", $"No addon: {name} found in cluster: {clusterName}", clusterName, name);

    /// <summary>The requested version if the catalogue has it for the cluster's minor, else the minor's default when none is requested.</summary>
    private static AddonVersionEntry VersionFor(AddonDefinition definition, string? requested, Cluster c)
    {
        var version = requested is null ? definition.DefaultFor(c.Version) : definition.Find(requested);
        return version is not null && version.CompatibleWith(c.Version)
            ? version
            : throw AddonError(400, "InvalidParameterException", "Addon version specified is not supported", c.Name, definition.Name);
    }

    private static string? CheckServiceAccountRole(string? roleArn, string cluster, string addon) =>
        roleArn is { Length: 0 or > 255 }
            ? throw AddonError(400, "InvalidParameterException",
                "1 validation error detected: Value at 'serviceAccountRoleArn' failed to satisfy constraint: Member must have length between 1 and 255", cluster, addon)
            : roleArn;

    private static void CheckResolveConflicts(string? value, string cluster, string addon)
    {
        if (value is not null && !ResolveConflictsValues.Contains(value))
        {
            throw AddonError(400, "InvalidParameterException",
                $"1 validation error detected: Value '{value}' at 'resolveConflicts' failed to satisfy constraint: Member must satisfy enum value set: [OVERWRITE, NONE, PRESERVE]",
                cluster, addon);
        }
    }

    private static void CheckConfiguration(AddonDefinition definition, string? values, string cluster)
    {
        if (values is not null && AddonConfiguration.Problems(definition.ConfigurationSchema, values) is { } problems)
        {
            throw AddonError(400, "InvalidParameterException", $"ConfigurationValue provided in request is not supported {problems}", cluster, definition.Name);
        }
    }

    /// <summary>Add-on errors carry addonName next to clusterName (reference §1.11).</summary>
    private static AwsErrorException AddonError(int status, string code, string message, string cluster, string addon) =>
        new(status, code, message) { ClusterName = cluster, AddonName = addon };

    private JsonObject AddonJson(Addon a)
    {
        var definition = world.Addons.Find(a.Name);
        var issues = new JsonArray();
        foreach (var issue in a.HealthIssues)
        {
            issues.Add(new JsonObject { ["code"] = issue.Code, ["message"] = issue.Message, ["resourceIds"] = Json.Array(issue.ResourceIds) });
        }

        var o = new JsonObject
        {
            ["addonName"] = a.Name,
            ["clusterName"] = a.ClusterName,
            ["status"] = a.Status,
            ["addonVersion"] = a.Version,
            ["health"] = new JsonObject { ["issues"] = issues },
            ["addonArn"] = a.Arn,
            ["createdAt"] = Json.Epoch(a.CreatedAt),
            ["modifiedAt"] = Json.Epoch(a.ModifiedAt),
        };
        if (a.ServiceAccountRoleArn is not null)
        {
            o["serviceAccountRoleArn"] = a.ServiceAccountRoleArn;
        }

        o["tags"] = Json.Map(a.Tags);
        o["publisher"] = definition?.Publisher;
        o["owner"] = definition?.Owner;
        if (a.ConfigurationValues is not null)
        {
            o["configurationValues"] = a.ConfigurationValues;
        }

        o["podIdentityAssociations"] = Json.Array(OwnedAssociations(a).Select(p => p.Arn));
        if (a.Namespace is not null)
        {
            o["namespaceConfig"] = new JsonObject { ["namespace"] = a.Namespace };
        }

        return o;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabelPattern();
}
