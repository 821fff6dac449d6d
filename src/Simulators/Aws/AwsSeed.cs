namespace EksOperator.Simulators.Aws;

/// <summary>The seeded default VPC: three zones, a public and a private subnet in each, and its default security group.</summary>
public sealed record AwsDefaultNetwork(string VpcId, IReadOnlyList<string> PublicSubnetIds, IReadOnlyList<string> PrivateSubnetIds, string SecurityGroupId);

/// <summary>Resources to create directly (no API call, no call log entry). Also accepted as JSON by POST /_sim/seed.</summary>
public sealed record AwsSeed
{
    public IReadOnlyList<AwsSeedRole> Roles { get; init; } = [];
    public IReadOnlyList<AwsSeedVpc> Vpcs { get; init; } = [];
    public IReadOnlyList<AwsSeedSubnet> Subnets { get; init; } = [];
    public IReadOnlyList<AwsSeedSecurityGroup> SecurityGroups { get; init; } = [];
    public IReadOnlyList<AwsSeedCluster> Clusters { get; init; } = [];
}

/// <summary>An IAM role; seeded roles are usable by EKS at once unless <see cref="Propagated"/> is false.</summary>
public sealed record AwsSeedRole
{
    public required string Name { get; init; }

    /// <summary>Trust policy JSON; EKS checks it names the service principal (eks.amazonaws.com, ec2.amazonaws.com, eks-fargate-pods.amazonaws.com).</summary>
    public required string AssumeRolePolicyDocument { get; init; }

    public string Path { get; init; } = "/";
    public IReadOnlyList<string> PolicyArns { get; init; } = [];
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public bool Propagated { get; init; } = true;
}

public sealed record AwsSeedVpc
{
    public required string CidrBlock { get; init; }

    /// <summary>Becomes the Name tag; subnets and security groups of the same seed may refer to the VPC by it.</summary>
    public string? Name { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

public sealed record AwsSeedSubnet
{
    /// <summary>VPC id, or the Name of a VPC (e.g. one seeded in the same call); null = the default VPC.</summary>
    public string? Vpc { get; init; }

    public required string CidrBlock { get; init; }

    /// <summary>Zone name, e.g. us-west-2a.</summary>
    public required string AvailabilityZone { get; init; }

    /// <summary>Private subnets have no route to an internet gateway (Fargate requires them).</summary>
    public bool Private { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

public sealed record AwsSeedSecurityGroup
{
    public required string Name { get; init; }
    public string Description { get; init; } = "seeded security group";

    /// <summary>VPC id or Name; null = the default VPC.</summary>
    public string? Vpc { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>An EKS cluster that exists ACTIVE at once (for adoption tests and benchmarks).</summary>
public sealed record AwsSeedCluster
{
    public required string Name { get; init; }

    /// <summary>Default: a role ARN in the simulator's account named after the cluster (not checked).</summary>
    public string? RoleArn { get; init; }

    /// <summary>Default: the simulator's default version.</summary>
    public string? Version { get; init; }

    /// <summary>Default: the default VPC's six subnets.</summary>
    public IReadOnlyList<string>? SubnetIds { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>accessConfig.authenticationMode: CONFIG_MAP (CreateCluster's default), API_AND_CONFIG_MAP or API; access entries need one of the latter two.</summary>
    public string AuthenticationMode { get; init; } = "CONFIG_MAP";
}

/// <summary>Ids and ARNs of what <see cref="AwsSimulator.Seed"/> created, in request order.</summary>
public sealed record AwsSeedResult(
    IReadOnlyList<string> RoleArns,
    IReadOnlyList<string> VpcIds,
    IReadOnlyList<string> SubnetIds,
    IReadOnlyList<string> SecurityGroupIds,
    IReadOnlyList<string> ClusterArns);
