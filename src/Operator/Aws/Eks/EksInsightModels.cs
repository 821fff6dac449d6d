using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

/// <summary>The model's InsightStatus: PASSING, WARNING, ERROR or UNKNOWN, and why.</summary>
public sealed record EksInsightStatus(string? Status, string? Reason);

/// <summary>The model's InsightSummary (what ListInsights returns).</summary>
public sealed record EksInsightSummary
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Category { get; init; }
    public string? KubernetesVersion { get; init; }
    public DateTimeOffset? LastRefreshTime { get; init; }
    public DateTimeOffset? LastTransitionTime { get; init; }
    public string? Description { get; init; }
    public EksInsightStatus? InsightStatus { get; init; }
}

/// <summary>One resource an insight names: a Kubernetes API path or an AWS ARN.</summary>
public sealed record EksInsightResource(EksInsightStatus? InsightStatus, string? KubernetesResourceUri, string? Arn);

/// <summary>A deprecated API still in use, and what replaces it.</summary>
public sealed record EksDeprecationDetail(string? Usage, string? ReplacedWith, string? StopServingVersion, string? StartServingReplacementVersion);

/// <summary>An add-on and the versions of it that fit the next minor.</summary>
public sealed record EksAddonCompatibilityDetail(string? Name, IReadOnlyList<string>? CompatibleVersions);

public sealed record EksInsightCategorySpecificSummary(IReadOnlyList<EksDeprecationDetail>? DeprecationDetails, IReadOnlyList<EksAddonCompatibilityDetail>? AddonCompatibilityDetails);

/// <summary>The model's Insight (DescribeInsight): the summary, the recommendation and the resources.</summary>
public sealed record EksInsight
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Category { get; init; }
    public string? KubernetesVersion { get; init; }
    public DateTimeOffset? LastRefreshTime { get; init; }
    public string? Description { get; init; }
    public EksInsightStatus? InsightStatus { get; init; }
    public string? Recommendation { get; init; }
    public IReadOnlyList<EksInsightResource>? Resources { get; init; }
    public EksInsightCategorySpecificSummary? CategorySpecificSummary { get; init; }
}

/// <summary>DescribeInsightsRefresh: IN_PROGRESS, FAILED or COMPLETED.</summary>
public sealed record EksInsightsRefresh(string? Message, string? Status, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

internal sealed record InsightsFilter(IReadOnlyList<string>? Categories, IReadOnlyList<string>? KubernetesVersions, IReadOnlyList<string>? Statuses);

internal sealed record ListInsightsBody(InsightsFilter? Filter, int? MaxResults, string? NextToken);

internal sealed record ListInsightsResponse(IReadOnlyList<EksInsightSummary>? Insights, string? NextToken);

internal sealed record InsightEnvelope(EksInsight? Insight);

internal sealed record EmptyBody;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(ListInsightsBody))]
[JsonSerializable(typeof(ListInsightsResponse))]
[JsonSerializable(typeof(InsightEnvelope))]
[JsonSerializable(typeof(EksInsightsRefresh))]
[JsonSerializable(typeof(EmptyBody))]
internal sealed partial class EksInsightsJsonContext : JsonSerializerContext;
