using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EksOperator.Runtime.Tests.Hosting;

public sealed class OptionsTests
{
    private static IReadOnlyList<string> Failures(Action<ControllerRuntimeOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddControllerRuntime(configure);
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<ControllerRuntimeOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }

    [Fact]
    public void Defaults_are_valid() => Assert.Empty(Failures(_ => { }));

    [Theory]
    [InlineData("workers")]
    [InlineData("lease-order")]
    [InlineData("lease-seconds")]
    [InlineData("rates")]
    [InlineData("burst")]
    [InlineData("namespace")]
    public void Invalid_settings_fail_at_start(string what)
    {
        var failures = Failures(o =>
        {
            switch (what)
            {
                case "workers": o.Workers = 0; break;
                case "lease-order": o.LeaderElection.RenewDeadline = TimeSpan.FromSeconds(20); break;
                case "lease-seconds": o.LeaderElection.LeaseDuration = TimeSpan.FromMilliseconds(15500); break;
                case "rates": o.RateLimits.MaxDelay = TimeSpan.FromMilliseconds(1); break;
                case "burst": o.RateLimits.Burst = 0; break;
                case "namespace": o.Namespaces.Add(" "); break;
            }
        });

        Assert.NotEmpty(failures);
    }
}

public sealed class OptionsBindingTests
{
    [Fact]
    public void Options_bind_from_configuration_and_stretch_the_host_shutdown()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Runtime:Namespaces:0"] = "team-a",
                ["Runtime:Namespaces:1"] = "team-b",
                ["Runtime:LabelSelector"] = "shard=1",
                ["Runtime:Workers"] = "4",
                ["Runtime:ResyncPeriod"] = "00:05:00",
                ["Runtime:ShutdownTimeout"] = "00:01:00",
                ["Runtime:RateLimits:QueriesPerSecond"] = "20",
                ["Runtime:LeaderElection:LeaseName"] = "eks-operator",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddControllerRuntime(configuration.GetSection("Runtime"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ControllerRuntimeOptions>>().Value;
        Assert.Equal(["team-a", "team-b"], options.Namespaces);
        Assert.Equal("shard=1", options.LabelSelector);
        Assert.Equal(4, options.Workers);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ResyncPeriod);
        Assert.Equal(20, options.RateLimits.QueriesPerSecond);
        Assert.Equal("eks-operator", options.LeaderElection.LeaseName);
        Assert.True(provider.GetRequiredService<IOptions<Microsoft.Extensions.Hosting.HostOptions>>().Value.ShutdownTimeout >= TimeSpan.FromSeconds(75));
    }
}
