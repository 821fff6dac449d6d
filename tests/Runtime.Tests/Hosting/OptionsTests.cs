using Microsoft.Extensions.DependencyInjection;
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
