using Amazon.Runtime;
using EksOperator.Aws;
using EksOperator.Aws.Ec2;
using EksOperator.Entities.V1Alpha1;
using Microsoft.Extensions.DependencyInjection;

namespace EksOperator.Integration.Tests;

/// <summary>
/// The operator against moto, an AWS implementation nobody here wrote: the full stack is created, reads back ACTIVE,
/// and is deleted. (moto's resources are ACTIVE at once and it has no update calls, so only create/read/delete run.)
/// </summary>
public sealed class MotoTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [MotoFact]
    public async Task Full_stack_is_created_reads_back_active_and_is_deleted_on_moto()
    {
        var subnets = await DefaultSubnetsAsync();
        await using var env = await OperatorEnvironment.StartAsync(true,
            $"--Aws:EndpointUrl={moto.BaseAddress}", "--Aws:AccessKeyId=testing", "--Aws:SecretAccessKey=testing");
        var cluster = Manifests.Cluster("moto", subnets);
        await env.CreateAsync(cluster);
        await env.CreateAsync(Manifests.NodeGroup("ng", "moto"));
        await env.CreateAsync(Manifests.Profile("fp", "moto", subnets));

        var ready = await env.ReadyAsync<EksCluster>("moto");
        Assert.Equal("ACTIVE", ready.Status!.AwsStatus);
        Assert.StartsWith("arn:aws:eks:us-west-2:", ready.Status.Arn, StringComparison.Ordinal);
        Assert.Equal("ACTIVE", (await env.ReadyAsync<ManagedNodeGroup>("ng")).Status!.AwsStatus);
        Assert.Equal("ACTIVE", (await env.ReadyAsync<FargateProfile>("fp")).Status!.AwsStatus);

        await env.DeleteAsync<EksCluster>("moto");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("moto"), c => c is null, "deleted on moto", TimeSpan.FromSeconds(60));
        using var services = Services();
        Assert.Null(await services.GetRequiredService<Aws.Eks.IEksApi>().DescribeClusterAsync("moto"));
    }

    private ServiceProvider Services() => new ServiceCollection().AddEksOperatorAws(new AwsOptions
    {
        Region = "us-west-2",
        Credentials = new BasicAWSCredentials("testing", "testing"),
        Eks = new AwsServiceOptions { ServiceUrl = moto.BaseAddress },
        Iam = new AwsServiceOptions { ServiceUrl = moto.BaseAddress },
        Ec2 = new AwsServiceOptions { ServiceUrl = moto.BaseAddress },
    }).BuildServiceProvider();

    // moto seeds a default VPC with one default subnet per zone.
    private async Task<IReadOnlyList<string>> DefaultSubnetsAsync()
    {
        using var services = Services();
        var found = await services.GetRequiredService<IEc2Api>().DescribeSubnetsAsync(new Ec2SubnetQuery());
        return [.. found.GroupBy(s => s.AvailabilityZone).Select(g => g.First().SubnetId).Take(2)];
    }
}
