using System.Net;
using EksOperator.Simulators.Aws.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EksOperator.Simulators.Aws;

/// <summary>
/// An AWS simulator on 127.0.0.1: EKS (restJson1), IAM (query/XML) and EC2 (query/XML) on one endpoint,
/// told apart by the SigV4 credential scope's service. Test controls live under /_sim/.
/// </summary>
public sealed class AwsSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Tenancy _tenancy;

    private AwsSimulator(WebApplication app, Tenancy tenancy, AwsFaults faults, AwsCallLog calls, Uri baseAddress)
    {
        _app = app;
        _tenancy = tenancy;
        Faults = faults;
        Calls = calls;
        BaseAddress = baseAddress;
    }

    /// <summary>The one endpoint for EKS, IAM, EC2 and STS (pass it as --endpoint-url / ServiceURL).</summary>
    public Uri BaseAddress { get; }

    public AwsFaults Faults { get; }

    public AwsCallLog Calls { get; }

    public AwsSimulatorOptions Options => _tenancy.Options;

    /// <summary>The accounts (<see cref="AwsSimulatorOptions.Accounts"/>), the first being <see cref="AwsSimulatorOptions.AccountId"/>.</summary>
    public IReadOnlyList<AwsAccount> Accounts => _tenancy.Accounts;

    /// <summary>The secret key and session token of every STS session issued so far (for tests that look for leaks).</summary>
    public IReadOnlyList<string> SessionSecrets() => _tenancy.SessionSecrets;

    /// <summary>The served regions, <see cref="AwsSimulatorOptions.Region"/> first.</summary>
    public IReadOnlyList<string> Regions => _tenancy.Regions;

    /// <summary>The first account's seeded default VPC (first region), its subnets (public and private per zone) and default security group.</summary>
    public AwsDefaultNetwork DefaultNetwork => _tenancy.Primary.World.DefaultNetwork;

    /// <summary>An account's default VPC in a region (default: the first region).</summary>
    public AwsDefaultNetwork DefaultNetworkOf(string accountId, string? region = null) => _tenancy.Select(accountId, region).World.DefaultNetwork;

    public static async Task<AwsSimulator> StartAsync(AwsSimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TimeScale < 0 || double.IsNaN(options.TimeScale))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "TimeScale must be zero or positive.");
        }

        if (!options.SupportedVersions.Contains(options.DefaultVersion))
        {
            throw new ArgumentException($"DefaultVersion {options.DefaultVersion} is not among SupportedVersions.", nameof(options));
        }

        var tenancy = new Tenancy(options);
        var faults = new AwsFaults(options.TimeProvider);
        var calls = new AwsCallLog();
        var pipeline = new Pipeline(tenancy, faults, calls, new ControlApi(tenancy, faults, calls));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(AwsSimulator).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        // An embedded server must not take over the process's Ctrl+C/SIGTERM handling (the default console lifetime
        // cancels those signals and only stops this host, so the embedding process would keep running).
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();

        // A request held by injected latency on a fake clock must not hold up disposal for long.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        return new AwsSimulator(app, tenancy, faults, calls, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    /// <summary>
    /// A further access key of an account's IAM user (default the first account), as IAM CreateAccessKey makes one: it
    /// acts as the account, and <see cref="AwsCall.AccessKeyId"/> tells its calls apart (two operators, one account).
    /// </summary>
    public AwsAccount AddAccessKey(string? accountId = null) => _tenancy.AddAccessKey(accountId ?? Options.AccountId);

    /// <summary>Creates resources directly in the first account and region (roles usable at once, VPCs, subnets, security groups, ACTIVE clusters).</summary>
    public AwsSeedResult Seed(AwsSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return Seeder.Seed(_tenancy.Primary.World, seed);
    }

    /// <summary>Creates resources directly in one account (roles are global; the rest goes to <paramref name="region"/>, default the first).</summary>
    public AwsSeedResult Seed(string accountId, AwsSeed seed, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return Seeder.Seed(_tenancy.Select(accountId, region).World, seed);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A host lifetime that leaves process signals to the embedding application.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
