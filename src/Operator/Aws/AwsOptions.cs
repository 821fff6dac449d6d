using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;

namespace EksOperator.Aws;

/// <summary>
/// How the operator reaches AWS: one region, optional endpoint overrides per service, limits and retries. Validated
/// when the host starts (<see cref="AwsOptionsValidator"/>).
/// </summary>
public sealed record AwsOptions
{
    /// <summary>Region of the EKS and EC2 calls (and of the STS endpoint used for bearer tokens).</summary>
    [Required]
    public string Region { get; init; } = "us-east-1";

    /// <summary>Key of the client-side rate limiters; defaults to the account id the credentials carry, else "default".</summary>
    public string? AccountId { get; init; }

    /// <summary>Explicit credentials (tests, simulators). Null means <see cref="AccessKeyId"/>, else AWSSDK.Core's default chain (env, profile, IRSA, Pod Identity, IMDS).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>A static access key (simulators only; configuration <c>Aws:AccessKeyId</c>); the credentials are built in this room.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The secret of <see cref="AccessKeyId"/>.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary>
    /// Objects in a namespace no AwsIdentity selects are Stalled instead of using the operator's own identity
    /// (configuration <c>Aws:RequireIdentity</c>).
    /// </summary>
    public bool RequireIdentity { get; init; }

    /// <summary>
    /// The thumbprint sent when creating an OIDC provider (40 hex characters); null: learned from the issuer's TLS
    /// chain (configuration <c>Aws:OidcThumbprint</c>).
    /// </summary>
    [RegularExpression("^[0-9a-fA-F]{40}$")]
    public string? OidcThumbprint { get; init; }

    // AWS limits reads and mutating calls of a service in separate buckets, writes much lower (of the order of 20/s
    // and 5/s): the client keeps under both, so a burst of creates waits here instead of being throttled there.
    public AwsServiceOptions Eks { get; init; } = new() { RequestsPerSecond = 10, Burst = 20, WriteShare = 0.4, WriteBurst = 10 };

    /// <summary>IAM is global: it signs for us-east-1 unless <see cref="AwsServiceOptions.SigningRegion"/> says otherwise.</summary>
    public AwsServiceOptions Iam { get; init; } = new() { RequestsPerSecond = 10, Burst = 20, WriteShare = 0.4, WriteBurst = 10 };

    public AwsServiceOptions Ec2 { get; init; } = new() { RequestsPerSecond = 20, Burst = 40, WriteShare = 0.2, WriteBurst = 10 };

    /// <summary>Only used to build presigned GetCallerIdentity URLs (no calls are made).</summary>
    public AwsServiceOptions Sts { get; init; } = new();

    /// <summary>Attempts per call including the first (AWS "standard" retry mode: 3).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Full-jitter backoff: delay = random(0,1) × min(BaseBackoff × 2^(retry-1), MaxBackoff).</summary>
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Per-service endpoint override and client-side token bucket.</summary>
public sealed record AwsServiceOptions
{
    /// <summary>Endpoint override, e.g. a simulator or a VPC endpoint. Null means the public regional endpoint.</summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>Region in the SigV4 scope; null means the service default (the options' Region, us-east-1 for IAM).</summary>
    public string? SigningRegion { get; init; }

    /// <summary>Sustained rate of the client-side token bucket; 0 or less disables it.</summary>
    public double RequestsPerSecond { get; init; }

    /// <summary>Bucket capacity (burst).</summary>
    public int Burst { get; init; } = 1;

    /// <summary>
    /// Mutating calls (all but Describe*, List*, Get*) have a bucket of their own refilled at this share of
    /// <see cref="RequestsPerSecond"/> (a share, so that scaling the rate scales both); 0 or less: one bucket for all calls.
    /// </summary>
    public double WriteShare { get; init; }

    /// <summary>Capacity of the mutating calls' bucket.</summary>
    public int WriteBurst { get; init; } = 1;
}
