using Microsoft.Extensions.Options;

namespace EksOperator.Aws;

/// <summary>Data-annotation rules of <see cref="AwsOptions"/> (source-generated, so no reflection at start).</summary>
[OptionsValidator]
internal sealed partial class AwsOptionsAnnotations : IValidateOptions<AwsOptions>;

/// <summary>Rules across fields and of durations, which data annotations do not express; each message names its option.</summary>
internal sealed class AwsOptionsValidator : IValidateOptions<AwsOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Region)) errors.Add("Aws: Region is required (configuration Operator:Region).");
        if (options.BaseBackoff <= TimeSpan.Zero) errors.Add($"Aws:BaseBackoff must be positive (is {options.BaseBackoff}).");
        if (options.MaxBackoff < options.BaseBackoff) errors.Add($"Aws:MaxBackoff ({options.MaxBackoff}) must be at least Aws:BaseBackoff ({options.BaseBackoff}).");
        if (options.RequestTimeout <= TimeSpan.Zero) errors.Add($"Aws:RequestTimeout must be positive (is {options.RequestTimeout}).");
        if (options.AccessKeyId is { Length: > 0 } && string.IsNullOrEmpty(options.SecretAccessKey))
        {
            errors.Add("Aws:SecretAccessKey is required with Aws:AccessKeyId.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// Makes <see cref="AwsOptions"/> (an immutable record) through the options pipeline: the instance comes from
/// <paramref name="create"/> (configuration or a test's value), then the validators run, at start with ValidateOnStart.
/// </summary>
internal sealed class AwsOptionsFactory(
    Func<AwsOptions> create,
    IEnumerable<IConfigureOptions<AwsOptions>> setups,
    IEnumerable<IPostConfigureOptions<AwsOptions>> postConfigures,
    IEnumerable<IValidateOptions<AwsOptions>> validations)
    : OptionsFactory<AwsOptions>(setups, postConfigures, validations)
{
    protected override AwsOptions CreateInstance(string name) => create();
}
