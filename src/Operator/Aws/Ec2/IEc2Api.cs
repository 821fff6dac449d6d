namespace EksOperator.Aws.Ec2;

/// <summary>The EC2 reads the operator makes (subnet/VPC/security-group discovery and validation), pages followed.</summary>
public interface IEc2Api
{
    Task<IReadOnlyList<Ec2Subnet>> DescribeSubnetsAsync(Ec2SubnetQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Ec2SecurityGroup>> DescribeSecurityGroupsAsync(Ec2SecurityGroupQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Ec2Vpc>> DescribeVpcsAsync(Ec2VpcQuery query, CancellationToken cancellationToken = default);
}

/// <summary>
/// Ids and filters are ANDed as EC2 does. One unknown id fails the whole call (NotFound).
/// In <see cref="Tags"/> a null value means "has the key" (tag-key), otherwise "tag:Key = value".
/// </summary>
public sealed record Ec2SubnetQuery
{
    public IReadOnlyList<string>? SubnetIds { get; init; }
    public string? VpcId { get; init; }
    public IReadOnlyList<string>? AvailabilityZones { get; init; }
    public IReadOnlyDictionary<string, string?>? Tags { get; init; }
}

public sealed record Ec2SecurityGroupQuery
{
    public IReadOnlyList<string>? GroupIds { get; init; }
    public string? VpcId { get; init; }
    public IReadOnlyList<string>? GroupNames { get; init; }
    public IReadOnlyDictionary<string, string?>? Tags { get; init; }
}

public sealed record Ec2VpcQuery
{
    public IReadOnlyList<string>? VpcIds { get; init; }
    public bool? IsDefault { get; init; }
    public IReadOnlyDictionary<string, string?>? Tags { get; init; }
}

public sealed record Ec2Subnet(
    string SubnetId,
    string VpcId,
    string AvailabilityZone,
    string? AvailabilityZoneId,
    string CidrBlock,
    int AvailableIpAddressCount,
    bool MapPublicIpOnLaunch,
    bool DefaultForAz,
    string State,
    IReadOnlyDictionary<string, string> Tags);

public sealed record Ec2SecurityGroup(string GroupId, string GroupName, string? Description, string? VpcId, IReadOnlyDictionary<string, string> Tags);

public sealed record Ec2Vpc(string VpcId, string CidrBlock, bool IsDefault, string State, IReadOnlyDictionary<string, string> Tags);
