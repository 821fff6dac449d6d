using Amazon.Runtime;

namespace EksOperator.Aws.Transport;

/// <summary>How the real AWS SDK clients (EC2, STS) are configured: standard retries, our timeout, the endpoint override with its signing region, else the regional endpoint.</summary>
internal static class SdkClientConfigs
{
    public static TConfig For<TConfig>(AwsOptions options, AwsServiceOptions service)
        where TConfig : ClientConfig, new()
    {
        var config = new TConfig
        {
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = Math.Max(0, options.MaxAttempts - 1),
            Timeout = options.RequestTimeout,
        };
        if (service.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = service.SigningRegion ?? options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return config;
    }
}
