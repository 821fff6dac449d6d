using Amazon.Runtime;
using EksOperator.Aws.Ec2;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Tests.Support;
using EksOperator.Aws.Tokens;
using EksOperator.Aws.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    private static ServiceProvider FromConfiguration(params (string Key, string Value)[] settings) =>
        new ServiceCollection()
            .AddEksOperatorAws(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(), "eu-west-1")
            .BuildServiceProvider();

    [Fact]
    public void Options_from_configuration_build_the_static_credentials_in_this_room()
    {
        using var provider = FromConfiguration(("AccessKeyId", "AKIDEXAMPLE"), ("SecretAccessKey", "secret"), ("EndpointUrl", "http://127.0.0.1:9/"), ("Eks:ServiceUrl", "http://127.0.0.1:8/"));
        var options = provider.GetRequiredService<AwsOptions>();
        Assert.Same(options, provider.GetRequiredService<IOptions<AwsOptions>>().Value);
        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal(new Uri("http://127.0.0.1:8/"), options.Eks.ServiceUrl);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), options.Iam.ServiceUrl);
        var credentials = Assert.IsType<BasicAWSCredentials>(provider.GetRequiredService<AwsCredentialSource>().Credentials);
        Assert.Equal("AKIDEXAMPLE", credentials.GetCredentials().AccessKey);
    }

    [Fact]
    public void Bad_options_from_configuration_fail_naming_the_option()
    {
        using var provider = FromConfiguration(("AccessKeyId", "AKIDEXAMPLE"));
        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AwsOptions>>().Value);
        Assert.Contains("Aws:SecretAccessKey", failure.Message, StringComparison.Ordinal);
    }
}
