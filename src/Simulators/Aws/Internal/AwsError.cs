namespace EksOperator.Simulators.Aws.Internal;

/// <summary>An AWS error as the service would send it; the protocol layer turns it into JSON or XML.</summary>
internal sealed class AwsErrorException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string? ClusterName { get; init; }

    public string? NodegroupName { get; init; }

    public string? FargateProfileName { get; init; }

    public string? AddonName { get; init; }

    /// <summary>What the error is about, for Update.errors when it makes an asynchronous update fail (not sent in error bodies).</summary>
    public IReadOnlyList<string> ResourceIds { get; init; } = [];

    public static AwsErrorException InvalidParameter(string message, string? cluster = null, string? nodegroup = null, string? profile = null) =>
        new(400, "InvalidParameterException", message) { ClusterName = cluster, NodegroupName = nodegroup, FargateProfileName = profile };

    public static AwsErrorException InvalidRequest(string message, string? cluster = null, string? nodegroup = null) =>
        new(400, "InvalidRequestException", message) { ClusterName = cluster, NodegroupName = nodegroup };

    public static AwsErrorException InUse(string message, string? cluster = null, string? nodegroup = null) =>
        new(409, "ResourceInUseException", message) { ClusterName = cluster, NodegroupName = nodegroup };

    public static AwsErrorException NotFound(string message, string? cluster = null, string? nodegroup = null, string? profile = null) =>
        new(404, "ResourceNotFoundException", message) { ClusterName = cluster, NodegroupName = nodegroup, FargateProfileName = profile };

    public static AwsErrorException LimitExceeded(string message, string? cluster = null, string? nodegroup = null) =>
        new(400, "ResourceLimitExceededException", message) { ClusterName = cluster, NodegroupName = nodegroup };

    /// <summary>IAM and EC2 (query protocols) send the code only.</summary>
    public static AwsErrorException Query(int status, string code, string message) => new(status, code, message);
}
