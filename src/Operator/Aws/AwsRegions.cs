namespace EksOperator.Aws;

/// <summary>The regions AWS has (AWSSDK.Core's partitions), to refuse a typo before any call goes to a host that does not exist.</summary>
public static class AwsRegions
{
    private static readonly HashSet<string> Known = [.. Amazon.RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName)];

    public static bool IsKnown(string? region) => region is not null && Known.Contains(region);
}
