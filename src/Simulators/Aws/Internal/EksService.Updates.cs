using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Updates: listing and describing them, and the rules every update starts under.</summary>
internal sealed partial class EksService
{
    private JsonObject ListUpdates(string name, IReadOnlyDictionary<string, List<string>> query)
    {
        var c = GetCluster(name);
        var nodegroup = query.TryGetValue("nodegroupName", out var ng) ? ng[0] : null;
        if (nodegroup is not null)
        {
            GetNodegroup(name, nodegroup);
        }

        var addon = query.TryGetValue("addonName", out var a) ? a[0] : null;
        if (addon is not null)
        {
            GetAddon(name, addon);
        }

        var capability = query.TryGetValue("capabilityName", out var k) ? k[0] : null;
        if (capability is not null)
        {
            GetCapability(name, capability);
        }

        var ids = c.Updates.Where(u => u.Nodegroup == nodegroup && u.Addon == addon && u.Capability == capability).Select(u => u.Id).ToList();
        var (page, next) = Page(ids, query);
        return new JsonObject { ["updateIds"] = Json.Array(page), ["nextToken"] = next };
    }

    private JsonObject DescribeUpdate(string name, string updateId, IReadOnlyDictionary<string, List<string>> query)
    {
        var c = GetCluster(name);
        var nodegroup = query.TryGetValue("nodegroupName", out var ng) ? ng[0] : null;
        // An add-on update is found only under its addonName, as a node group's only under its nodegroupName (reference §1.7).
        var addon = query.TryGetValue("addonName", out var a) ? a[0] : null;
        var capability = query.TryGetValue("capabilityName", out var k) ? k[0] : null;
        var update = c.Updates.Find(u => u.Id == updateId && u.Nodegroup == nodegroup && u.Addon == addon && u.Capability == capability)
            ?? throw new AwsErrorException(404, "ResourceNotFoundException", $"No update found for ID: {updateId}") { ClusterName = name, NodegroupName = nodegroup, AddonName = addon };
        return new JsonObject { ["update"] = UpdateJson(update) };
    }

    private static void RequireUpdatable(Cluster c, string updateType)
    {
        if (c.InFlightClusterUpdate is { } inFlight)
        {
            throw AwsErrorException.InUse($"Cannot {updateType} because cluster {c.Name} currently has update {inFlight.Id} in progress", c.Name);
        }

        if (c.Status != "ACTIVE")
        {
            throw AwsErrorException.InvalidRequest($"Cluster {c.Name} is in {c.Status} state; updates are allowed only for ACTIVE clusters", c.Name);
        }
    }

    private static void RequireNodegroupUpdatable(Cluster c, Nodegroup ng)
    {
        if (c.Updates.Find(u => u.Nodegroup == ng.Name && u.Status == "InProgress") is { } inFlight)
        {
            throw AwsErrorException.InUse($"Nodegroup {ng.Name} in cluster {c.Name} currently has update {inFlight.Id} in progress", c.Name, ng.Name);
        }

        if (ng.Status != "ACTIVE")
        {
            throw AwsErrorException.InvalidRequest($"Nodegroup {ng.Name} is in {ng.Status} state; updates are allowed only for ACTIVE node groups", c.Name, ng.Name);
        }
    }

    private EksUpdate StartUpdate(Cluster c, string type, List<KeyValuePair<string, string>> parameters, TimeSpan duration, Action apply, string? nodegroup,
        string? addon = null, string? capability = null)
    {
        var now = world.Now;
        var update = new EksUpdate
        {
            Id = world.NewUuid(),
            Type = type,
            Params = parameters,
            CreatedAt = now,
            CompletesAt = world.Schedule(now + duration),
            Nodegroup = nodegroup,
            Addon = addon,
            Capability = capability,
            Apply = apply,
        };
        if (nodegroup is null && addon is null && capability is null)
        {
            world.Schedule(now + world.Scaled(Durations.ClusterUpdatingVisibleAfter));
        }

        c.Updates.Add(update);
        return update;
    }

    private static void AddIfPresent(List<KeyValuePair<string, string>> parameters, JsonObject source, string member, string paramType)
    {
        if (source[member] is { } value)
        {
            parameters.Add(new(paramType, value.ToString()));
        }
    }
}
