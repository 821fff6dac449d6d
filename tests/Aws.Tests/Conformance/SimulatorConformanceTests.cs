using EksOperator.Simulators.Aws;

namespace EksOperator.Aws.Tests.Conformance;

/// <summary>The AWS simulator on 127.0.0.1 with durations scaled down; it verifies our SigV4 signatures.</summary>
public sealed class AwsSimulatorFixture : IAsyncLifetime
{
    /// <summary>12-minute cluster creates take about a second.</summary>
    public const double TimeScale = 0.002;

    public AwsSimulator Simulator { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Simulator = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Port = 0, TimeScale = TimeScale });

    public async Task DisposeAsync() => await Simulator.DisposeAsync();
}

[Trait("Category", "Conformance")]
public sealed class SimulatorConformanceTests(AwsSimulatorFixture fixture) : IClassFixture<AwsSimulatorFixture>, IDisposable
{
    private readonly AwsBackend _backend = new(
        "simulator",
        fixture.Simulator.BaseAddress,
        fixture.Simulator.Options.AccessKeyId,
        fixture.Simulator.Options.SecretAccessKey,
        hasLifecycles: true,
        fixture.Simulator.Options.Durations.RolePropagation * AwsSimulatorFixture.TimeScale * 2,
        _ =>
        {
            var network = fixture.Simulator.DefaultNetwork;
            return Task.FromResult(new TestNetwork(network.VpcId, network.PrivateSubnetIds, network.PublicSubnetIds));
        });

    [Fact]
    public Task Iam_role_lifecycle() => ConformanceScenario.IamRoleLifecycleAsync(_backend);

    [Fact]
    public Task Iam_oidc_provider_lifecycle() => OidcProviderScenario.LifecycleAsync(_backend, fixture.Simulator.Options.AccountId);

    [Fact]
    public Task Ec2_discovery() => ConformanceScenario.Ec2DiscoveryAsync(_backend);

    [Fact]
    public Task Eks_cluster_nodegroup_fargate_lifecycle() => ConformanceScenario.EksLifecycleAsync(_backend);

    [Fact]
    public Task Eks_updates_and_their_errors() => ConformanceScenario.EksUpdatesAsync(_backend);

    // Simulator only: moto 5 has no DescribeClusterVersions (GET /cluster-versions answers an HTML 404).
    [Fact]
    public async Task Eks_cluster_versions()
    {
        var versions = await ConformanceScenario.EksClusterVersionsAsync(_backend);

        // What it lists is what its CreateCluster accepts, and its default is CreateCluster's.
        var options = fixture.Simulator.Options;
        Assert.Equal(options.SupportedVersions.Reverse(), versions.Select(v => v.Version));
        Assert.Equal(options.DefaultVersion, versions.Single(v => v.IsDefault).Version);
    }

    public void Dispose() => _backend.Dispose();
}
