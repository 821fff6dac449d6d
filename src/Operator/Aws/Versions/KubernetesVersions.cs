using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;

namespace EksOperator.Aws.Versions;

/// <summary>The Kubernetes minors EKS offers for new clusters and upgrades, and its default.</summary>
public sealed record OfferedVersions(IReadOnlyList<string> Versions, string? Default)
{
    public bool Offers(string version) => Versions.Contains(version, StringComparer.Ordinal);

    /// <summary>"1.31, 1.32, 1.33, 1.34, 1.35", for messages.</summary>
    public string Describe() => string.Join(", ", Versions);
}

/// <summary>Which Kubernetes versions EKS offers (DescribeClusterVersions), read at most once an hour.</summary>
public interface IKubernetesVersions
{
    /// <summary>Null when EKS cannot say (an endpoint without the call): the version is then left for EKS to judge.</summary>
    Task<OfferedVersions?> OfferedAsync(CancellationToken cancellationToken);
}

/// <remarks>
/// EKS adds a version every few months and retires one a year: an hour's cache costs nothing in accuracy and keeps
/// the call off every create and upgrade step. Concurrent callers may both read on expiry; that is harmless.
/// </remarks>
internal sealed class KubernetesVersions(IEksApi eks, TimeProvider time) : IKubernetesVersions
{
    internal static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);

    private (OfferedVersions? Versions, DateTimeOffset At)? _cached;

    public async Task<OfferedVersions?> OfferedAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && time.GetUtcNow() - cached.At < CacheFor) return cached.Versions;
        OfferedVersions? offered;
        try
        {
            var all = await eks.DescribeClusterVersionsAsync(cancellationToken);
            offered = new OfferedVersions(
                [.. all.Where(v => v.Support != KubernetesVersionSupport.Unsupported).Select(v => v.Version).Distinct(StringComparer.Ordinal).OrderBy(Minor.Of)],
                all.FirstOrDefault(v => v.IsDefault)?.Version);
        }
        catch (AwsApiException e) when (e.Kind is AwsErrorKind.NotFound or AwsErrorKind.Invalid && e.HttpStatus is System.Net.HttpStatusCode.NotFound)
        {
            // An endpoint that does not know the call (an older EKS-compatible API): EKS itself judges the version.
            offered = null;
        }

        _cached = (offered, time.GetUtcNow());
        return offered;
    }
}
