using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;

namespace EksOperator.Aws.Transport;

/// <summary>
/// The minimum AWSSDK.Core needs to sign a hand-built request for a service it has no generated client for:
/// signing name, region and the endpoint (fixed; no endpoint rules run).
/// </summary>
internal sealed class AwsSigningConfig : ClientConfig
{
    private static readonly IDefaultConfiguration StandardDefaults = new DefaultConfiguration
    {
        Name = DefaultConfigurationMode.Standard,
        RetryMode = RequestRetryMode.Standard,
    };

    private readonly string _serviceName;
    private readonly string _serviceVersion;

    public AwsSigningConfig(string serviceName, string serviceVersion, string signingRegion, Uri endpoint)
        : base(new DefaultConfigurationProvider([StandardDefaults]))
    {
        _serviceName = serviceName;
        _serviceVersion = serviceVersion;
        AuthenticationServiceName = serviceName;
        AuthenticationRegion = signingRegion;
        ServiceURL = endpoint.ToString();
    }

    public override string RegionEndpointServiceName => _serviceName;

    public override string ServiceVersion => _serviceVersion;

    public override string UserAgent => "eks-operator";

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) => new(ServiceURL);
}
