using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Cluster insights (ListInsights, DescribeInsight, Start/DescribeInsightsRefresh) and the upgrade-readiness block (reference §4).</summary>
internal sealed partial class EksService
{
    /// <summary>UpdateClusterVersion's refusal when enforcement is on (reference §4.3, the text EKS sent on 2025-03-27).</summary>
    public const string UpgradeBlockedMessage = "Upgrade readiness issues detected. Call the EKS ListInsights API to view upgrade blocking issues detected by EKS. Pass the force flag to override upgrade readiness errors and proceed with upgrade.";

    private JsonObject ListInsights(string clusterName, JsonObject? body)
    {
        var c = GetCluster(clusterName);
        var filter = Json.Obj(body, "filter");
        var categories = CheckEnum(Json.StrList(filter, "categories"), "filter.categories", InsightValues.Categories, clusterName);
        var statuses = CheckEnum(Json.StrList(filter, "statuses"), "filter.statuses", InsightValues.Statuses, clusterName);
        var versions = Json.StrList(filter, "kubernetesVersions");
        if (versions?.FirstOrDefault(v => !MinorVersionPattern().IsMatch(v)) is { } bad)
        {
            throw AwsErrorException.InvalidParameter($"Invalid Kubernetes version {bad} in filter.kubernetesVersions: expected major.minor, e.g. 1.33", clusterName);
        }

        // ListInsights pages through body members, not the query string; the shared pager reads them from a query-like map.
        var paging = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (Json.Int(body, "maxResults") is { } max)
        {
            paging["maxResults"] = [max.ToString(CultureInfo.InvariantCulture)];
        }

        if (Json.Str(body, "nextToken") is { } token)
        {
            paging["nextToken"] = [token];
        }

        var matching = InsightBook.Current(world, c)
            .Where(i => categories is null || categories.Count == 0 || categories.Contains(i.Finding.Category))
            .Where(i => statuses is null || statuses.Count == 0 || statuses.Contains(i.Finding.Status))
            .Where(i => versions is null || versions.Count == 0 || versions.Contains(i.Finding.KubernetesVersion))
            .ToDictionary(i => i.Id);
        var (page, next) = Page([.. matching.Keys], paging);
        return new JsonObject { ["insights"] = new JsonArray([.. page.Select(id => (JsonNode)InsightSummaryJson(matching[id]))]), ["nextToken"] = next };
    }

    private JsonObject DescribeInsight(string clusterName, string id)
    {
        var c = GetCluster(clusterName);
        var insight = InsightBook.Current(world, c).FirstOrDefault(i => i.Id == id)
            ?? throw AwsErrorException.NotFound($"No insight found for id: {id}.", clusterName);
        return new JsonObject { ["insight"] = InsightJson(insight) };
    }

    // Unconfirmed: what EKS answers for a cluster still CREATING, and for a second start while one runs (reference §4.2).
    // A second start returns the refresh under way rather than an error.
    private JsonObject StartInsightsRefresh(string clusterName)
    {
        var c = GetCluster(clusterName);
        if (c.Status is "CREATING" or "DELETING")
        {
            throw AwsErrorException.InvalidRequest($"Cluster {clusterName} is in {c.Status} state; insights can be refreshed only for ACTIVE clusters", clusterName);
        }

        InsightBook.StartRefresh(world, c);
        var (status, _, _) = InsightBook.Refresh(world, c);
        return new JsonObject { ["message"] = RefreshMessage(status), ["status"] = status };
    }

    private JsonObject DescribeInsightsRefresh(string clusterName)
    {
        var c = GetCluster(clusterName);
        var (status, startedAt, endedAt) = InsightBook.Refresh(world, c);
        var o = new JsonObject { ["message"] = RefreshMessage(status), ["status"] = status, ["startedAt"] = Json.Epoch(startedAt) };
        if (endedAt is { } ended)
        {
            o["endedAt"] = Json.Epoch(ended);
        }

        return o;
    }

