using Microsoft.Extensions.Configuration;

namespace EksOperator.Aws;

/// <summary>
/// Reads <see cref="AwsOptions"/> from the configuration section <c>Aws</c>: <c>EndpointUrl</c> (one endpoint for every
/// service) or per service <c>Eks:ServiceUrl</c> etc., their rate limits, <c>AccountId</c>, and a static key
/// (<c>AccessKeyId</c>/<c>SecretAccessKey</c>, simulators only).
/// </summary>
internal static class AwsConfiguration
{
    public static AwsOptions Read(IConfiguration aws, string region)
    {
        var shared = aws["EndpointUrl"] is { Length: > 0 } url ? new Uri(url) : null;
        AwsServiceOptions Service(string name, AwsServiceOptions defaults) => defaults with
        {
            ServiceUrl = aws[$"{name}:ServiceUrl"] is { Length: > 0 } own ? new Uri(own) : shared ?? defaults.ServiceUrl,
            RequestsPerSecond = aws.GetValue($"{name}:RequestsPerSecond", defaults.RequestsPerSecond),
            Burst = aws.GetValue($"{name}:Burst", defaults.Burst),
            WriteShare = aws.GetValue($"{name}:WriteShare", defaults.WriteShare),
            WriteBurst = aws.GetValue($"{name}:WriteBurst", defaults.WriteBurst),
        };

        var defaults = new AwsOptions();
        return defaults with
        {
            Region = region,
            AccountId = aws["AccountId"],
            AccessKeyId = aws["AccessKeyId"] is { Length: > 0 } key ? key : null,
            SecretAccessKey = aws["SecretAccessKey"],
            RequireIdentity = aws.GetValue("RequireIdentity", false),
            OidcThumbprint = aws["OidcThumbprint"] is { Length: > 0 } thumbprint ? thumbprint : null,
            Eks = Service("Eks", defaults.Eks),
            Iam = Service("Iam", defaults.Iam) with { SigningRegion = aws["Iam:SigningRegion"] },
            Ec2 = Service("Ec2", defaults.Ec2),
            Sts = Service("Sts", defaults.Sts),
        };
    }
}
