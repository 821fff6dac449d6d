namespace EksOperator.Aws.Tests.Conformance;

/// <summary>Our clients against moto, an AWS implementation nobody here wrote (no lifecycles, no update calls).</summary>
[Trait("Category", "Conformance")]
public sealed class MotoConformanceTests(MotoServer moto) : IClassFixture<MotoServer>, IDisposable
{
    private readonly AwsBackend _backend = new("moto", moto.BaseAddress, "testing", "testing", hasLifecycles: false, TimeSpan.Zero, AwsBackend.CreateTaggedNetworkAsync);

    [MotoFact]
    public Task Iam_role_lifecycle() => ConformanceScenario.IamRoleLifecycleAsync(_backend);

    [MotoFact]
    public Task Iam_oidc_provider_lifecycle() => OidcProviderScenario.LifecycleAsync(_backend, "123456789012");

    [MotoFact]
    public Task Ec2_discovery() => ConformanceScenario.Ec2DiscoveryAsync(_backend);

    [MotoFact]
    public Task Eks_cluster_nodegroup_fargate_lifecycle() => ConformanceScenario.EksLifecycleAsync(_backend);

    // No EksClusterVersionsAsync here: moto 5 does not serve DescribeClusterVersions (GET /cluster-versions is an
    // HTML 404), so that scenario runs against the simulator only.

    public void Dispose() => _backend.Dispose();
}