    /// <summary>With enforcement on, an ERROR upgrade insight for the target version refuses the upgrade unless forced.</summary>
    private void CheckUpgradeReadiness(Cluster c, string version, bool force)
    {
        if (!world.EnforceUpgradeInsights || force)
        {
            return;
        }

        var blocking = InsightBook.Current(world, c).Any(i =>
            i.Finding.Category == InsightValues.UpgradeReadiness && i.Finding.KubernetesVersion == version && i.Finding.Status == InsightValues.Error);
        if (blocking)
        {
            throw new AwsErrorException(400, "InvalidStateException", UpgradeBlockedMessage) { ClusterName = c.Name };
        }
    }

    // The IN_PROGRESS text is the user guide's; the COMPLETED one is unconfirmed.
    private static string RefreshMessage(string status) =>
        status == InsightBook.RefreshInProgress ? "Insights refresh is in progress" : "Insights refresh completed";

    private static List<string>? CheckEnum(List<string>? values, string member, string[] allowed, string cluster)
    {
        if (values?.FirstOrDefault(v => !allowed.Contains(v, StringComparer.Ordinal)) is not null)
        {
            throw AwsErrorException.InvalidParameter(
                $"1 validation error detected: Value '[{string.Join(", ", values)}]' at '{member}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", allowed)}]]",
                cluster);
        }

        return values;
    }

    private static JsonObject InsightSummaryJson(InsightView i) => new()
    {
        ["id"] = i.Id,
        ["name"] = i.Finding.Name,
        ["category"] = i.Finding.Category,
        ["kubernetesVersion"] = i.Finding.KubernetesVersion,
        ["lastRefreshTime"] = Json.Epoch(i.LastRefreshTime),
        ["lastTransitionTime"] = Json.Epoch(i.LastTransitionTime),
        ["description"] = i.Finding.Description,
        ["insightStatus"] = StatusJson(i.Finding.Status, i.Finding.Reason),
    };

    private static JsonObject InsightJson(InsightView i)
    {
        var o = InsightSummaryJson(i);
        var f = i.Finding;
        o["recommendation"] = f.Recommendation;
        o["additionalInfo"] = Json.Map(f.AdditionalInfo);
        var resources = new JsonArray();
        foreach (var r in f.Resources)
        {
            var resource = new JsonObject { ["insightStatus"] = StatusJson(r.Status, r.Reason) };
            if (r.KubernetesResourceUri is not null)
            {
                resource["kubernetesResourceUri"] = r.KubernetesResourceUri;
            }

            if (r.Arn is not null)
            {
                resource["arn"] = r.Arn;
            }

            resources.Add(resource);
        }

        o["resources"] = resources;
        var deprecations = new JsonArray();
        foreach (var d in f.Deprecations)
        {
            deprecations.Add(WithoutNulls(new JsonObject
            {
                ["usage"] = d.Usage,
                ["replacedWith"] = d.ReplacedWith,
                ["stopServingVersion"] = d.StopServingVersion,
                ["startServingReplacementVersion"] = d.StartServingReplacementVersion,
                ["clientStats"] = new JsonArray([.. d.ClientStats.Select(s => (JsonNode)new JsonObject
                {
                    ["userAgent"] = s.UserAgent,
                    ["numberOfRequestsLast30Days"] = s.NumberOfRequestsLast30Days,
                    ["lastRequestTime"] = s.LastRequestTime is { } t ? Json.Epoch(t) : null,
                })]),
            }));
        }

        o["categorySpecificSummary"] = new JsonObject
        {
            ["deprecationDetails"] = deprecations,
            ["addonCompatibilityDetails"] = new JsonArray([.. f.AddonCompatibility.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name, ["compatibleVersions"] = Json.Array(a.CompatibleVersions),
            })]),
        };
        return o;
    }

    // Members the injecting test left out are left out, as EKS omits members it has no value for.
    private static JsonObject WithoutNulls(JsonObject o)
    {
        foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            o.Remove(key);
        }

        return o;
    }

    private static JsonObject StatusJson(string status, string reason) => new() { ["status"] = status, ["reason"] = reason };

    [GeneratedRegex(@"^\d+\.\d+$")]
    private static partial Regex MinorVersionPattern();
}
