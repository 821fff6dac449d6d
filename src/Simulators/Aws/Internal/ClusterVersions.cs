using System.Globalization;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>One Kubernetes version as DescribeClusterVersions reports it.</summary>
internal sealed record ClusterVersionRow(
    string Version,
    int Minor,
    DateTimeOffset ReleaseDate,
    DateTimeOffset EndOfStandardSupport,
    DateTimeOffset EndOfExtendedSupport,
    string PlatformVersion,
    string KubernetesPatchVersion)
{
    /// <summary>VersionStatus (STANDARD_SUPPORT, EXTENDED_SUPPORT, UNSUPPORTED) at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) =>
        now < EndOfStandardSupport ? "STANDARD_SUPPORT" : now < EndOfExtendedSupport ? "EXTENDED_SUPPORT" : "UNSUPPORTED";
}

/// <summary>
/// The simulator's Kubernetes version calendar, newest first: every version CreateCluster accepts
/// (<see cref="AwsSimulatorOptions.SupportedVersions"/>) plus two older, unsupported minors (what includeAll adds).
/// </summary>
/// <remarks>
/// Dates come from <see cref="AwsSimulatorOptions.VersionSupport"/> where given. Otherwise they follow EKS's cadence
/// (reference §3.7: 14 months of standard support, then 12 of extended support; a minor about every 4 months),
/// anchored on the simulator's clock when it starts rather than on fixed dates, so that the supported versions stay
/// supported however long after today a test suite runs: the newest supported minor was released 3 months ago and each
/// older one 4 months before the next. With the default 1.31–1.35 that reads like EKS in late 2026: 1.33–1.35 in
/// standard support, 1.31 and 1.32 in extended support, 1.29 and 1.30 unsupported.
/// </remarks>
internal sealed class ClusterVersions
{
    private const int MonthsSinceNewestRelease = 3;
    private const int MonthsBetweenMinors = 4;
    private const int StandardSupportMonths = 14;
    private const int ExtendedSupportMonths = 12;
    private const int OlderUnsupportedMinors = 2;

    private readonly Dictionary<string, ClusterVersionRow> _byVersion;

    public ClusterVersions(AwsSimulatorOptions options)
    {
        var now = options.TimeProvider.GetUtcNow();
        var anchor = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var supported = options.SupportedVersions.Distinct(StringComparer.Ordinal).OrderByDescending(MinorOf).ToList();
        var rows = new List<ClusterVersionRow>();
        for (var k = 0; k < supported.Count; k++)
        {
            // A supported version never starts out of support, however long the list: older ones bunch up near the end of extended support.
            var monthsOld = Math.Min(MonthsSinceNewestRelease + (k * MonthsBetweenMinors), StandardSupportMonths + ExtendedSupportMonths - 1);
            rows.Add(Row(supported[k], anchor.AddMonths(-monthsOld), monthsOld, options));
        }

        var oldest = supported.Count == 0 ? 0 : MinorOf(supported[^1]);
        for (var j = 1; j <= OlderUnsupportedMinors && oldest - j >= 0; j++)
        {
            var version = $"{MajorOf(supported[^1])}.{oldest - j}";
            if (supported.Contains(version, StringComparer.Ordinal))
            {
                continue;
            }

            // Extended support ended at least a month before the simulator started.
            var monthsOld = StandardSupportMonths + ExtendedSupportMonths + (j * MonthsBetweenMinors) - 3;
            rows.Add(Row(version, anchor.AddMonths(-monthsOld), monthsOld, options));
        }

        foreach (var (version, _) in options.VersionSupport.Where(kv => !rows.Exists(r => r.Version == kv.Key)))
        {
            rows.Add(Row(version, anchor, 0, options));
        }

        Rows = [.. rows.OrderByDescending(r => MajorOf(r.Version)).ThenByDescending(r => r.Minor)];
        _byVersion = Rows.ToDictionary(r => r.Version, StringComparer.Ordinal);
    }

    /// <summary>Newest first, as EKS lists them.</summary>
    public IReadOnlyList<ClusterVersionRow> Rows { get; }

    public ClusterVersionRow? Find(string version) => _byVersion.GetValueOrDefault(version);

    /// <summary>The platform version a new cluster (or an upgrade) of <paramref name="version"/> gets.</summary>
    public string PlatformVersionOf(string version) => Find(version)?.PlatformVersion ?? "eks.1";

    private static ClusterVersionRow Row(string version, DateTimeOffset release, int monthsOld, AwsSimulatorOptions options)
    {
        var configured = options.VersionSupport.GetValueOrDefault(version);
        var releaseDate = configured?.ReleaseDate ?? release;
        var standardEnd = configured?.EndOfStandardSupport ?? releaseDate.AddMonths(StandardSupportMonths);
        return new ClusterVersionRow(
            version,
            MinorOf(version),
            releaseDate,
            standardEnd,
            configured?.EndOfExtendedSupport ?? standardEnd.AddMonths(ExtendedSupportMonths),
            // EKS bumps a version's platform version every few weeks; older versions have had more bumps.
            configured?.PlatformVersion ?? $"eks.{1 + (monthsOld / 2)}",
            // The same patch the simulator's node AMIs report (releaseVersion 1.34.8-…).
            configured?.KubernetesPatchVersion ?? $"{version}.{(MinorOf(version) % 10) + 4}");
    }

    private static int MajorOf(string version) =>
        int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0;

    private static int MinorOf(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? minor : 0;
    }
}
