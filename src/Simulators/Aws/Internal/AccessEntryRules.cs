using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>An IAM principal ARN taken apart: partition, account, user or role, path and name.</summary>
internal sealed record IamPrincipal(string Partition, string Account, string Kind, string Path, string Name)
{
    /// <summary>Service-linked roles live under this path; EKS refuses access entries for them.</summary>
    public bool IsServiceLinkedRole => Kind == "role" && Path.StartsWith("/aws-service-role/", StringComparison.Ordinal);
}

/// <summary>
/// The rules EKS applies to access entries and access policies (reference §2.2–2.6), and the access-policy catalogue.
/// Messages marked observed are AWS's own text; the others are best guesses in AWS's style.
/// </summary>
internal static partial class AccessEntryRules
{
    public const string Standard = "STANDARD";

    /// <summary>Access entries per cluster; not adjustable (EKS quotas page).</summary>
    public const int MaxEntriesPerCluster = 3000;

    /// <summary>The model's documented values of AccessEntry.type (a plain string there, so new ones may appear).</summary>
    public static readonly string[] Types = [Standard, "FARGATE_LINUX", "EC2_LINUX", "EC2_WINDOWS", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"];

    // Observed messages.
    public const string ConfigMapMode = "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";
    public const string InUse = "The specified access entry resource is already in use on this cluster.";
    public const string UnknownPrincipal = "The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.";
    public const string MalformedPrincipal = "The principalArn parameter format is not valid";
    public const string InvalidPrincipal = "The specified principalArn is invalid: invalid principal.";
    public const string ServiceLinkedRole = "The caller is not allowed to modify access entries with a principalArn value of a Service Linked Role";
    public const string StandardOnly = "This operation can only be performed on Access Entries with a type of \"STANDARD\".";

    /// <summary>Names from the user guide's access-policy reference (2025–2026).</summary>
    public static readonly string[] PolicyNames =
    [
        "AmazonAIOpsAssistantPolicy", "AmazonARCRegionSwitchScalingPolicy", "AmazonEKSAdminPolicy", "AmazonEKSAdminViewPolicy",
        "AmazonEKSAutoNodePolicy", "AmazonEKSBlockStorageClusterPolicy", "AmazonEKSBlockStoragePolicy", "AmazonEKSClusterAdminPolicy",
        "AmazonEKSClusterInsightsPolicy", "AmazonEKSComputeClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSEditPolicy",
        "AmazonEKSHybridPolicy", "AmazonEKSLoadBalancingClusterPolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingClusterPolicy",
        "AmazonEKSNetworkingPolicy", "AmazonEKSSecretReaderPolicy", "AmazonEKSViewPolicy",
    ];

    /// <summary>"Designated for AWS service-linked roles only and cannot be used with customer-managed roles" (user guide).</summary>
    public static readonly string[] ServiceLinkedOnlyPolicies =
        ["AmazonEKSBlockStoragePolicy", "AmazonEKSComputePolicy", "AmazonEKSHybridPolicy", "AmazonEKSClusterInsightsPolicy"];

    private static readonly string[] ReservedUsernamePrefixes = ["eks:", "aws:", "amazon:", "iam:"];

    public static string PolicyArn(string name) => $"arn:aws:eks::aws:cluster-access-policy/{name}";

    /// <summary>The policy's name when <paramref name="arn"/> is one of the catalogue's ARNs; null otherwise.</summary>
    public static string? PolicyName(string arn) =>
        arn.StartsWith(PolicyArn(string.Empty), StringComparison.Ordinal) && PolicyNames.Contains(arn[PolicyArn(string.Empty).Length..])
            ? arn[PolicyArn(string.Empty).Length..]
            : null;

    public static bool IsPolicyArnFormat(string arn) => PolicyArnPattern().IsMatch(arn);

    /// <summary>Parses a principal ARN; STS session principals (assumed-role) and anything but users and roles are refused.</summary>
    public static IamPrincipal ParsePrincipal(string arn, string cluster)
    {
        var m = PrincipalArnPattern().Match(arn);
        if (!m.Success)
        {
            throw AwsErrorException.InvalidParameter(MalformedPrincipal, cluster);
        }

        // Only IAM users and roles are permanent identities; sessions, groups and the root user are not principals here.
        if (m.Groups["service"].Value != "iam" || m.Groups["kind"].Value is not ("user" or "role"))
        {
            throw AwsErrorException.InvalidParameter(InvalidPrincipal, cluster);
        }

        var principal = new IamPrincipal(m.Groups["partition"].Value, m.Groups["account"].Value, m.Groups["kind"].Value, m.Groups["path"].Value, m.Groups["name"].Value);
        if (principal.IsServiceLinkedRole)
        {
            throw AwsErrorException.InvalidParameter(ServiceLinkedRole, cluster);
        }

        return principal;
    }

    /// <summary>What EKS puts in username when none is given (user guide, creating access entries).</summary>
    public static string DefaultUsername(string type, IamPrincipal principal, string principalArn) => type switch
    {
        "EC2_LINUX" or "EC2_WINDOWS" or "EC2" or "HYPERPOD_LINUX" => "system:node:{{EC2PrivateDNSName}}",
        "FARGATE_LINUX" or "HYBRID_LINUX" => "system:node:{{SessionName}}",
        _ when principal.Kind == "role" => $"arn:{principal.Partition}:sts::{principal.Account}:assumed-role/{principal.Name}/{{{{SessionName}}}}",
        _ => principalArn,
    };

    /// <summary>Kubernetes group names may not claim the system: prefix (observed message).</summary>
    public static void CheckGroups(IEnumerable<string> groups, string cluster)
    {
        foreach (var group in groups)
        {
            if (group.StartsWith("system:", StringComparison.Ordinal))
            {
                throw AwsErrorException.InvalidParameter($"The kubernetes group name {group} is invalid, it cannot start with system:", cluster);
            }
        }
    }

    public static void CheckUsername(string username, string cluster)
    {
        if (username.Length == 0)
        {
            throw AwsErrorException.InvalidParameter("The username must not be empty.", cluster);
        }

        if (username.StartsWith("system:", StringComparison.Ordinal))
        {
            throw AwsErrorException.InvalidParameter("The username must not begin with system:", cluster);
        }

        if (ReservedUsernamePrefixes.FirstOrDefault(p => username.StartsWith(p, StringComparison.Ordinal)) is { } reserved)
        {
            throw AwsErrorException.InvalidParameter($"Access Entry username cannot start with \"{reserved}\".", cluster);
        }

        // {{SessionName}} needs a colon somewhere before it, so that a session can never pose as a plain user name.
        var session = username.IndexOf("{{SessionName}}", StringComparison.Ordinal);
        if (session == 0)
        {
            throw AwsErrorException.InvalidParameter("Access Entry username cannot start with \"session\".", cluster);
        }

        if (session > 0 && !username[..session].Contains(':', StringComparison.Ordinal))
        {
            throw AwsErrorException.InvalidParameter("Access Entry username must have a colon before {{SessionName}}.", cluster);
        }
    }

    [GeneratedRegex(@"^arn:(?<partition>aws(-[a-z]+)*):(?<service>iam|sts)::(?<account>\d{12}):(?<kind>[a-z-]+)(?<path>/([\w+=,.@-]+/)*)(?<name>[\w+=,.@-]+)$")]
    private static partial Regex PrincipalArnPattern();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:eks::aws:cluster-access-policy/[A-Za-z0-9]+$")]
    private static partial Regex PolicyArnPattern();
}
