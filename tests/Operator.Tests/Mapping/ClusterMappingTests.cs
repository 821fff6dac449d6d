using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;
using UpgradePolicy = EksOperator.Entities.V1Alpha1.UpgradePolicy;

namespace EksOperator.Operator.Tests.Mapping;

public sealed class ClusterMappingTests
{
    private static readonly Owner Owner = new("uid-1", "default", "c1");

    private static Cluster Observed(Func<Cluster, Cluster>? change = null)
    {
        var cluster = new Cluster
        {
            Name = "c1",
            Version = "1.33",
            ResourcesVpcConfig = new VpcConfigResponse { EndpointPublicAccess = true, EndpointPrivateAccess = false, PublicAccessCidrs = ["0.0.0.0/0"], SecurityGroupIds = ["sg-1"] },
            Logging = new Logging { ClusterLogging = [new LogSetup { Types = ["api"], Enabled = true }, new LogSetup { Types = ["audit"], Enabled = false }] },
        };
        return change is null ? cluster : change(cluster);
    }

    [Fact]
    public void The_create_request_carries_the_spec()
    {
        var spec = new EksClusterSpec
        {
            Version = "1.33",
            Vpc = new ClusterVpc { SecurityGroupIds = ["sg-1"], EndpointPublicAccess = false, EndpointPrivateAccess = true, PublicAccessCidrs = ["10.0.0.0/8"] },
            KubernetesNetwork = new KubernetesNetwork { ServiceIpv4Cidr = "172.20.0.0/16", IpFamily = IpFamily.Ipv6 },
            Logging = [LogType.Api, LogType.Api, LogType.Scheduler],
            Encryption = new ClusterEncryption { KmsKeyArn = "arn:key" },
            Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.Api, BootstrapClusterCreatorAdminPermissions = false },
            UpgradePolicy = new UpgradePolicy { SupportType = SupportType.Standard },
            DeletionProtection = true,
            Tags = new Dictionary<string, string> { ["team"] = "x" },
        };

        var r = ClusterMapping.ToCreateRequest("c1", spec, ["subnet-1", "subnet-2"], "arn:role", Owner);

