using System.Globalization;
using System.Text;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// Everything the simulator knows (IAM, EC2, EKS), guarded by one lock. Lifecycles are evaluated lazily:
/// every request first calls <see cref="Tick"/>, which moves resources whose timers have expired, so the
/// state only depends on the TimeProvider and a FakeTimeProvider drives it deterministically.
/// </summary>
internal sealed class World
{
    private readonly Random _ids;
    private readonly AwsSimulatorOptions _options;
    private readonly AccountIam _iam;
    private readonly string _idStem;
    private DateTimeOffset _nextTransition = DateTimeOffset.MaxValue;

    /// <summary>The first account in the first region (what a single-account simulator is).</summary>
    public World(AwsSimulatorOptions options)
        : this(options, new AccountIam(options.AccountId), options.Region, accountIndex: 0, regionIndex: 0)
    {
    }

    /// <summary>
    /// One account in one region. IAM is global per account: every World of an account shares <paramref name="iam"/>
    /// (its roles and its lock). The first (account, region) keeps the historical id seed and the documented fixed network ids.
    /// </summary>
    public World(AwsSimulatorOptions options, AccountIam iam, string region, int accountIndex, int regionIndex)
    {
        _options = options;
        _iam = iam;
        Region = region;
        _ids = new Random(20171101 + (accountIndex * 1009) + (regionIndex * 7));
        _idStem = "0a" + accountIndex.ToString("x2", CultureInfo.InvariantCulture) + regionIndex.ToString("x2", CultureInfo.InvariantCulture) + "000000000";
        DefaultNetwork = SeedDefaultVpc();
        Versions = new ClusterVersions(options);
        Addons = new AddonCatalogue(options.SupportedVersions);
        EnforceUpgradeInsights = options.EnforceUpgradeInsights;
    }

    /// <summary>The account's lock, shared by its regions because IAM is.</summary>
    public Lock Gate => _iam.Gate;

    public AwsSimulatorOptions Options => _options;

    public string Region { get; }

    public string Account => _iam.Account;

    public AwsDefaultNetwork DefaultNetwork { get; }

    /// <summary>The Kubernetes version calendar (DescribeClusterVersions), fixed when the simulator starts.</summary>
    public ClusterVersions Versions { get; }

    /// <summary>The add-ons DescribeAddonVersions offers, one set per supported Kubernetes version.</summary>
    public AddonCatalogue Addons { get; }

    public DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    public SortedDictionary<string, Vpc> Vpcs { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, Subnet> Subnets { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SecurityGroup> SecurityGroups { get; } = new(StringComparer.Ordinal);
    /// <summary>The account's IAM roles (global: the same dictionary in every region of the account).</summary>
    public SortedDictionary<string, Role> Roles => _iam.Roles;
    public SortedDictionary<string, Cluster> Clusters { get; } = new(StringComparer.Ordinal);

    /// <summary>IAM OpenID Connect providers by ARN (IAM is global: the account's, shared by its regions).</summary>
    public SortedDictionary<string, OidcProvider> OidcProviders => _iam.OidcProviders;
    public Dictionary<string, IdempotencyRecord> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>UpdateClusterVersion refuses an upgrade with ERROR insights unless forced; starts from the option, the control API toggles it.</summary>
    public bool EnforceUpgradeInsights { get; set; }

    public TimeSpan Scaled(TimeSpan unscaled) => unscaled * _options.TimeScale;

    /// <summary>Remembers that something changes at <paramref name="at"/>, so Tick knows when to look again.</summary>
    public DateTimeOffset Schedule(DateTimeOffset at)
    {
        if (at < _nextTransition)
        {
            _nextTransition = at;
        }

        return at;
    }

    public string NewHex(int length, bool upper = false)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        _ids.NextBytes(bytes);
        var hex = Convert.ToHexString(bytes)[..length];
        return upper ? hex : hex.ToLowerInvariant();
    }

    public string NewUuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _ids.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }

    public string NewAlnumUpper(int length)
    {
        const string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(chars[_ids.Next(chars.Length)]);
        }

