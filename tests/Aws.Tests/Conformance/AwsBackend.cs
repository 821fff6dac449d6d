using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using EksOperator.Aws.Ec2;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Iam;
using Microsoft.Extensions.DependencyInjection;

namespace EksOperator.Aws.Tests.Conformance;

/// <summary>The subnets a scenario may use: private ones tagged internal-elb (two zones at least), public ones tagged elb.</summary>
public sealed record TestNetwork(string VpcId, IReadOnlyList<string> PrivateSubnetIds, IReadOnlyList<string> PublicSubnetIds);

/// <summary>An AWS implementation our clients run against (moto, the simulator), reached through AddEksOperatorAws.</summary>
public sealed class AwsBackend : IDisposable
{
    private readonly ServiceProvider _services;

    public AwsBackend(string name, Uri endpoint, string accessKey, string secretKey, bool hasLifecycles, TimeSpan rolePropagation, Func<AwsBackend, Task<TestNetwork>> prepareNetwork, Func<AwsOptions, AwsOptions>? configure = null)
    {
        Name = name;
        HasLifecycles = hasLifecycles;
        RolePropagation = rolePropagation;
        PrepareNetwork = () => prepareNetwork(this);
        Options = new AwsOptions
        {
            Region = "us-west-2",
            AccountId = "123456789012",
            Credentials = new BasicAWSCredentials(accessKey, secretKey),
            Eks = new AwsServiceOptions { ServiceUrl = endpoint, RequestsPerSecond = 200, Burst = 50 },
            Iam = new AwsServiceOptions { ServiceUrl = endpoint, RequestsPerSecond = 200, Burst = 50 },
            Ec2 = new AwsServiceOptions { ServiceUrl = endpoint, RequestsPerSecond = 200, Burst = 50 },
            Sts = new AwsServiceOptions { ServiceUrl = endpoint },
            RequestTimeout = TimeSpan.FromSeconds(20),
        };
        Options = configure?.Invoke(Options) ?? Options;
        _services = new ServiceCollection().AddEksOperatorAws(Options).BuildServiceProvider();
    }

    public string Name { get; }

    /// <summary>False for moto: its resources are ACTIVE at once and it has no update calls.</summary>
    public bool HasLifecycles { get; }

    /// <summary>How long a new IAM role takes before EKS accepts it.</summary>
    public TimeSpan RolePropagation { get; }

    public AwsOptions Options { get; }

    public Func<Task<TestNetwork>> PrepareNetwork { get; }

    public IEksApi Eks => _services.GetRequiredService<IEksApi>();

    public IIamApi Iam => _services.GetRequiredService<IIamApi>();

    public IEc2Api Ec2 => _services.GetRequiredService<IEc2Api>();

    /// <summary>The real SDK, for seeding what our narrow interfaces cannot create.</summary>
    public AmazonEC2Client RawEc2() =>
        new(Options.Credentials, new AmazonEC2Config { ServiceURL = Options.Ec2.ServiceUrl!.ToString(), AuthenticationRegion = Options.Region });

    public void Dispose() => _services.Dispose();

    /// <summary>moto has only a default VPC without tags: create one with tagged private and public subnets.</summary>
    public static async Task<TestNetwork> CreateTaggedNetworkAsync(AwsBackend backend)
    {
        using var ec2 = backend.RawEc2();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest
        {
            CidrBlock = "10.77.0.0/16",
            TagSpecifications = [Tags(ResourceType.Vpc, ("Name", "conformance-" + suffix))],
        })).Vpc;

        async Task<string> SubnetAsync(string cidr, string zone, string roleTag, string name) =>
            (await ec2.CreateSubnetAsync(new CreateSubnetRequest
            {
                VpcId = vpc.VpcId,
                CidrBlock = cidr,
                AvailabilityZone = zone,
                TagSpecifications = [Tags(ResourceType.Subnet, (roleTag, "1"), ("Name", name), ("conformance", suffix))],
            })).Subnet.SubnetId;

        var privateA = await SubnetAsync("10.77.1.0/24", "us-west-2a", "kubernetes.io/role/internal-elb", "private-a");
        var privateB = await SubnetAsync("10.77.2.0/24", "us-west-2b", "kubernetes.io/role/internal-elb", "private-b");
        var publicA = await SubnetAsync("10.77.3.0/24", "us-west-2a", "kubernetes.io/role/elb", "public-a");
        return new TestNetwork(vpc.VpcId, [privateA, privateB], [publicA]);
    }

    private static TagSpecification Tags(ResourceType type, params (string Key, string Value)[] tags) =>
        new() { ResourceType = type, Tags = [.. tags.Select(t => new Tag(t.Key, t.Value))] };
}
