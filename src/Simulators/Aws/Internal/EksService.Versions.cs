using System.Globalization;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Kubernetes versions: DescribeClusterVersions, and the version arithmetic the other operations check.</summary>
internal sealed partial class EksService
{
    /// <summary>
    /// GET /cluster-versions. Without includeAll only versions still in (standard or extended) support are listed;
    /// naming versions (clusterVersions) or a status shows them whatever their support (inferred: EKS does not say).
    /// </summary>
    private JsonObject DescribeClusterVersions(IReadOnlyDictionary<string, List<string>> query)
    {
        var now = world.Now;
        var clusterType = query.GetValueOrDefault("clusterType")?[0];
        var defaultOnly = QueryBool(query, "defaultOnly");
        var includeAll = QueryBool(query, "includeAll");
        var named = query.GetValueOrDefault("clusterVersions");
        var wantedStatus = VersionStatusFilter(query);

        var rows = world.Versions.Rows.Where(r =>
            (clusterType is null || clusterType == "eks") // the only cluster type EKS lists (inferred)
            && (!defaultOnly || r.Version == world.Options.DefaultVersion)
            && (named is null || named.Contains(r.Version, StringComparer.Ordinal))
            && (wantedStatus is null ? includeAll || named is not null || r.StatusAt(now) != "UNSUPPORTED" : r.StatusAt(now) == wantedStatus)).ToList();
        var (page, next) = Page([.. rows.Select(r => r.Version)], query);
        var items = new JsonArray();
        foreach (var row in page.Select(v => world.Versions.Find(v)!))
        {
            var status = row.StatusAt(now);
            items.Add(new JsonObject
            {
                ["clusterVersion"] = row.Version,
                ["clusterType"] = "eks",
                ["defaultPlatformVersion"] = row.PlatformVersion,
                ["defaultVersion"] = row.Version == world.Options.DefaultVersion,
                ["releaseDate"] = Json.Epoch(row.ReleaseDate),
                ["endOfStandardSupportDate"] = Json.Epoch(row.EndOfStandardSupport),
                ["endOfExtendedSupportDate"] = Json.Epoch(row.EndOfExtendedSupport),
                // The deprecated status carries versionStatus's spelling, not its own model enum's lower-case one: the
                // reason the model gives for deprecating it is that only versionStatus matches between input and output.
                ["status"] = status,
                ["versionStatus"] = status,
                ["kubernetesPatchVersion"] = row.KubernetesPatchVersion,
            });
        }

        return new JsonObject { ["clusterVersions"] = items, ["nextToken"] = next };
    }

    /// <summary>versionStatus (UNSUPPORTED…) or the deprecated status (unsupported, standard-support, extended-support), as a VersionStatus.</summary>
    private static string? VersionStatusFilter(IReadOnlyDictionary<string, List<string>> query)
    {
        if (query.GetValueOrDefault("versionStatus")?[0] is { } versionStatus)
        {
            return versionStatus is "UNSUPPORTED" or "STANDARD_SUPPORT" or "EXTENDED_SUPPORT"
                ? versionStatus
                : throw AwsErrorException.InvalidParameter($"Invalid versionStatus: {versionStatus}. Valid values: UNSUPPORTED, STANDARD_SUPPORT, EXTENDED_SUPPORT");
        }

        return query.GetValueOrDefault("status")?[0] switch
        {
            null => null,
            "unsupported" => "UNSUPPORTED",
            "standard-support" => "STANDARD_SUPPORT",
            "extended-support" => "EXTENDED_SUPPORT",
            var other => throw AwsErrorException.InvalidParameter($"Invalid status: {other}. Valid values: unsupported, standard-support, extended-support"),
        };
    }

    private static bool QueryBool(IReadOnlyDictionary<string, List<string>> query, string name) =>
        query.GetValueOrDefault(name)?[0] switch
        {
            null or "false" => false,
            "true" => true,
            var other => throw AwsErrorException.InvalidParameter($"Invalid value for {name}: {other}. It must be true or false."),
        };

    private static string LatestRelease(string version) =>
        $"{version}.{(Minor(version) % 10) + 4}-20261115";

    private static int Major(string version) =>
        int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : -1;

    private static int Minor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : -1;
    }
}