        return sb.ToString();
    }

    /// <summary>Lower-case letters and digits, as in Pod Identity association ids (a-…).</summary>
    public string NewAlnumLower(int length)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyz0123456789";
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            sb.Append(chars[_ids.Next(chars.Length)]);
        }

        return sb.ToString();
    }

    /// <summary>Applies every transition that is due. Call under <see cref="Gate"/>.</summary>
    public void Tick()
    {
        var now = Now;
        if (now < _nextTransition)
        {
            return;
        }

        _nextTransition = DateTimeOffset.MaxValue;
        foreach (var cluster in Clusters.Values.ToList())
        {
            TickCluster(cluster, now);
        }
    }

    private void TickCluster(Cluster c, DateTimeOffset now)
    {
        foreach (var update in c.Updates)
        {
            if (update.Status != "InProgress")
            {
                continue;
            }

            if (now >= update.CompletesAt)
            {
                // An update whose values can no longer be applied (checked at acceptance, but the world moved on) fails
                // with nothing changed; Apply is all or nothing.
                try
                {
                    update.Apply?.Invoke();
                    update.Status = "Successful";
                }
                catch (AwsErrorException e)
                {
                    update.Status = "Failed";
                    update.Errors.Add(new UpdateError(e.Code == "ResourceInUseException" ? "ConfigurationConflict" : "AccessDenied", e.Message, e.ResourceIds));
                }
            }
            else
            {
                Schedule(update.CompletesAt);
            }
        }

        foreach (var ng in c.Nodegroups.Values.ToList())
        {
            TickNodegroup(c, ng, now);
        }

        foreach (var fp in c.FargateProfiles.Values.ToList())
        {
            if (fp.Status is "CREATING" or "DELETING" && now < fp.TransitionAt)
            {
                Schedule(fp.TransitionAt);
            }
            else if (fp.Status == "CREATING")
            {
                fp.Status = "ACTIVE";
            }
            else if (fp.Status == "DELETING")
            {
                c.FargateProfiles.Remove(fp.Name);
            }
        }

        foreach (var addon in c.Addons.Values.ToList())
        {
            TickAddon(c, addon, now);
        }

        foreach (var capability in c.Capabilities.Values.ToList())
        {
            TickCapability(c, capability, now);
        }

        switch (c.Status)
        {
            case "CREATING" when now >= c.TransitionAt:
                c.Status = "ACTIVE";
                c.Insights.RefreshedAt = c.TransitionAt;
                break;
            case "DELETING" when now >= c.TransitionAt:
                // The cluster's associations, owned or not, go with it.
                Clusters.Remove(c.Name);
                SecurityGroups.Remove(c.ClusterSecurityGroupId);
                return;
            case "CREATING" or "DELETING":
                Schedule(c.TransitionAt);
                break;
            default:
                break;
        }

        if (c.Status is "ACTIVE" or "UPDATING")
        {
            var inFlight = c.InFlightClusterUpdate;
            var visibleAt = inFlight is null ? DateTimeOffset.MaxValue : inFlight.CreatedAt + Scaled(_options.Durations.ClusterUpdatingVisibleAfter);
            c.Status = inFlight is not null && now >= visibleAt ? "UPDATING" : "ACTIVE";
            if (inFlight is not null && now < visibleAt)
            {
                Schedule(visibleAt);
            }
        }
    }

    /// <summary>A settled add-on is UPDATING while its update runs, else DEGRADED while it has health issues, else ACTIVE.</summary>
    private void TickAddon(Cluster c, Addon addon, DateTimeOffset now)
    {
        switch (addon.Status)
        {
            case "CREATING" or "DELETING" when now < addon.TransitionAt:
                Schedule(addon.TransitionAt);
                return;
            case "DELETING":
                addon.Removed?.Invoke();
                c.Addons.Remove(addon.Name);
                return;
            case "CREATING":
                addon.ModifiedAt = addon.TransitionAt;
                break;
            default:
                break;
        }

        var busy = c.Updates.Exists(u => u.Addon == addon.Name && u.Status == "InProgress");
        addon.Status = busy ? "UPDATING" : addon.HealthIssues.Count > 0 ? "DEGRADED" : "ACTIVE";
    }

    /// <summary>
    /// CREATING ends ACTIVE when EKS can assume the role (its trust names capabilities.eks.amazonaws.com for
    /// sts:AssumeRole and sts:TagSession), else CREATE_FAILED with an AccessDenied issue; a settled one is UPDATING
    /// while its update runs.
    /// </summary>
    private void TickCapability(Cluster c, Capability capability, DateTimeOffset now)
    {
        switch (capability.Status)
        {
            case "CREATING" or "DELETING" when now < capability.TransitionAt:
                Schedule(capability.TransitionAt);
                return;
            case "DELETING":
                c.Capabilities.Remove(capability.Name);
                return;
            case "CREATING":
                capability.ModifiedAt = capability.TransitionAt;
                if (!CapabilityRoleAssumable(capability.RoleArn))
                {
                    capability.Status = "CREATE_FAILED";
                    capability.Issues.Add(new CapabilityIssue("AccessDenied",
                        $"EKS could not assume role {capability.RoleArn}: its trust policy must allow capabilities.eks.amazonaws.com sts:AssumeRole and sts:TagSession"));
                    return;
                }

                break;
            case "CREATE_FAILED":
                return;
            default:
                break;
        }

        capability.Status = c.Updates.Exists(u => u.Capability == capability.Name && u.Status == "InProgress") ? "UPDATING" : "ACTIVE";
    }

    private bool CapabilityRoleAssumable(string roleArn) =>
        Roles.TryGetValue(roleArn[(roleArn.LastIndexOf('/') + 1)..], out var role) && role.Arn == roleArn
        && TrustPolicy.Allows(role.AssumeRolePolicyDocument, "capabilities.eks.amazonaws.com", "sts:AssumeRole")
        && TrustPolicy.Allows(role.AssumeRolePolicyDocument, "capabilities.eks.amazonaws.com", "sts:TagSession");

    private void TickNodegroup(Cluster c, Nodegroup ng, DateTimeOffset now)
    {
        switch (ng.Status)
        {
            case "CREATING" or "DELETING" when now < ng.TransitionAt:
                Schedule(ng.TransitionAt);
                return;
            case "CREATING":
                ng.Status = "ACTIVE";
                ng.ModifiedAt = ng.TransitionAt;
                break;
            case "DELETING":
                c.Nodegroups.Remove(ng.Name);
                return;
            default:
                break;
        }

        var busy = c.Updates.Exists(u => u.Nodegroup == ng.Name && u.Status == "InProgress");
        if (ng.Status is "ACTIVE" or "UPDATING")
        {
            ng.Status = busy ? "UPDATING" : "ACTIVE";
        }
    }

    // The default network has fixed ids (documented in README.md) so that sample manifests can name its subnets:
    // vpc-0a000000000000001 in the first account and region; characters 3-4 count the account, 5-6 the region.
    private string DefaultVpcId => $"vpc-{_idStem}01";

    private string DefaultPrivateSubnetId(int zone) => $"subnet-{_idStem}1{zone + 1}";

    private string DefaultPublicSubnetId(int zone) => $"subnet-{_idStem}2{zone + 1}";

    private AwsDefaultNetwork SeedDefaultVpc()
    {
        var vpc = AddVpc("172.31.0.0/16", isDefault: true, new Dictionary<string, string>(StringComparer.Ordinal) { ["Name"] = "default" }, DefaultVpcId);
        var sg = AddSecurityGroup("default", "default VPC security group", vpc.Id, ingressFromSelf: true, []);
        var publicIds = new List<string>();
        var privateIds = new List<string>();
        for (var zone = 0; zone < 3; zone++)
        {
            var az = Region + (char)('a' + zone);
            var pub = AddSubnet(vpc.Id, $"172.31.{zone * 16}.0/20", az, isPrivate: false, defaultForAz: true, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Name"] = $"default-public-{az}",
                ["kubernetes.io/role/elb"] = "1",
            }, DefaultPublicSubnetId(zone));
            var priv = AddSubnet(vpc.Id, $"172.31.{(zone + 3) * 16}.0/20", az, isPrivate: true, defaultForAz: false, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Name"] = $"default-private-{az}",
                ["kubernetes.io/role/internal-elb"] = "1",
            }, DefaultPrivateSubnetId(zone));
            publicIds.Add(pub.Id);
            privateIds.Add(priv.Id);
        }

        return new AwsDefaultNetwork(vpc.Id, publicIds, privateIds, sg.Id);
    }

    public Vpc AddVpc(string cidr, bool isDefault, Dictionary<string, string> tags, string? id = null)
    {
        var vpc = new Vpc
        {
            Id = id ?? "vpc-" + NewHex(17),
            CidrBlock = cidr,
            IsDefault = isDefault,
            AssociationId = "vpc-cidr-assoc-" + NewHex(17),
            DhcpOptionsId = "dopt-" + NewHex(17),
            Tags = tags,
        };
        Vpcs[vpc.Id] = vpc;
        return vpc;
    }

    public Subnet AddSubnet(string vpcId, string cidr, string az, bool isPrivate, bool defaultForAz, Dictionary<string, string> tags, string? id = null)
    {
        var prefix = int.Parse(cidr[(cidr.IndexOf('/', StringComparison.Ordinal) + 1)..], CultureInfo.InvariantCulture);
        var subnet = new Subnet
        {
            Id = id ?? "subnet-" + NewHex(17),
            VpcId = vpcId,
            CidrBlock = cidr,
            AvailabilityZone = az,
            AvailabilityZoneId = ZoneId(az),
            MapPublicIpOnLaunch = !isPrivate,
            DefaultForAz = defaultForAz,
            Private = isPrivate,
            AvailableIpAddressCount = (1 << (32 - prefix)) - 5,
            Tags = tags,
        };
        Subnets[subnet.Id] = subnet;
        return subnet;
    }

    public SecurityGroup AddSecurityGroup(string name, string description, string vpcId, bool ingressFromSelf, Dictionary<string, string> tags)
    {
        var sg = new SecurityGroup
        {
            Id = "sg-" + NewHex(17),
            Name = name,
            Description = description,
            VpcId = vpcId,
            IngressFromSelf = ingressFromSelf,
            Tags = tags,
        };
        SecurityGroups[sg.Id] = sg;
        return sg;
    }

    /// <summary>us-west-2a → usw2-az1 (AWS shuffles the mapping per account; a fixed one is enough here).</summary>
    private static string ZoneId(string az)
    {
        var region = az[..^1];
        var parts = region.Split('-');
        var shortName = parts.Length == 3 ? $"{parts[0]}{parts[1][0]}{parts[2]}" : region;
        return $"{shortName}-az{az[^1] - 'a' + 1}";
    }

    public Role AddRole(string name, string path, string trustPolicy, string? description, int maxSessionDuration, DateTimeOffset usableAt)
    {
        var role = new Role
        {
            Name = name,
            Path = path,
            Id = "AROA" + NewAlnumUpper(17),
            Arn = $"arn:aws:iam::{Account}:role{path}{name}",
            CreateDate = Now,
            AssumeRolePolicyDocument = trustPolicy,
            Description = description,
            MaxSessionDuration = maxSessionDuration,
            UsableAt = usableAt,
        };
        Roles[name] = role;
        return role;
    }
}

/// <summary>An account's IAM, global across regions: its roles and the lock every World of the account takes.</summary>
internal sealed class AccountIam(string account)
{
    public string Account { get; } = account;

    public Lock Gate { get; } = new();

    public SortedDictionary<string, Role> Roles { get; } = new(StringComparer.OrdinalIgnoreCase);

    public SortedDictionary<string, OidcProvider> OidcProviders { get; } = new(StringComparer.Ordinal);
}
