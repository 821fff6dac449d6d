using EksOperator.Aws.Eks;
using EksOperator.Entities.V1Alpha1;
using EksCluster = EksOperator.Aws.Eks.Cluster;

namespace EksOperator.Aws.Mapping;

/// <summary>
/// One EKS call that brings one kind of setting in line (EKS allows one kind per call): an UpdateClusterConfig, or,
/// for secrets encryption, an AssociateEncryptionConfig.
/// </summary>
public sealed record ClusterChange(string Field, string Desired, string Actual, UpdateClusterConfigRequest? Request, AssociateEncryptionConfigRequest? Encryption = null);

/// <summary>EksCluster spec ⇄ the EKS API.</summary>
public static class ClusterMapping
{
    private static readonly string[] AllLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    public static CreateClusterRequest ToCreateRequest(string name, EksClusterSpec spec, IReadOnlyList<string> subnetIds, string roleArn, Owner owner, string? autoModeNodeRoleArn = null) =>
        ClusterSettingsMapping.WithSettings(BaseCreateRequest(name, spec, subnetIds, roleArn, owner), spec, autoModeNodeRoleArn);

    private static CreateClusterRequest BaseCreateRequest(string name, EksClusterSpec spec, IReadOnlyList<string> subnetIds, string roleArn, Owner owner) => new()
    {
        Name = name,
        Version = spec.Version,
        RoleArn = roleArn,
        ResourcesVpcConfig = new VpcConfigRequest
        {
            SubnetIds = subnetIds,
            SecurityGroupIds = spec.Vpc.SecurityGroupIds?.ToList(),
            EndpointPublicAccess = spec.Vpc.EndpointPublicAccess,
            EndpointPrivateAccess = spec.Vpc.EndpointPrivateAccess,
            PublicAccessCidrs = spec.Vpc.PublicAccessCidrs?.ToList(),
        },
        KubernetesNetworkConfig = spec.KubernetesNetwork is { } network
            ? new KubernetesNetworkConfigRequest { ServiceIpv4Cidr = network.ServiceIpv4Cidr, IpFamily = network.IpFamily is { } f ? EnumName(f) : null }
            : null,
        Logging = spec.Logging is { } logging ? LoggingRequest(logging) : null,
        ClientRequestToken = owner.CreateToken("cluster"),
        Tags = owner.TagsWith(spec.Tags),
        EncryptionConfig = spec.Encryption is { } encryption
            ? [new EncryptionConfig { Resources = ["secrets"], Provider = new EncryptionProvider { KeyArn = encryption.KmsKeyArn } }]
            : null,
        AccessConfig = spec.Access is { } access
            ? new CreateAccessConfigRequest
            {
                AuthenticationMode = access.AuthenticationMode is { } mode ? EnumName(mode) : null,
                BootstrapClusterCreatorAdminPermissions = access.BootstrapClusterCreatorAdminPermissions,
            }
            : null,
        UpgradePolicy = spec.UpgradePolicy is { } policy ? new Eks.UpgradePolicy { SupportType = EnumName(policy.SupportType) } : null,
        DeletionProtection = spec.DeletionProtection,
    };

