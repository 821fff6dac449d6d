using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>The control API's insight endpoints (/_sim/insights…) and the insights part of the state dump.</summary>
internal sealed class InsightControl(World world)
{
    /// <summary>ClusterIssueCode in EKS's model.</summary>
    private static readonly string[] ClusterIssueCodes =
    [
        "AccessDenied", "ClusterUnreachable", "ConfigurationConflict", "InternalFailure", "ResourceLimitExceeded", "ResourceNotFound", "IamRoleNotFound",
        "VpcNotFound", "InsufficientFreeAddresses", "Ec2ServiceNotSubscribed", "Ec2SubnetNotFound", "Ec2SecurityGroupNotFound", "KmsGrantRevoked",
        "KmsKeyNotFound", "KmsKeyMarkedForDeletion", "KmsKeyDisabled", "StsRegionalEndpointDisabled", "UnsupportedVersion", "Other",
    ];

    /// <summary>
    /// POST /_sim/insights {cluster, name, kubernetesVersion, status, reason, category?, description?, recommendation?,
    /// resources?:[{kubernetesResourceUri?, arn?, status?, reason?}], deprecationDetails?:[…]}: replaces the insight of that
    /// name and version (computed or injected) or adds one. Returns {id}.
    /// </summary>
    public JsonObject Inject(JsonObject o)
    {
        var name = Required(o, "name");
        var version = Required(o, "kubernetesVersion");
        var status = OneOf(Required(o, "status"), "status", InsightValues.Statuses);
        var category = OneOf(Text(o, "category") ?? InsightValues.UpgradeReadiness, "category", InsightValues.Categories);
        var reason = Text(o, "reason") ?? string.Empty;
        var resources = Items(o, "resources").Select(r => new InsightResource(
            OneOf(Text(r, "status") ?? status, "resources[].status", InsightValues.Statuses), Text(r, "reason") ?? reason,
            Text(r, "kubernetesResourceUri"), Text(r, "arn"))).ToList();
        var deprecations = Items(o, "deprecationDetails").Select(d => new InsightDeprecation(
            Text(d, "usage") ?? throw new ArgumentException("Each deprecation detail needs a usage."),
            Text(d, "replacedWith"), Text(d, "stopServingVersion"), Text(d, "startServingReplacementVersion"),
            [.. Items(d, "clientStats").Select(s => new InsightClientStat(Text(s, "userAgent") ?? string.Empty,
                s["numberOfRequestsLast30Days"]?.GetValue<int>() ?? 0, Time(s, "lastRequestTime")))])).ToList();
        lock (world.Gate)
        {
            world.Tick();
            var c = Cluster(Required(o, "cluster"));
            c.Insights.Injected.RemoveAll(i => i.Name == name && i.KubernetesVersion == version);
            c.Insights.Injected.Add(new InjectedInsight(name, category, version, status, reason, Text(o, "description"), Text(o, "recommendation"),
                resources, deprecations, world.Now));
            return new JsonObject { ["id"] = InsightBook.IdOf(c, name, version) };
        }
    }

    /// <summary>DELETE /_sim/insights?cluster=…: the cluster's computed insights show again. Returns {removed}.</summary>
    public JsonObject Clear(string? clusterName)
    {
        lock (world.Gate)
        {
            world.Tick();
            var c = Cluster(clusterName ?? throw new ArgumentException("The cluster query parameter is required."));
            var removed = c.Insights.Injected.Count;
            c.Insights.Injected.Clear();
            return new JsonObject { ["removed"] = removed };
        }
    }

    /// <summary>PUT /_sim/insights/refreshed {cluster, at}: when the insights were last refreshed (a refresh under way still ends later).</summary>
    public JsonObject SetRefreshed(JsonObject o)
    {
        var at = Time(o, "at") ?? throw new ArgumentException("at is required (ISO-8601).");
        lock (world.Gate)
        {
            world.Tick();
            var c = Cluster(Required(o, "cluster"));
            InsightBook.Settle(world, c);
            c.Insights.RefreshedAt = at;
            if (c.Insights.RefreshEndsAt is null)
            {
                c.Insights.RefreshStartedAt = at;
            }

            return RefreshJson(c);
        }
    }

