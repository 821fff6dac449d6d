using Amazon.EC2;
using EksOperator.Aws.Ec2;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Tokens;
using EksOperator.Aws.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EksOperator.Aws;

public static class AwsServiceCollectionExtensions
{
    internal const string EksTransportKey = "Eks";

    /// <summary>
    /// Registers <see cref="IEksApi"/>, <see cref="IIamApi"/>, <see cref="IEc2Api"/> and <see cref="IEksTokenGenerator"/>
    /// for one region, with <paramref name="options"/> checked now.
    /// </summary>
    public static IServiceCollection AddEksOperatorAws(this IServiceCollection services, AwsOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Region);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        return AddCore(services, () => options);
    }

    /// <summary>
    /// As <see cref="AddEksOperatorAws(IServiceCollection, AwsOptions)"/>, with the options read from the configuration
    /// section <paramref name="aws"/> (see <see cref="AwsConfiguration"/>) and validated when the host starts.
    /// </summary>
    public static IServiceCollection AddEksOperatorAws(this IServiceCollection services, IConfiguration aws, string region)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(aws);
        return AddCore(services, () => AwsConfiguration.Read(aws, region));
    }

    private static IServiceCollection AddCore(IServiceCollection services, Func<AwsOptions> create)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        // Through the options pipeline, like the runtime's options: the validators run once, at start.
        services.AddOptions<AwsOptions>().ValidateOnStart();
        services.AddSingleton<IOptionsFactory<AwsOptions>>(sp => new AwsOptionsFactory(
            create,
            sp.GetServices<IConfigureOptions<AwsOptions>>(),
            sp.GetServices<IPostConfigureOptions<AwsOptions>>(),
            sp.GetServices<IValidateOptions<AwsOptions>>()));
        services.AddSingleton<IValidateOptions<AwsOptions>, AwsOptionsAnnotations>();
        services.AddSingleton<IValidateOptions<AwsOptions>, AwsOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AwsOptions>>().Value);
        services.AddSingleton(sp => new AwsCredentialSource(sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AwsRateLimiters(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IAwsSessions>(sp => new AwsSessions(sp.GetRequiredService<AwsCredentialSource>()));
        services.AddSingleton<AwsHttp>();
        // One EKS transport for every EKS client, so that they share one retry quota as one SDK client would.
        services.AddKeyedSingleton(EksTransportKey, (sp, _) => CreateTransport(sp, region => AwsServiceEndpoint.Eks(sp.GetRequiredService<AwsOptions>() with { Region = region }), sp.GetRequiredService<AwsOptions>().Eks, AwsErrorReaders.RestJson, "Eks"));
        services.AddSingleton<IEksApi>(sp => new EksClient(sp.GetRequiredKeyedService<AwsTransport>(EksTransportKey)));
        services.AddSingleton<IIamApi>(sp => new IamClient(CreateTransport(sp, _ => AwsServiceEndpoint.Iam(sp.GetRequiredService<AwsOptions>()), sp.GetRequiredService<AwsOptions>().Iam, AwsErrorReaders.QueryXml, "Iam")));
        services.AddSingleton<IAmazonEC2>(sp => Ec2Adapter.CreateClient(sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<AwsCredentialSource>()));
        services.AddSingleton<IEc2Api>(sp => new Ec2Adapter(
            sp.GetRequiredService<IAmazonEC2>(),
            sp.GetRequiredService<AwsOptions>(),
            sp.GetRequiredService<AwsRateLimiters>(),
            sp.GetRequiredService<AwsCredentialSource>()));
        services.AddSingleton<IEksTokenGenerator>(sp => new EksTokenGenerator(sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<AwsCredentialSource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Resources.EksUpdates(sp.GetRequiredService<IEksApi>()));
        services.AddSingleton<Resources.IEksUpdates>(sp => sp.GetRequiredService<Resources.EksUpdates>());
        services.AddSingleton<Resources.IEksTags>(sp => sp.GetRequiredService<Resources.EksUpdates>());
        services.AddSingleton<Resources.IEksClusters>(sp => new Resources.EksClusters(sp.GetRequiredService<IEksApi>(), sp.GetRequiredService<IEc2Api>()));
        services.AddSingleton<Resources.IEksNodegroups>(sp => new Resources.EksNodegroups(sp.GetRequiredService<IEksApi>()));
        services.AddSingleton<Resources.IEksFargateProfiles>(sp => new Resources.EksFargateProfiles(sp.GetRequiredService<IEksApi>()));
        services.AddSingleton<IEksAccessApi>(sp => new EksAccessClient(sp.GetRequiredKeyedService<AwsTransport>(EksTransportKey)));
        services.AddSingleton<IEksPodIdentityApi>(sp => new EksPodIdentityClient(sp.GetRequiredKeyedService<AwsTransport>(EksTransportKey)));
        services.AddSingleton<IEksAddonApi>(sp => new EksAddonClient(sp.GetRequiredKeyedService<AwsTransport>(EksTransportKey)));
        services.AddSingleton<Resources.IEksAddons>(sp => new Resources.EksAddons(sp.GetRequiredService<IEksAddonApi>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Resources.IEksAccessEntries>(sp => new Resources.EksAccessEntries(sp.GetRequiredService<IEksAccessApi>()));
        services.AddSingleton<Resources.IEksPodIdentityAssociations>(sp => new Resources.EksPodIdentityAssociations(sp.GetRequiredService<IEksPodIdentityApi>()));
        services.AddSingleton<IEksInsightsApi>(sp => new EksInsightsClient(sp.GetRequiredKeyedService<AwsTransport>(EksTransportKey)));
        services.AddSingleton<Resources.IEksUpgradeReadiness>(sp => new Resources.EksUpgradeReadiness(sp.GetRequiredService<IEksInsightsApi>()));
        services.AddSingleton<IEksCapabilityApi>(sp => new EksCapabilityClient(sp.GetRequiredKeyedService<AwsTransport>(EksTransportKey)));
        services.AddSingleton<Resources.IEksCapabilities>(sp => new Resources.EksCapabilities(sp.GetRequiredService<IEksCapabilityApi>()));
        services.TryAddSingleton(Roles.WorkloadRolePolicy.Default);
        services.AddSingleton<Versions.IKubernetesVersions>(sp => new Versions.KubernetesVersions(sp.GetRequiredService<IEksApi>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Roles.IRoleManager>(sp => new Roles.RoleManager(sp.GetRequiredService<IIamApi>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IIssuerThumbprints>(sp => new TlsIssuerThumbprints(sp.GetRequiredService<AwsOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Roles.IOidcProviders>(sp => new Roles.OidcProviders(sp.GetRequiredService<IIamApi>(), sp.GetRequiredService<IIssuerThumbprints>()));
        return services;
    }

    /// <param name="endpointFor">The service's endpoint for a region (a pass's <see cref="AwsTarget"/> may name another than the operator's).</param>
    private static AwsTransport CreateTransport(IServiceProvider services, Func<string, AwsServiceEndpoint> endpointFor, AwsServiceOptions limits, AwsErrorReader readError, string category) =>
        new(
            services.GetRequiredService<AwsHttp>().Client,
            endpointFor(services.GetRequiredService<AwsOptions>().Region),
            limits,
            services.GetRequiredService<AwsOptions>(),
            services.GetRequiredService<AwsCredentialSource>(),
            services.GetRequiredService<AwsRateLimiters>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("EksOperator.Aws." + category),
            readError,
            endpointForRegion: endpointFor);
}

/// <summary>The HttpClient our own EKS and IAM clients share (pooled connections, DNS refreshed every few minutes).</summary>
internal sealed class AwsHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        // Each attempt has its own timeout (AwsOptions.RequestTimeout) on the TimeProvider.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Dispose() => Client.Dispose();
}
