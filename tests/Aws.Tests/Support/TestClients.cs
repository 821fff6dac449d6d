using Amazon.Runtime;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EksOperator.Aws.Tests.Support;

/// <summary>Our clients wired to a stub handler, with the SigV4 test-suite credentials.</summary>
internal static class TestClients
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    public static AwsOptions Options(Uri? endpoint = null) => new()
    {
        Region = "us-west-2",
        Credentials = new BasicAWSCredentials(AccessKey, SecretKey),
        Eks = new AwsServiceOptions { ServiceUrl = endpoint ?? new Uri("https://eks.us-west-2.amazonaws.com"), RequestsPerSecond = 0 },
        Iam = new AwsServiceOptions { ServiceUrl = endpoint ?? new Uri("https://iam.amazonaws.com"), RequestsPerSecond = 0 },
        Ec2 = new AwsServiceOptions { ServiceUrl = endpoint, RequestsPerSecond = 0 },
        Sts = new AwsServiceOptions { ServiceUrl = endpoint },
    };

    public static AwsTransport Transport(
        HttpMessageHandler handler,
        AwsServiceEndpoint endpoint,
        AwsErrorReader reader,
        AwsOptions? options = null,
        TimeProvider? time = null,
        Func<double>? random = null)
    {
        options ??= Options();
        time ??= TimeProvider.System;
        return new AwsTransport(
            new HttpClient(handler),
            endpoint,
            endpoint.Service == "iam" ? options.Iam : options.Eks,
            options,
            new AwsCredentialSource(options),
            new AwsRateLimiters(time),
            time,
            NullLogger.Instance,
            reader,
            random ?? (() => 0));
    }

    public static IEksApi Eks(HttpMessageHandler handler, AwsOptions? options = null, TimeProvider? time = null, Func<double>? random = null)
    {
        options ??= Options();
        return new EksClient(Transport(handler, AwsServiceEndpoint.Eks(options), AwsErrorReaders.RestJson, options, time, random));
    }

    public static IEksInsightsApi Insights(HttpMessageHandler handler)
    {
        var options = Options();
        return new EksInsightsClient(Transport(handler, AwsServiceEndpoint.Eks(options), AwsErrorReaders.RestJson, options));
    }

    public static IIamApi Iam(HttpMessageHandler handler, AwsOptions? options = null)
    {
        options ??= Options();
        return new IamClient(Transport(handler, AwsServiceEndpoint.Iam(options), AwsErrorReaders.QueryXml, options));
    }
}
