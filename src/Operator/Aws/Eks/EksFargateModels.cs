using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

// Fargate profile shapes of the EKS 2017-11-01 model, as on the wire (see EksModels.cs).

#region Fargate profiles

public sealed record FargateProfileSelector
{
    public string? Namespace { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

public sealed record FargateProfile
{
    public string? FargateProfileName { get; init; }
    public string? FargateProfileArn { get; init; }
    public string? ClusterName { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? PodExecutionRoleArn { get; init; }
    public IReadOnlyList<string>? Subnets { get; init; }
    public IReadOnlyList<FargateProfileSelector>? Selectors { get; init; }
    public FargateProfileStatus Status { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public Health? Health { get; init; }
}

public sealed record CreateFargateProfileRequest
{
    [JsonIgnore]
    public required string ClusterName { get; init; }

    public required string FargateProfileName { get; init; }
    public required string PodExecutionRoleArn { get; init; }
    public IReadOnlyList<string>? Subnets { get; init; }
    public IReadOnlyList<FargateProfileSelector>? Selectors { get; init; }
    public string? ClientRequestToken { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record ListFargateProfilesRequest
{
    public required string ClusterName { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListFargateProfilesResponse
{
    public IReadOnlyList<string> FargateProfileNames { get; init; } = [];
    public string? NextToken { get; init; }
}

#endregion
