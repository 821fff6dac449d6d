using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Tags on clusters, node groups, Fargate profiles, add-ons, access entries, Pod Identity associations and capabilities, addressed by ARN, and the rules tags obey.</summary>
internal sealed partial class EksService
{
    private JsonObject TagResource(string arn, JsonObject? body)
    {
        var tags = TagsOf(arn);
        var add = Json.StrMap(body, "tags") ?? throw new AwsErrorException(400, "BadRequestException", "tags is required.");
        if (add.Count == 0)
        {
            throw new AwsErrorException(400, "BadRequestException", "At least one tag is required.");
        }

        var merged = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        foreach (var (k, v) in add)
        {
            merged[k] = v;
        }

        CheckTags(add, null, forTagApi: true);
        CheckTags(merged, null, forTagApi: true);
        foreach (var (k, v) in add)
        {
            tags[k] = v;
        }

        return [];
    }

    private JsonObject UntagResource(string arn, IReadOnlyDictionary<string, List<string>> query)
    {
        var tags = TagsOf(arn);
        if (!query.TryGetValue("tagKeys", out var keys) || keys.Count == 0)
        {
            throw new AwsErrorException(400, "BadRequestException", "tagKeys is required.");
        }

        foreach (var key in keys)
        {
            tags.Remove(key);
        }

        return [];
    }

    private Dictionary<string, string> TagsOf(string arn)
    {
        if (EntryArnPattern().Match(arn) is { Success: true } entry)
        {
            return EntryTagsOf(arn, entry);
        }

        var m = EksArnPattern().Match(arn);
        if (!m.Success)
        {
            throw new AwsErrorException(400, "BadRequestException", $"Invalid ARN: {arn}");
        }

        var notFound = new AwsErrorException(404, "NotFoundException", $"Resource {arn} not found");
        if (m.Groups["region"].Value != world.Region || m.Groups["account"].Value != world.Account || !world.Clusters.TryGetValue(m.Groups["cluster"].Value, out var c))
        {
            throw notFound;
        }

        return m.Groups["kind"].Value switch
        {
            "cluster" when m.Groups["child"].Success => throw new AwsErrorException(400, "BadRequestException", $"Invalid ARN: {arn}"),
            "cluster" => c.Tags,
            "nodegroup" when c.Nodegroups.TryGetValue(m.Groups["child"].Value, out var ng) && ng.Arn == arn => ng.Tags,
            "fargateprofile" when c.FargateProfiles.TryGetValue(m.Groups["child"].Value, out var fp) && fp.Arn == arn => fp.Tags,
            "addon" when c.Addons.TryGetValue(m.Groups["child"].Value, out var addon) && addon.Arn == arn => addon.Tags,
            _ => throw notFound,
        };
    }

    /// <summary>Access entries, Pod Identity associations and capabilities: looked up by their full ARN (its uuid or id makes it unique).</summary>
    private Dictionary<string, string> EntryTagsOf(string arn, Match m)
    {
        var c = m.Groups["region"].Value == world.Region && m.Groups["account"].Value == world.Account
            ? world.Clusters.GetValueOrDefault(m.Groups["cluster"].Value)
            : null;
        var tags = m.Groups["kind"].Value switch
        {
            "access-entry" => c?.AccessEntries.Values.FirstOrDefault(e => e.Arn == arn)?.Tags,
            "capability" => c?.Capabilities.Values.FirstOrDefault(k => k.Arn == arn)?.Tags,
            _ => c?.PodIdentityAssociations.Values.FirstOrDefault(a => a.Arn == arn)?.Tags,
        };
        return tags ?? throw new AwsErrorException(404, "NotFoundException", $"Resource {arn} not found");
    }

    private static void CheckTags(Dictionary<string, string> tags, string? cluster, bool forTagApi)
    {
        string? problem = null;
        if (tags.Count > 50)
        {
            problem = "A resource can have at most 50 tags";
        }
        else if (tags.Keys.FirstOrDefault(k => k.Length is 0 or > 128) is { } longKey)
        {
            problem = $"Tag key {longKey} must be between 1 and 128 characters";
        }
        else if (tags.FirstOrDefault(t => t.Value.Length > 256) is { Key: not null } longValue)
        {
            problem = $"Tag value for key {longValue.Key} must be at most 256 characters";
        }
        else if (tags.Keys.FirstOrDefault(k => k.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            problem = $"Tag key {reserved} uses the reserved prefix aws:";
        }

        if (problem is not null)
        {
            throw forTagApi ? new AwsErrorException(400, "BadRequestException", problem) : AwsErrorException.InvalidParameter(problem, cluster);
        }
    }

    [GeneratedRegex(@"^arn:aws:eks:(?<region>[a-z0-9-]+):(?<account>\d{12}):(?<kind>access-entry|podidentityassociation|capability)/(?<cluster>[^/]+)/.+$")]
    private static partial Regex EntryArnPattern();

    [GeneratedRegex(@"^arn:aws:eks:(?<region>[a-z0-9-]+):(?<account>\d{12}):(?<kind>cluster|nodegroup|fargateprofile|addon)/(?<cluster>[^/]+)(/(?<child>[^/]+)/[0-9a-f-]+)?$")]
    private static partial Regex EksArnPattern();
}
