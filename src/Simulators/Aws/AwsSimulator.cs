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
    private readonly World _world;

    private AwsSimulator(WebApplication app, World world, AwsFaults faults, AwsCallLog calls, Uri baseAddress)
    {
        _app = app;
        _world = world;
        Faults = faults;
        Calls = calls;
        BaseAddress = baseAddress;
    }

    /// <summary>The one endpoint for EKS, IAM and EC2 (pass it as --endpoint-url / ServiceURL).</summary>
    public Uri BaseAddress { get; }

    public AwsFaults Faults { get; }

    public AwsCallLog Calls { get; }

    public AwsSimulatorOptions Options => _world.Options;

    /// <summary>The seeded default VPC, its subnets (public and private per zone) and default security group.</summary>
    public AwsDefaultNetwork DefaultNetwork => _world.DefaultNetwork;

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

        var world = new World(options);
        var faults = new AwsFaults(options.TimeProvider);
        var calls = new AwsCallLog();
        var pipeline = new Pipeline(world, faults, calls, new ControlApi(world, faults, calls));

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
        return new AwsSimulator(app, world, faults, calls, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }

    /// <summary>Creates resources directly (roles usable at once, VPCs, subnets, security groups, ACTIVE clusters).</summary>
    public AwsSeedResult Seed(AwsSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return Seeder.Seed(_world, seed);
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
