using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>One simulator with the project's CRDs and the test Widget CRD, shared by the tests of a collection.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kubesim-").FullName;
    private int _namespaces;

    public KubernetesSimulator Simulator { get; private set; } = null!;

    public string Kubeconfig { get; private set; } = "";

    public IKubernetes Client { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static IReadOnlyList<string> CrdFiles { get; } =
    [
        .. Directory.GetFiles(Path.Combine(RepoRoot, "config", "crd"), "*.yaml").Order(StringComparer.Ordinal),
        Path.Combine(AppContext.BaseDirectory, "TestData", "widgets.yaml"),
    ];

    public async Task InitializeAsync()
    {
        Simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { CrdFiles = CrdFiles });
        Kubeconfig = Simulator.WriteKubeconfig(Path.Combine(_directory, "kubeconfig"));
        Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        Http = new HttpClient { BaseAddress = Simulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        Client.Dispose();
        await Simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A fresh namespace so tests sharing the simulator do not see each other's objects.</summary>
    public async Task<string> NewNamespaceAsync(string prefix = "t")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref _namespaces)}";
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        return name;
    }

    public async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static JsonObject Widget(string ns, string name, string? tier = null, int? replicas = null)
    {
        var spec = new JsonObject();
        if (tier is not null)
        {
            spec["tier"] = tier;
        }

        if (replicas is not null)
        {
            spec["replicas"] = replicas;
        }

        return new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (EksOperator.sln) not found above the test binaries");
    }
}

[CollectionDefinition(Name)]
public sealed class SharedSimulator : ICollectionFixture<SimulatorFixture>
{
    public const string Name = "shared simulator";
}