    /// <summary>
    /// Settings where AWS differs from what the user set, in the order they are applied (one per pass). Fields the
    /// user left out are not compared; lists compare as sets; AWS's defaults never count as drift.
    /// </summary>
    public static IReadOnlyList<ClusterChange> ConfigChanges(string name, EksClusterSpec spec, EksCluster observed, string? autoModeNodeRoleArn = null)
    {
        var changes = new List<ClusterChange>();
        var vpc = observed.ResourcesVpcConfig;

        if (spec.Logging is { } logging)
        {
            var desired = logging.Select(EnumName).ToHashSet(StringComparer.Ordinal);
            var actual = EnabledLogTypes(observed);
            if (!desired.SetEquals(actual))
            {
                changes.Add(new("spec.logging", Show(desired), Show(actual), new UpdateClusterConfigRequest { Name = name, Logging = LoggingRequest(logging) }));
            }
        }

        var publicAccess = spec.Vpc.EndpointPublicAccess is { } pub && pub != vpc?.EndpointPublicAccess;
        var privateAccess = spec.Vpc.EndpointPrivateAccess is { } priv && priv != vpc?.EndpointPrivateAccess;
        var cidrs = spec.Vpc.PublicAccessCidrs is { } wanted && !SetEquals(wanted, vpc?.PublicAccessCidrs);
        if (publicAccess || privateAccess || cidrs)
        {
            changes.Add(new(
                "spec.vpc.endpointAccess",
                $"public={spec.Vpc.EndpointPublicAccess}, private={spec.Vpc.EndpointPrivateAccess}, cidrs={Show(spec.Vpc.PublicAccessCidrs)}",
                $"public={vpc?.EndpointPublicAccess}, private={vpc?.EndpointPrivateAccess}, cidrs={Show(vpc?.PublicAccessCidrs)}",
                new UpdateClusterConfigRequest
                {
                    Name = name,
                    ResourcesVpcConfig = new VpcConfigRequest
                    {
                        EndpointPublicAccess = spec.Vpc.EndpointPublicAccess,
                        EndpointPrivateAccess = spec.Vpc.EndpointPrivateAccess,
                        PublicAccessCidrs = spec.Vpc.PublicAccessCidrs?.ToList(),
                    },
                }));
        }

        if (spec.Vpc.SecurityGroupIds is { } groups && !SetEquals(groups, vpc?.SecurityGroupIds))
        {
            changes.Add(new("spec.vpc.securityGroupIds", Show(groups), Show(vpc?.SecurityGroupIds),
                new UpdateClusterConfigRequest { Name = name, ResourcesVpcConfig = new VpcConfigRequest { SecurityGroupIds = groups.ToList() } }));
        }

        if (spec.Access?.AuthenticationMode is { } mode && EnumName(mode) != (observed.AccessConfig?.AuthenticationMode ?? "CONFIG_MAP"))
        {
            changes.Add(new("spec.access.authenticationMode", EnumName(mode), observed.AccessConfig?.AuthenticationMode ?? "CONFIG_MAP",
                new UpdateClusterConfigRequest { Name = name, AccessConfig = new UpdateAccessConfigRequest { AuthenticationMode = EnumName(mode) } }));
        }

        if (spec.UpgradePolicy is { } policy && EnumName(policy.SupportType) != (observed.UpgradePolicy?.SupportType ?? "EXTENDED"))
        {
            changes.Add(new("spec.upgradePolicy.supportType", EnumName(policy.SupportType), observed.UpgradePolicy?.SupportType ?? "EXTENDED",
                new UpdateClusterConfigRequest { Name = name, UpgradePolicy = new Eks.UpgradePolicy { SupportType = EnumName(policy.SupportType) } }));
        }

        if (spec.Encryption is { } encryption && observed.EncryptionConfig is not { Count: > 0 })
        {
            changes.Add(new("spec.encryption.kmsKeyArn", encryption.KmsKeyArn, "(none)", null, new AssociateEncryptionConfigRequest
            {
                Name = name,
                EncryptionConfig = [new EncryptionConfig { Resources = ["secrets"], Provider = new EncryptionProvider { KeyArn = encryption.KmsKeyArn } }],
            }));
        }

        if (spec.DeletionProtection is { } protection && protection != (observed.DeletionProtection ?? false))
        {
            changes.Add(new("spec.deletionProtection", protection.ToString(), (observed.DeletionProtection ?? false).ToString(),
                new UpdateClusterConfigRequest { Name = name, DeletionProtection = protection }));
        }

        changes.AddRange(ClusterSettingsMapping.Changes(name, spec, observed, autoModeNodeRoleArn));
        return changes;
    }

    /// <summary>Differences EKS cannot change in place (reported as drift, never "fixed").</summary>
    public static IReadOnlyList<DriftEntry> ImmutableDrift(EksClusterSpec spec, EksCluster observed, string? resolvedRoleArn, string? autoModeNodeRoleArn = null)
    {
        var drift = new List<DriftEntry>();
        // Encryption can be added (a ClusterChange), never changed: a different key is drift no call can fix.
        if (spec.Encryption is { } encryption && observed.EncryptionConfig?.FirstOrDefault()?.Provider?.KeyArn is { } actual && actual != encryption.KmsKeyArn)
        {
            drift.Add(new DriftEntry { Field = "spec.encryption.kmsKeyArn", Desired = encryption.KmsKeyArn, Actual = actual });
        }

        if (resolvedRoleArn is not null && observed.RoleArn is { } role && role != resolvedRoleArn)
        {
            drift.Add(new DriftEntry { Field = "spec.roleArn", Desired = resolvedRoleArn, Actual = role });
        }

        drift.AddRange(ClusterSettingsMapping.ImmutableDrift(spec, observed, autoModeNodeRoleArn));
        return drift;
    }

    public static HashSet<string> EnabledLogTypes(EksCluster observed) =>
        (observed.Logging?.ClusterLogging ?? []).Where(s => s.Enabled == true).SelectMany(s => s.Types ?? []).ToHashSet(StringComparer.Ordinal);

    private static Logging LoggingRequest(IEnumerable<LogType> enabled)
    {
        var on = enabled.Select(EnumName).Distinct(StringComparer.Ordinal).ToList();
        var off = AllLogTypes.Except(on, StringComparer.Ordinal).ToList();
        var setups = new List<LogSetup>();
        if (on.Count > 0) setups.Add(new LogSetup { Types = on, Enabled = true });
        if (off.Count > 0) setups.Add(new LogSetup { Types = off, Enabled = false });
        return new Logging { ClusterLogging = setups };
    }

    internal static bool SetEquals(IEnumerable<string> desired, IEnumerable<string>? actual) =>
        desired.ToHashSet(StringComparer.Ordinal).SetEquals(actual ?? []);

    public static string Show<T>(IEnumerable<T>? values) => values is null ? "(unset)" : "[" + string.Join(",", values.Select(v => v?.ToString()).Order(StringComparer.Ordinal)) + "]";

    /// <summary>The wire spelling of an entity enum (its JsonStringEnumMemberName, else its name).</summary>
    public static string EnumName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var member = typeof(TEnum).GetField(value.ToString())!;
        return member.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false)
            is [System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute attribute] ? attribute.Name : value.ToString();
    }
}
