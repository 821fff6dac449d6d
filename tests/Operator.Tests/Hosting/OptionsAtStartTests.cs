using EksOperator.Aws;
using EksOperator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EksOperator.Operator.Tests.Hosting;

/// <summary>The operator's and the Aws room's options are validated when the host starts, each failure naming its option.</summary>
public sealed class OptionsAtStartTests
{
    // No Kubernetes or AWS is reached: validation runs before any hosted service starts.
    private static readonly string[] Base = ["--Listen=http://127.0.0.1:0", "--Runtime:LeaderElection:Enabled=false"];

    private static async Task<string> StartFailureAsync(params string[] args)
    {
        await using var app = OperatorHost.Build([.. Base, .. args]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failure = await Record.ExceptionAsync(() => app.StartAsync(timeout.Token));
        Assert.NotNull(failure);
        var validation = failure is AggregateException all ? all.InnerExceptions : [failure];
        Assert.All(validation, e => Assert.IsType<OptionsValidationException>(e));
        return string.Join(" | ", validation.Select(e => e.Message));
    }

    [Fact]
    public void Defaults_are_valid()
    {
        using var app = OperatorHost.Build(Base);
        var options = app.Services.GetRequiredService<IOptions<OperatorOptions>>().Value;
        var aws = app.Services.GetRequiredService<IOptions<AwsOptions>>().Value;
        Assert.Equal(options.Region, aws.Region);
        Assert.Null(aws.AccessKeyId);
    }

    [Theory]
    [InlineData("--Operator:MinPollInterval=-00:00:05", "Operator:MinPollInterval")]
    [InlineData("--Operator:MinPollInterval=00:10:00", "Operator:MaxPollInterval")]
    [InlineData("--Operator:ResyncPeriod=00:00:00", "Operator:ResyncPeriod")]
    [InlineData("--Operator:ClusterNotFoundGracePeriod=-00:00:01", "Operator:ClusterNotFoundGracePeriod")]
    [InlineData("--Operator:ExpectedDurations:ClusterCreate=-00:01:00", "ExpectedDurations.ClusterCreate")]
    [InlineData("--Operator:ExpectedDurations:NodegroupDelete=30.00:00:00", "ExpectedDurations.NodegroupDelete")]
    [InlineData("--Operator:ExpectedDurations:Scale=-1", "ExpectedDurations.Scale")]
    [InlineData("--Operator:OverdueFraction=2", "OverdueFraction")]
    [InlineData("--Aws:AccessKeyId=AKIDEXAMPLE", "Aws:SecretAccessKey")]
    [InlineData("--Operator:Shard=default", "Operator:Shard must not be \"default\"")]
    [InlineData("--Operator:Shard=-a", "Shard")]
    [InlineData("--Operator:Shard=a/b", "Shard")]
    public async Task A_bad_value_fails_the_start_naming_the_option(string arg, string named)
    {
        var message = await StartFailureAsync(arg);
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_splits_the_operator_kinds_by_its_label_and_elects_on_its_own_Lease()
    {
        using var app = OperatorHost.Build([.. Base, "--Operator:Shard=team-a"]);
        var runtime = app.Services.GetRequiredService<IOptions<Runtime.ControllerRuntimeOptions>>().Value;
        Assert.Equal("team-a", runtime.Sharding.Current);
        Assert.Equal(Entities.Labels.Shard, runtime.Sharding.LabelKey);
        Assert.Equal([Entities.OperatorApi.Group], runtime.Sharding.Groups);
        Assert.Equal("team-a", app.Services.GetRequiredService<IOptions<OperatorOptions>>().Value.Shard);

        using var unsharded = OperatorHost.Build(Base);
        Assert.Equal(Runtime.ShardingOptions.DefaultShard, unsharded.Services.GetRequiredService<IOptions<Runtime.ControllerRuntimeOptions>>().Value.Sharding.Current);
    }

    [Fact]
    public async Task A_missing_region_fails_the_start_for_the_operator_and_for_aws()
    {
        var message = await StartFailureAsync("--Operator:Region=");
        Assert.Contains("Region", message, StringComparison.Ordinal);
        Assert.Contains("Aws: Region is required", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_static_key_from_configuration_reaches_the_aws_options_not_the_host()
    {
        using var app = OperatorHost.Build([.. Base, "--Aws:AccessKeyId=AKIDEXAMPLE", "--Aws:SecretAccessKey=secret", "--Aws:EndpointUrl=http://127.0.0.1:9/"]);
        var aws = app.Services.GetRequiredService<IOptions<AwsOptions>>().Value;
        Assert.Equal("AKIDEXAMPLE", aws.AccessKeyId);
        Assert.Null(aws.Credentials);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), aws.Eks.ServiceUrl);
        Assert.Equal(new Uri("http://127.0.0.1:9/"), aws.Sts.ServiceUrl);
    }
}
