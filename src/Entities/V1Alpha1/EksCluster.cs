using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>An Amazon EKS cluster (control plane), declared.</summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "EksCluster", PluralName = OperatorApi.Plurals.EksClusters)]
[EntityNames("ekscluster", ["ekc"], [OperatorApi.Category])]
[PrinterColumn(1, "Version", "string", ".status.version", Description = "Kubernetes minor the control plane runs")]
[PrinterColumn(2, "Status", "string", ".status.awsStatus", Description = "Status AWS reports")]
[PrinterColumn(3, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(4, "Endpoint", "string", ".status.endpoint", Priority = 1, Description = "API server endpoint")]
[PrinterColumn(5, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the object is or is not Ready")]
[PrinterColumn(6, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator is doing or waiting for")]
[PrinterColumn(7, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The cluster the user wants.")]
public sealed class EksCluster() : CustomResource<EksClusterSpec, EksClusterStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "EksCluster";
}

/// <summary>Desired state of an EKS cluster.</summary>
[Rule("!has(oldSelf.encryption) || (has(self.encryption) && self.encryption == oldSelf.encryption)",
    "spec.encryption may be added once but never changed or removed", FieldPath = ".encryption")]
[Rule("!has(oldSelf.version) || has(self.version)", "spec.version cannot be removed once set", FieldPath = ".version")]
[Rule("!has(self.autoMode) || !self.autoMode.enabled || (has(self.access) && has(self.access.authenticationMode) && self.access.authenticationMode != 'CONFIG_MAP')",
    "spec.autoMode.enabled needs spec.access.authenticationMode API or API_AND_CONFIG_MAP (Auto Mode works through access entries)", FieldPath = ".autoMode")]
public sealed class EksClusterSpec : ICommonSpec
{
    /// <summary>AWS cluster name; defaults to metadata.name. Immutable.</summary>
    [Length(1, 100)]
    [Pattern(CommonRules.NamePattern)]
    [Immutable(FreezePresence = true)]
    public string? Name { get; set; }

    /// <summary>AWS region; defaults to the operator's configured region. Immutable.</summary>
    [Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    [Immutable(FreezePresence = true)]
    public string? Region { get; set; }

    /// <summary>
    /// Kubernetes minor, e.g. "1.33"; defaults to AWS's default. May be raised by more than one minor: the operator
    /// upgrades one minor at a time, after checking that EKS offers the target. A version EKS does not offer, or one
    /// below the version the control plane runs (status.version; EKS has no downgrade), is reported as Stalled
    /// before any change; setting it back undoes the mistake. Cannot be removed once set.
    /// </summary>
    [Pattern(CommonRules.VersionPattern)]
    public string? Version { get; set; }

    /// <summary>
    /// Cluster IAM role. When absent the operator creates and owns "&lt;name&gt;-eks-cluster" (trust eks.amazonaws.com,
    /// AmazonEKSClusterPolicy) and deletes it with the cluster. Immutable.
    /// </summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    [Immutable(FreezePresence = true)]
    public string? RoleArn { get; set; }

    /// <summary>Networking of the control plane.</summary>
    [Required]
    public ClusterVpc Vpc { get; set; } = new();

    /// <summary>Control plane log types to enable.</summary>
    [ListSet]
    [Items(0, 5)]
    public IList<LogType>? Logging { get; set; }

    /// <summary>Kubernetes service network. Immutable.</summary>
    [Immutable(FreezePresence = true)]
    public KubernetesNetwork? KubernetesNetwork { get; set; }

    /// <summary>Envelope encryption of Kubernetes secrets; may be added later, never changed or removed.</summary>
    public ClusterEncryption? Encryption { get; set; }

    /// <summary>Cluster access (authentication mode).</summary>
    public ClusterAccess? Access { get; set; }

    /// <summary>Support policy for the Kubernetes version.</summary>
    public UpgradePolicy? UpgradePolicy { get; set; }

    /// <summary>EKS deletion protection: while true, EKS refuses to delete the cluster.</summary>
    public bool? DeletionProtection { get; set; }

    /// <summary>EKS Auto Mode (compute, block storage and load balancing, together). Absent: left as EKS has it.</summary>
    public AutoMode? AutoMode { get; set; }

    /// <summary>ARC zonal shift for the cluster.</summary>
    public ZonalShift? ZonalShift { get; set; }

    /// <summary>Control plane scaling tier (Provisioned Control Plane).</summary>
    public ControlPlaneScaling? ControlPlaneScaling { get; set; }

    /// <summary>Remote node and pod networks, for EKS Hybrid Nodes.</summary>
    public RemoteNetwork? RemoteNetwork { get; set; }

    /// <summary>
    /// Create and own the IAM OpenID Connect provider of the cluster's OIDC issuer (client id sts.amazonaws.com), for
    /// IAM roles for service accounts (IRSA); its ARN goes to status.oidcProviderArn. Deleted after the cluster, or
    /// when set back to false. A provider that already exists for the issuer and is not the operator's is used as it
    /// is and never deleted.
    /// </summary>
    [Default(false)]
    public bool? IamOidcProvider { get; set; }

    /// <summary>Upgrade node groups without their own version together with the control plane.</summary>
    [Default(true)]
    public bool? NodeGroupsFollowVersion { get; set; }

    /// <summary>The kubeconfig Secret the operator writes for this cluster.</summary>
    public KubeconfigOutput? Kubeconfig { get; set; }

    /// <summary>What happens to the AWS cluster when this object is deleted.</summary>
    [Default(V1Alpha1.DeletionPolicy.Delete)]
    public DeletionPolicy? DeletionPolicy { get; set; }

    /// <summary>Manage (default) or ObserveOnly (read AWS and report drift; never mutate).</summary>
    [Default(V1Alpha1.ManagementPolicy.Manage)]
    public ManagementPolicy? ManagementPolicy { get; set; }

    /// <summary>AWS tags; the operator adds its ownership tags, which cannot be overridden.</summary>
    [MaxProperties(40)]
    [Rule(CommonRules.TagsRule, CommonRules.TagsMessage)]
    [Rule(CommonRules.TagKeysRule, CommonRules.TagKeysMessage)]
    [Rule(CommonRules.TagValuesRule, CommonRules.TagValuesMessage)]
    public IDictionary<string, string>? Tags { get; set; }
}

/// <summary>Control plane networking.</summary>
[Rule("has(self.subnetIds) != has(self.subnetSelector)", "spec.vpc: exactly one of subnetIds or subnetSelector must be set")]
[Rule("!has(oldSelf.subnetIds) || has(self.subnetIds)", "spec.vpc.subnetIds cannot be removed (a cluster's subnets cannot change)", FieldPath = ".subnetIds")]
[Rule("!has(oldSelf.subnetSelector) || has(self.subnetSelector)", "spec.vpc.subnetSelector cannot be removed (a cluster's subnets cannot change)", FieldPath = ".subnetSelector")]
public sealed record ClusterVpc
{
    /// <summary>Subnets for the control plane ENIs: at least 2, in at least 2 availability zones. Immutable.</summary>
    [Items(2, 16)]
    [ListSet]
    [ItemPattern(CommonRules.SubnetIdPattern)]
    [Immutable]
    public IList<string>? SubnetIds { get; set; }

    /// <summary>Select subnets by tags (and optionally VPC) instead of listing them. Immutable.</summary>
    [Immutable]
    public SubnetSelector? SubnetSelector { get; set; }

    /// <summary>Additional security groups for the control plane ENIs (at most 4).</summary>
    [Items(0, 4)]
    [ListSet]
    [ItemPattern(CommonRules.SecurityGroupIdPattern)]
    public IList<string>? SecurityGroupIds { get; set; }

    /// <summary>Whether the API server endpoint is reachable from the internet.</summary>
    [Default(true)]
    public bool? EndpointPublicAccess { get; set; }

    /// <summary>Whether the API server endpoint is reachable from inside the VPC.</summary>
    [Default(false)]
    public bool? EndpointPrivateAccess { get; set; }

    /// <summary>CIDR blocks allowed to reach the public endpoint (at most 40).</summary>
    [Items(1, 40)]
    [ListSet]
    [ItemPattern("^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$")]
    public IList<string>? PublicAccessCidrs { get; set; }
}

/// <summary>Selects subnets by tags.</summary>
public sealed record SubnetSelector
{
    /// <summary>Only subnets of this VPC.</summary>
    [Pattern("^vpc-[0-9a-f]{8,17}$")]
    public string? VpcId { get; set; }

    /// <summary>Tags every selected subnet carries (all must match).</summary>
    [Required]
    [MaxProperties(10)]
    [Rule("size(self) >= 1", "spec.vpc.subnetSelector.tags must name at least one tag")]
    public IDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
}

/// <summary>Control plane log types.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogType>))]
public enum LogType
{
    /// <summary>API server logs.</summary>
    [JsonStringEnumMemberName("api")] Api,

    /// <summary>Audit logs.</summary>
    [JsonStringEnumMemberName("audit")] Audit,

    /// <summary>Authenticator logs.</summary>
    [JsonStringEnumMemberName("authenticator")] Authenticator,

    /// <summary>Controller manager logs.</summary>
    [JsonStringEnumMemberName("controllerManager")] ControllerManager,

    /// <summary>Scheduler logs.</summary>
    [JsonStringEnumMemberName("scheduler")] Scheduler,
}

/// <summary>Kubernetes service network.</summary>
public sealed record KubernetesNetwork
{
    /// <summary>CIDR for Kubernetes service IPs (e.g. 172.20.0.0/16).</summary>
    [JsonPropertyName("serviceIpv4Cidr")]
    [Pattern("^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$")]
    public string? ServiceIpv4Cidr { get; set; }

    /// <summary>IP family of pods and services.</summary>
    public IpFamily? IpFamily { get; set; }
}

/// <summary>IP family.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IpFamily>))]
public enum IpFamily
{
    /// <summary>IPv4.</summary>
    [JsonStringEnumMemberName("ipv4")] Ipv4,

    /// <summary>IPv6.</summary>
    [JsonStringEnumMemberName("ipv6")] Ipv6,
}

/// <summary>Secrets envelope encryption.</summary>
public sealed record ClusterEncryption
{
    /// <summary>ARN of the KMS key that encrypts Kubernetes secrets.</summary>
    [Required]
    [Pattern("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$")]
    public string KmsKeyArn { get; set; } = "";
}

/// <summary>Cluster access configuration.</summary>
public sealed record ClusterAccess
{
    /// <summary>Authentication mode; moves one way only: CONFIG_MAP → API_AND_CONFIG_MAP → API.</summary>
    [Rule("self == oldSelf || (oldSelf == 'CONFIG_MAP' && self == 'API_AND_CONFIG_MAP') || (oldSelf == 'API_AND_CONFIG_MAP' && self == 'API')",
        "spec.access.authenticationMode can only move CONFIG_MAP → API_AND_CONFIG_MAP → API, one step at a time")]
    public AuthenticationMode? AuthenticationMode { get; set; }

    /// <summary>Give the creating identity cluster-admin; applies at create only. Immutable.</summary>
    [Immutable(FreezePresence = true)]
    public bool? BootstrapClusterCreatorAdminPermissions { get; set; }
}

/// <summary>EKS authentication mode.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuthenticationMode>))]
public enum AuthenticationMode
{
    /// <summary>aws-auth ConfigMap only.</summary>
    [JsonStringEnumMemberName("CONFIG_MAP")] ConfigMap,

    /// <summary>Access entries and the aws-auth ConfigMap.</summary>
    [JsonStringEnumMemberName("API_AND_CONFIG_MAP")] ApiAndConfigMap,

    /// <summary>Access entries only.</summary>
    [JsonStringEnumMemberName("API")] Api,
}

/// <summary>Version support policy.</summary>
public sealed record UpgradePolicy
{
    /// <summary>STANDARD or EXTENDED support.</summary>
    [Required]
    public SupportType SupportType { get; set; }
}

/// <summary>EKS version support type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SupportType>))]
public enum SupportType
{
    /// <summary>Standard support only; the cluster is upgraded automatically at its end.</summary>
    [JsonStringEnumMemberName("STANDARD")] Standard,

    /// <summary>Extended support (billed).</summary>
    [JsonStringEnumMemberName("EXTENDED")] Extended,
}

/// <summary>The kubeconfig Secret the operator writes.</summary>
public sealed record KubeconfigOutput
{
    /// <summary>Secret name; defaults to "&lt;metadata.name&gt;-kubeconfig".</summary>
    [Length(1, 253)]
    [Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    public string? SecretName { get; set; }

    /// <summary>Exec (aws eks get-token), Token (a refreshed bearer token) or None (no Secret).</summary>
    [Default(KubeconfigMode.Exec)]
    public KubeconfigMode? Mode { get; set; }

    /// <summary>Also write an Argo CD cluster Secret.</summary>
    [Default(false)]
    public bool? ArgoCd { get; set; }
}

/// <summary>How the kubeconfig authenticates.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KubeconfigMode>))]
public enum KubeconfigMode
{
    /// <summary>Runs aws eks get-token; holds no secret material.</summary>
    Exec,

    /// <summary>A bearer token refreshed at least every 10 minutes.</summary>
    Token,

    /// <summary>No kubeconfig Secret.</summary>
    None,
}

/// <summary>Observed state of an EKS cluster.</summary>
public sealed class EksClusterStatus : ResourceStatus
{
    /// <summary>Kubernetes minor the control plane runs.</summary>
    public string? Version { get; set; }

    /// <summary>EKS platform version, e.g. eks.5.</summary>
    public string? PlatformVersion { get; set; }

    /// <summary>API server endpoint.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Base64 PEM of the cluster CA.</summary>
    public string? CertificateAuthorityData { get; set; }

    /// <summary>OIDC issuer URL (for IRSA).</summary>
    public string? OidcIssuer { get; set; }

    /// <summary>The IAM OpenID Connect provider of the issuer (spec.iamOidcProvider), for IRSA trust policies.</summary>
    public string? OidcProviderArn { get; set; }

    /// <summary>True when the operator created (or adopted) the OIDC provider and will delete it.</summary>
    public bool? OidcProviderCreated { get; set; }

    /// <summary>Security group EKS created for the cluster.</summary>
    public string? ClusterSecurityGroupId { get; set; }

    /// <summary>VPC of the cluster.</summary>
    public string? VpcId { get; set; }

    /// <summary>The authentication mode EKS reports (CONFIG_MAP, API_AND_CONFIG_MAP, API); access entries need one of the last two.</summary>
    public string? AuthenticationMode { get; set; }

    /// <summary>Subnets the cluster uses (resolved from the selector when one is given).</summary>
    public IList<string>? SubnetIds { get; set; }

    /// <summary>Cluster IAM role in use (given, or created by the operator).</summary>
    public string? RoleArn { get; set; }

    /// <summary>True when the operator created the cluster role and will delete it.</summary>
    public bool? RoleCreated { get; set; }

    /// <summary>The Auto Mode node role in use (given, or created by the operator).</summary>
    public string? AutoModeNodeRoleArn { get; set; }

    /// <summary>Region of the cluster.</summary>
    public string? Region { get; set; }

    /// <summary>Progress of an upgrade that spans several minors.</summary>
    public UpgradeProgress? Upgrade { get; set; }

    /// <summary>Name of the kubeconfig Secret.</summary>
    public string? KubeconfigSecretName { get; set; }

    /// <summary>When the Token-mode kubeconfig was last refreshed.</summary>
    public DateTime? KubeconfigRefreshedAt { get; set; }

    /// <summary>EKS health issues.</summary>
    public Health? Health { get; set; }
}

/// <summary>Where a multi-minor upgrade stands.</summary>
public sealed record UpgradeProgress
{
    /// <summary>Minor the upgrade started from.</summary>
    public string? From { get; set; }

    /// <summary>Target minor.</summary>
    public string? To { get; set; }

    /// <summary>Minor of the step in progress.</summary>
    public string? Step { get; set; }

    /// <summary>Preflight, ControlPlane, Addons or NodeGroups.</summary>
    public UpgradePhase? Phase { get; set; }

    /// <summary>What the current phase waits for (add-ons, node groups, the insights refresh).</summary>
    public IList<string>? Pending { get; set; }

    /// <summary>EKS's upgrade insights for the step that are not PASSING (warnings, and errors accepted by force).</summary>
    public IList<UpgradeInsightStatus>? Insights { get; set; }
}

/// <summary>One EKS upgrade insight for the step, as EKS reported it.</summary>
public sealed record UpgradeInsightStatus
{
    /// <summary>The insight's name, e.g. "Deprecated APIs removed in Kubernetes v1.33".</summary>
    public string? Name { get; set; }

    /// <summary>WARNING, ERROR or UNKNOWN.</summary>
    public string? Status { get; set; }

    /// <summary>EKS's reason.</summary>
    public string? Reason { get; set; }
}

/// <summary>Phase of an upgrade step.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UpgradePhase>))]
public enum UpgradePhase
{
    /// <summary>EKS's upgrade insights, add-ons and node groups are checked before the step.</summary>
    Preflight,

    /// <summary>The control plane is being upgraded.</summary>
    ControlPlane,

    /// <summary>Add-ons that follow a version rule move to the new minor, core add-ons first.</summary>
    Addons,

    /// <summary>Following node groups are being upgraded.</summary>
    NodeGroups,
}
