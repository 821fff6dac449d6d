namespace EksOperator.Aws.Iam;

/// <summary>The IAM role operations the operator uses (query protocol, XML). Errors surface as <see cref="AwsApiException"/>.</summary>
public interface IIamApi
{
    /// <summary>Null when the role does not exist. The trust policy comes back decoded (IAM sends it URL-encoded).</summary>
    Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken = default);

    Task<IamRole> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default);

    Task TagRoleAsync(string roleName, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default);

    Task UntagRoleAsync(string roleName, IReadOnlyCollection<string> tagKeys, CancellationToken cancellationToken = default);

    /// <summary>Replaces the role's trust policy (plain JSON; the client form-encodes it).</summary>
    Task UpdateAssumeRolePolicyAsync(string roleName, string policyDocument, CancellationToken cancellationToken = default);

    Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default);

    Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default);

    Task<ListAttachedRolePoliciesResponse> ListAttachedRolePoliciesAsync(string roleName, string? marker = null, int? maxItems = null, CancellationToken cancellationToken = default);

    Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default);

    /// <summary>Null when IAM has no provider of that ARN.</summary>
    Task<IamOidcProvider?> GetOpenIDConnectProviderAsync(string providerArn, CancellationToken cancellationToken = default);

    /// <summary>The new provider's ARN.</summary>
    Task<string> CreateOpenIDConnectProviderAsync(CreateOidcProviderRequest request, CancellationToken cancellationToken = default);

    Task TagOpenIDConnectProviderAsync(string providerArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default);

    Task DeleteOpenIDConnectProviderAsync(string providerArn, CancellationToken cancellationToken = default);
}

/// <summary>An IAM OpenID Connect provider; <see cref="Url"/> as IAM returns it, without https://.</summary>
public sealed record IamOidcProvider
{
    public required string Arn { get; init; }
    public required string Url { get; init; }
    public IReadOnlyList<string> ClientIds { get; init; } = [];
    public IReadOnlyList<string> Thumbprints { get; init; } = [];
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

public sealed record CreateOidcProviderRequest
{
    /// <summary>The issuer, https://...</summary>
    public required string Url { get; init; }

    public IReadOnlyList<string> ClientIds { get; init; } = [];

    /// <summary>SHA-1 thumbprints (40 hex characters); IAM needs none for issuers its trusted CAs sign.</summary>
    public IReadOnlyList<string> Thumbprints { get; init; } = [];

    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record IamRole
{
    public required string RoleName { get; init; }
    public required string Arn { get; init; }
    public string Path { get; init; } = "/";
    public string? RoleId { get; init; }
    public DateTimeOffset? CreateDate { get; init; }

    /// <summary>The trust policy JSON, already URL-decoded.</summary>
    public string? AssumeRolePolicyDocument { get; init; }

    public string? Description { get; init; }
    public int? MaxSessionDuration { get; init; }
    public string? PermissionsBoundaryArn { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

public sealed record CreateRoleRequest
{
    public required string RoleName { get; init; }

    /// <summary>Trust policy JSON (plain; the client form-encodes it).</summary>
    public required string AssumeRolePolicyDocument { get; init; }

    public string? Path { get; init; }
    public string? Description { get; init; }
    public int? MaxSessionDuration { get; init; }
    public string? PermissionsBoundary { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record AttachedPolicy(string PolicyName, string PolicyArn);

public sealed record ListAttachedRolePoliciesResponse
{
    public IReadOnlyList<AttachedPolicy> AttachedPolicies { get; init; } = [];
    public bool IsTruncated { get; init; }
    public string? Marker { get; init; }
}