        Assert.Equal(("c1", "1.33", "arn:role", "cluster-uid-1"), (r.Name, r.Version, r.RoleArn, r.ClientRequestToken));
        Assert.Equal(["subnet-1", "subnet-2"], r.ResourcesVpcConfig.SubnetIds);
        Assert.Equal(["sg-1"], r.ResourcesVpcConfig.SecurityGroupIds);
        Assert.Equal((false, true), (r.ResourcesVpcConfig.EndpointPublicAccess, r.ResourcesVpcConfig.EndpointPrivateAccess));
        Assert.Equal(["10.0.0.0/8"], r.ResourcesVpcConfig.PublicAccessCidrs);
        Assert.Equal(("172.20.0.0/16", "ipv6"), (r.KubernetesNetworkConfig!.ServiceIpv4Cidr, r.KubernetesNetworkConfig.IpFamily));
        Assert.Equal(["api:True", "scheduler:True", "audit:False", "authenticator:False", "controllerManager:False"],
            r.Logging!.ClusterLogging!.SelectMany(s => s.Types!.Select(t => $"{t}:{s.Enabled}")));
        var encryption = Assert.Single(r.EncryptionConfig!);
        Assert.Equal(["secrets"], encryption.Resources);
        Assert.Equal("arn:key", encryption.Provider!.KeyArn);
        Assert.Equal(("API", false), (r.AccessConfig!.AuthenticationMode, r.AccessConfig.BootstrapClusterCreatorAdminPermissions));
        Assert.Equal("STANDARD", r.UpgradePolicy!.SupportType);
        Assert.True(r.DeletionProtection);
        Assert.Equal("x", r.Tags!["team"]);
        Assert.Equal("c1", r.Tags![Entities.OwnershipTags.Name]);
    }

    [Fact]
    public void A_minimal_spec_sends_no_optional_parts()
    {
        var r = ClusterMapping.ToCreateRequest("c1", new EksClusterSpec(), ["s1", "s2"], "arn:role", Owner);

        Assert.Null(r.KubernetesNetworkConfig);
        Assert.Null(r.Logging);
        Assert.Null(r.EncryptionConfig);
        Assert.Null(r.AccessConfig);
        Assert.Null(r.UpgradePolicy);
        Assert.Null(r.DeletionProtection);
        Assert.Null(r.Version);
        Assert.Null(r.ResourcesVpcConfig.SecurityGroupIds);
        Assert.Null(new KubernetesNetwork().IpFamily);
        Assert.Null(ClusterMapping.ToCreateRequest("c1", new EksClusterSpec { KubernetesNetwork = new KubernetesNetwork() }, ["s1"], "r", Owner).KubernetesNetworkConfig!.IpFamily);
        Assert.Null(ClusterMapping.ToCreateRequest("c1", new EksClusterSpec { Access = new ClusterAccess() }, ["s1"], "r", Owner).AccessConfig!.AuthenticationMode);
    }

    [Fact]
    public void Logging_that_turns_everything_on_or_off_sends_one_setup()
    {
        var all = ClusterMapping.ToCreateRequest("c1", new EksClusterSpec { Logging = [LogType.Api, LogType.Audit, LogType.Authenticator, LogType.ControllerManager, LogType.Scheduler] }, ["s"], "r", Owner);
        Assert.True(Assert.Single(all.Logging!.ClusterLogging!).Enabled);
        var none = ClusterMapping.ToCreateRequest("c1", new EksClusterSpec { Logging = [] }, ["s"], "r", Owner);
        Assert.False(Assert.Single(none.Logging!.ClusterLogging!).Enabled);
    }

    public static TheoryData<string, string> ConfigCases => new()
    {
        // what the spec sets, the expected "field: desired <- actual" (joined with " | "; "" in sync)
        { "nothing", "" },
        { "logging same", "" },
        { "logging", "spec.logging: [api,audit] <- [api]" },
        { "public", "spec.vpc.endpointAccess: public=False, private=, cidrs=(unset) <- public=True, private=False, cidrs=[0.0.0.0/0]" },
        { "private", "spec.vpc.endpointAccess: public=, private=True, cidrs=(unset) <- public=True, private=False, cidrs=[0.0.0.0/0]" },
        { "cidrs", "spec.vpc.endpointAccess: public=, private=, cidrs=[10.0.0.0/8] <- public=True, private=False, cidrs=[0.0.0.0/0]" },
        { "cidrs same", "" },
        { "groups", "spec.vpc.securityGroupIds: [sg-1,sg-2] <- [sg-1]" },
        { "groups same", "" },
        { "auth", "spec.access.authenticationMode: API <- CONFIG_MAP" },
        { "auth same", "" },
        { "support", "spec.upgradePolicy.supportType: STANDARD <- EXTENDED" },
        { "support same", "" },
        { "encryption", "spec.encryption.kmsKeyArn: arn:key <- (none)" },
        { "encryption there", "" },
        { "protection", "spec.deletionProtection: True <- False" },
        { "protection same", "" },
        { "all", "spec.logging: [api,audit] <- [api] | spec.vpc.securityGroupIds: [sg-2] <- [sg-1] | spec.deletionProtection: True <- False" },
    };

    [Theory]
    [MemberData(nameof(ConfigCases))]
    public void Config_changes_compare_only_what_the_spec_sets_in_apply_order(string @case, string expected)
    {
        var spec = new EksClusterSpec();
        var observed = Observed();
        switch (@case)
        {
            case "logging same": spec.Logging = [LogType.Api]; break;
            case "logging": spec.Logging = [LogType.Api, LogType.Audit]; break;
            case "public": spec.Vpc.EndpointPublicAccess = false; break;
            case "private": spec.Vpc.EndpointPrivateAccess = true; break;
            case "cidrs": spec.Vpc.PublicAccessCidrs = ["10.0.0.0/8"]; break;
            case "cidrs same": spec.Vpc.PublicAccessCidrs = ["0.0.0.0/0"]; spec.Vpc.EndpointPublicAccess = true; spec.Vpc.EndpointPrivateAccess = false; break;
            case "groups": spec.Vpc.SecurityGroupIds = ["sg-2", "sg-1"]; break;
            case "groups same": spec.Vpc.SecurityGroupIds = ["sg-1"]; break;
            case "auth": spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.Api }; break;
            case "auth same": spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ConfigMap }; break;
            case "support": spec.UpgradePolicy = new UpgradePolicy { SupportType = SupportType.Standard }; break;
            case "support same": spec.UpgradePolicy = new UpgradePolicy { SupportType = SupportType.Extended }; break;
            case "encryption": spec.Encryption = new ClusterEncryption { KmsKeyArn = "arn:key" }; break;
            case "encryption there":
                spec.Encryption = new ClusterEncryption { KmsKeyArn = "arn:other" };
                observed = observed with { EncryptionConfig = [new EncryptionConfig { Provider = new EncryptionProvider { KeyArn = "arn:key" } }] };
                break;
            case "protection": spec.DeletionProtection = true; break;
            case "protection same": spec.DeletionProtection = false; break;
            case "all":
                spec.Logging = [LogType.Api, LogType.Audit];
                spec.Vpc.SecurityGroupIds = ["sg-2"];
                spec.DeletionProtection = true;
                break;
        }

        var changes = ClusterMapping.ConfigChanges("c1", spec, observed);

        Assert.Equal(expected, string.Join(" | ", changes.Select(c => $"{c.Field}: {c.Desired} <- {c.Actual}")));
        Assert.All(changes, c => Assert.Equal("c1", c.Request?.Name ?? c.Encryption!.Name));
        // One kind of setting per request.
        Assert.All(changes, c => Assert.Equal(1, new object?[] { c.Request?.Logging, c.Request?.ResourcesVpcConfig, c.Request?.AccessConfig, c.Request?.UpgradePolicy, c.Request?.DeletionProtection, c.Encryption }.Count(x => x is not null)));
    }

    [Fact]
    public void The_requests_carry_the_wanted_values()
    {
        var spec = new EksClusterSpec
        {
            Logging = [LogType.Audit],
            Vpc = new ClusterVpc { EndpointPrivateAccess = true, PublicAccessCidrs = ["10.0.0.0/8"], SecurityGroupIds = ["sg-9"] },
            Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ApiAndConfigMap },
            UpgradePolicy = new UpgradePolicy { SupportType = SupportType.Standard },
            Encryption = new ClusterEncryption { KmsKeyArn = "arn:key" },
            DeletionProtection = true,
        };

        var changes = ClusterMapping.ConfigChanges("c1", spec, Observed());

        Assert.Equal(["audit"], changes[0].Request!.Logging!.ClusterLogging!.Single(s => s.Enabled == true).Types);
        Assert.Equal((null, true, "10.0.0.0/8"), (changes[1].Request!.ResourcesVpcConfig!.EndpointPublicAccess, changes[1].Request!.ResourcesVpcConfig!.EndpointPrivateAccess, changes[1].Request!.ResourcesVpcConfig!.PublicAccessCidrs!.Single()));
        Assert.Equal(["sg-9"], changes[2].Request!.ResourcesVpcConfig!.SecurityGroupIds);
        Assert.Equal("API_AND_CONFIG_MAP", changes[3].Request!.AccessConfig!.AuthenticationMode);
        Assert.Equal("STANDARD", changes[4].Request!.UpgradePolicy!.SupportType);
        Assert.Null(changes[5].Request);
        Assert.Equal(("arn:key", "secrets"), (changes[5].Encryption!.EncryptionConfig.Single().Provider!.KeyArn, changes[5].Encryption!.EncryptionConfig.Single().Resources!.Single()));
        Assert.True(changes[6].Request!.DeletionProtection);
        Assert.Equal(7, changes.Count);
    }

    [Fact]
    public void Observed_values_EKS_reports_explicitly_are_compared_as_reported()
    {
        var observed = Observed(c => c with
        {
            AccessConfig = new AccessConfigResponse { AuthenticationMode = "API" },
            UpgradePolicy = new Aws.Eks.UpgradePolicy { SupportType = "STANDARD" },
            DeletionProtection = true,
            ResourcesVpcConfig = null,
            Logging = null,
        });
        var spec = new EksClusterSpec
        {
            Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.Api },
            UpgradePolicy = new UpgradePolicy { SupportType = SupportType.Standard },
            DeletionProtection = true,
            Logging = [],
        };

        Assert.Empty(ClusterMapping.ConfigChanges("c1", spec, observed));
        var moved = ClusterMapping.ConfigChanges("c1", new EksClusterSpec
        {
            Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.ApiAndConfigMap },
            UpgradePolicy = new UpgradePolicy { SupportType = SupportType.Extended },
        }, observed);
        Assert.Equal(["API_AND_CONFIG_MAP <- API", "EXTENDED <- STANDARD"], moved.Select(c => $"{c.Desired} <- {c.Actual}"));
        var vpc = ClusterMapping.ConfigChanges("c1", new EksClusterSpec { Vpc = new ClusterVpc { SecurityGroupIds = ["sg-1"] } }, observed);
        Assert.Equal("spec.vpc.securityGroupIds: [sg-1] <- (unset)", string.Join("", vpc.Select(c => $"{c.Field}: {c.Desired} <- {c.Actual}")));
        Assert.Equal("spec.deletionProtection: False <- True", string.Join("", ClusterMapping.ConfigChanges("c1", new EksClusterSpec { DeletionProtection = false }, observed).Select(c => $"{c.Field}: {c.Desired} <- {c.Actual}")));
    }

    [Theory]
    [InlineData("arn:key", "arn:key", null, "arn:role", "")]
    [InlineData("arn:new", "arn:key", null, "arn:role", "spec.encryption.kmsKeyArn arn:new arn:key")]
    [InlineData(null, "arn:key", "arn:other", "arn:role", "spec.roleArn arn:other arn:role")]
    [InlineData(null, null, "arn:role", "arn:role", "")]
    [InlineData(null, null, "arn:other", null, "")]
    [InlineData("arn:new", null, null, "arn:role", "")]
    public void Immutable_drift_is_a_different_key_or_role(string? wantKey, string? haveKey, string? wantRole, string? haveRole, string expected)
    {
        var spec = new EksClusterSpec { Encryption = wantKey is null ? null : new ClusterEncryption { KmsKeyArn = wantKey } };
        var observed = Observed(c => c with
        {
            RoleArn = haveRole,
            EncryptionConfig = haveKey is null ? null : [new EncryptionConfig { Provider = new EncryptionProvider { KeyArn = haveKey } }],
        });

        var drift = ClusterMapping.ImmutableDrift(spec, observed, wantRole);

        Assert.Equal(expected, string.Join(" | ", drift.Select(d => $"{d.Field} {d.Desired} {d.Actual}")));
    }

    [Fact]
    public void An_empty_encryption_list_is_no_encryption()
    {
        var spec = new EksClusterSpec { Encryption = new ClusterEncryption { KmsKeyArn = "arn:key" } };
        var observed = Observed(c => c with { EncryptionConfig = [] });

        Assert.Equal(["spec.encryption.kmsKeyArn"], ClusterMapping.ConfigChanges("c1", spec, observed).Select(c => c.Field));
        Assert.Empty(ClusterMapping.ImmutableDrift(spec, observed, null));
    }

    [Fact]
    public void Enabled_log_types_and_the_wire_spelling_of_enums()
    {
        Assert.Equal(["audit"], ClusterMapping.EnabledLogTypes(Observed(c => c with
        {
            Logging = new Logging { ClusterLogging = [new LogSetup { Types = null, Enabled = true }, new LogSetup { Types = ["audit"], Enabled = true }] },
        })));
        Assert.Equal(["api"], ClusterMapping.EnabledLogTypes(Observed()));
        Assert.Empty(ClusterMapping.EnabledLogTypes(Observed(c => c with { Logging = null })));
        Assert.Equal("controllerManager", ClusterMapping.EnumName(LogType.ControllerManager));
        Assert.Equal("CREATE_FAILED", ClusterMapping.EnumName(NodegroupStatus.CreateFailed));
        Assert.Equal("Unknown", ClusterMapping.EnumName(ClusterStatus.Unknown));
        Assert.Equal("(unset)", ClusterMapping.Show<string>(null));
        Assert.Equal("[a,b]", ClusterMapping.Show(["b", "a"]));
    }
}
