using EksOperator.Aws.Ec2;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Tests.Support;
using EksOperator.Aws.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace EksOperator.Aws.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddEksOperatorAws_registers_the_narrow_interfaces_as_singletons()
    {
        using var provider = new ServiceCollection().AddEksOperatorAws(TestClients.Options(new Uri("http://127.0.0.1:9/"))).BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IEksApi>(), provider.GetRequiredService<IEksApi>());
        Assert.NotNull(provider.GetRequiredService<IIamApi>());
        Assert.NotNull(provider.GetRequiredService<IEc2Api>());
        Assert.NotNull(provider.GetRequiredService<IEksTokenGenerator>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddEksOperatorAws(TestClients.Options() with { MaxAttempts = 0 }));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddEksOperatorAws(TestClients.Options() with { Region = " " }));
    }
}