    /// <summary>
    /// PUT /_sim/clusters/health {clusterName, issues:[{code, message, resourceIds}]}: what DescribeCluster reports as
    /// health.issues and the cluster health insight turns ERROR on; empty issues clear them. Returns {issues}.
    /// </summary>
    public JsonObject SetClusterHealth(JsonObject o)
    {
        var issues = Items(o, "issues").Select(i => new ClusterHealthIssue(
            OneOf(Required(i, "code"), "code", ClusterIssueCodes), Text(i, "message") ?? string.Empty,
            [.. Items(i, "resourceIds", allowStrings: true).Select(r => r.GetValue<string>())])).ToList();
        lock (world.Gate)
        {
            world.Tick();
            Cluster(Required(o, "clusterName")).HealthIssues = issues;
            InsightBook.ObserveAll(world);
            return new JsonObject { ["issues"] = issues.Count };
        }
    }

    /// <summary>GET / PUT /_sim/insights/enforce {enabled}.</summary>
    public JsonObject Enforce(JsonObject? o)
    {
        lock (world.Gate)
        {
            if (o is not null)
            {
                world.EnforceUpgradeInsights = o["enabled"]?.GetValue<bool>() ?? throw new ArgumentException("enabled (true or false) is required.");
            }

            return new JsonObject { ["enabled"] = world.EnforceUpgradeInsights };
        }
    }

    /// <summary>The state dump's view of a cluster's insights. Call under the world's lock.</summary>
    public JsonArray InsightsJson(Cluster c) =>
        new([.. InsightBook.Current(world, c).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = i.Id, ["name"] = i.Finding.Name, ["kubernetesVersion"] = i.Finding.KubernetesVersion, ["status"] = i.Finding.Status, ["reason"] = i.Finding.Reason,
        })]);

    /// <summary>{status, startedAt, endedAt} of the last refresh, ISO-8601. Call under the world's lock.</summary>
    public JsonObject RefreshJson(Cluster c)
    {
        var (status, startedAt, endedAt) = InsightBook.Refresh(world, c);
        return new JsonObject { ["status"] = status, ["startedAt"] = Iso(startedAt), ["endedAt"] = endedAt is { } e ? Iso(e) : null };
    }

    private Cluster Cluster(string name) =>
        world.Clusters.GetValueOrDefault(name) ?? throw new ArgumentException($"No cluster {name}.");

    private static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    private static string Required(JsonObject o, string member) => Text(o, member) ?? throw new ArgumentException($"{member} is required.");

    private static string? Text(JsonObject o, string member) => o[member] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new ArgumentException($"{member} must be a string."),
    };

    private static DateTimeOffset? Time(JsonObject o, string member) =>
        Text(o, member) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    private static IEnumerable<JsonObject> Items(JsonObject o, string member) =>
        Items(o, member, allowStrings: false).Select(i => i as JsonObject ?? throw new ArgumentException($"Each of {member} must be an object."));

    private static IEnumerable<JsonNode> Items(JsonObject o, string member, bool allowStrings) => o[member] switch
    {
        null => [],
        JsonArray a => a.Select(i => i is JsonObject || (allowStrings && i?.GetValueKind() == JsonValueKind.String) ? i! : throw new ArgumentException($"{member} has an entry of the wrong type.")),
        _ => throw new ArgumentException($"{member} must be a list."),
    };

    private static string OneOf(string value, string member, string[] allowed) =>
        allowed.Contains(value, StringComparer.Ordinal) ? value : throw new ArgumentException($"{member} must be one of {string.Join(", ", allowed)}.");
}
