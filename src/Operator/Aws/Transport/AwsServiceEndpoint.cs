namespace EksOperator.Aws.Transport;

/// <summary>Where one service is reached and how its requests are signed.</summary>
internal sealed record AwsServiceEndpoint(string Service, string ServiceVersion, string SigningRegion, Uri Endpoint)
{
    public static AwsServiceEndpoint Eks(AwsOptions options) => new(
        "eks",
        "2017-11-01",
        options.Eks.SigningRegion ?? options.Region,
        options.Eks.ServiceUrl ?? new Uri($"https://eks.{options.Region}.{DnsSuffix(options.Region)}"));

    public static AwsServiceEndpoint Iam(AwsOptions options)
    {
        var china = options.Region.StartsWith("cn-", StringComparison.Ordinal);
        return new(
            "iam",
            "2010-05-08",
            options.Iam.SigningRegion ?? (china ? "cn-north-1" : "us-east-1"),
            options.Iam.ServiceUrl ?? new Uri(china ? "https://iam.cn-north-1.amazonaws.com.cn" : "https://iam.amazonaws.com"));
    }

    public static AwsServiceEndpoint Sts(AwsOptions options) => new(
        "sts",
        "2011-06-15",
        options.Sts.SigningRegion ?? options.Region,
        options.Sts.ServiceUrl ?? new Uri($"https://sts.{options.Region}.{DnsSuffix(options.Region)}"));

    private static string DnsSuffix(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
}
