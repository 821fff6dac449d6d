using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Admission;
using EksOperator.Simulators.Kubernetes.Api;
using EksOperator.Simulators.Kubernetes.Json;
using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EksOperator.Simulators.Kubernetes;

/// <summary>An in-process Kubernetes API server (HTTP on 127.0.0.1) for custom resources and the core kinds the operator uses.</summary>
public sealed class KubernetesSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ApiServer _api;
    private readonly ObjectStore _store;
    private readonly ITimer _bookmarks;

    private KubernetesSimulator(WebApplication app, ApiServer api, ObjectStore store, KubernetesFaults faults, Uri baseAddress, ITimer bookmarks)
    {
        _app = app;
        _api = api;
        _store = store;
        Faults = faults;
        BaseAddress = baseAddress;
        _bookmarks = bookmarks;
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public Uri BaseAddress { get; }

    public KubernetesFaults Faults { get; }

    /// <summary>Distinct (verb, group, resource, subresource) requests served so far.</summary>
    public IReadOnlyCollection<ApiAccess> Accesses => _api.Accesses;

    /// <summary>Accesses by one client, told apart by the first product of its User-Agent (e.g. "kubectl", "eks-operator").</summary>
    public IReadOnlyCollection<ApiAccess> AccessesBy(string client) => _api.AccessesBy(client);

    public static async Task<KubernetesSimulator> StartAsync(KubernetesSimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new ObjectStore(Math.Max(1, options.WatchHistorySize));
        var registry = new ResourceRegistry(SchemaFactory.Create);
        var faults = new KubernetesFaults(store);
        var api = new ApiServer(options, registry, store, faults);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // An embedded server must not take over the process's Ctrl+C/SIGTERM handling (the default console lifetime does).
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        api.Collector.Start(api.Deletions.CollectGarbage);
        // Periodic bookmarks for watchers that asked for them, as the apiserver's cacher sends them.
        var bookmarks = options.TimeProvider.CreateTimer(_ => store.BookmarkAll(), null, options.BookmarkInterval, options.BookmarkInterval);
        var simulator = new KubernetesSimulator(app, api, store, faults, new Uri($"http://127.0.0.1:{port}"), bookmarks);
        try
        {
            foreach (var file in options.CrdFiles)
            {
                await simulator.ApplyCrdFileAsync(file, ct);
            }
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }

        return simulator;
    }

    /// <summary>Applies each CRD document of a YAML file through <c>apiextensions.k8s.io/v1</c>, as a user would.</summary>
    private async Task ApplyCrdFileAsync(string path, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        foreach (var document in YamlJson.ParseAll(await File.ReadAllTextAsync(path, ct)).OfType<JsonObject>())
        {
            var name = document["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: a CRD without metadata.name");
            using var content = new StringContent(document.ToJsonString(), System.Text.Encoding.UTF8, "application/apply-patch+yaml");
            using var response = await client.PatchAsync(
                new Uri($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}?fieldManager=kubernetes-simulator&force=true&fieldValidation=Strict", UriKind.Relative), content, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidDataException($"{path}: CRD {name} was refused: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }
    }

    /// <summary>Writes a kubeconfig (plain HTTP; a placeholder token because the C# client insists on some credential,
    /// which the simulator ignores) pointing at this server and returns its path.</summary>
    public string WriteKubeconfig(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: simulator
              cluster:
                server: {BaseAddress.ToString().TrimEnd('/')}
            users:
            - name: simulator
              user:
                token: simulator-ignores-credentials
            contexts:
            - name: simulator
              context:
                cluster: simulator
                user: simulator
                namespace: default
            current-context: simulator
            preferences: {"{}"}

            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _bookmarks.DisposeAsync();
        _store.DropAllWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _api.Collector.DisposeAsync();
    }
}

/// <summary>A host lifetime that leaves process signals to the embedding application.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
