using System.Net.Sockets;
using EksOperator.Simulators.Kubernetes.Admission;
using k8s;
using k8s.Models;
using Testcontainers.K3s;

namespace EksOperator.Integration.Tests;

/// <summary>
/// A real K3s API server through Testcontainers, where a Docker engine is reachable (a laptop, a hosted CI); the same
/// scenario as against the simulator. Skipped, with the reason, where no engine runs (the build machines have none).
/// </summary>
public sealed class K3sTests(K3sCluster k3s) : IClassFixture<K3sCluster>
{
    [DockerFact]
    public async Task Full_stack_converges_and_deletes_on_a_real_k3s_api_server()
    {
        await using var env = await OperatorEnvironment.StartOnAsync(k3s.Kubeconfig);
        await FullStackTests.RunAsync(env);
    }
}

/// <summary>A K3s container with the CRDs applied as a user would; nothing when Docker is unreachable.</summary>
public sealed class K3sCluster : IAsyncLifetime
{
    private K3sContainer? _container;

    public string Kubeconfig { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (DockerFactAttribute.Unavailable is not null) return;
        _container = new K3sBuilder("rancher/k3s:v1.33.4-k3s1").Build();
        await _container.StartAsync();
        Kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("eksop-k3s-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(Kubeconfig, await _container.GetKubeconfigAsync());
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EksOperator.sln"))) root = Path.GetDirectoryName(root)!;
        var names = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "config", "crd"), "*.yaml"))
        {
            var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(YamlJson.ParseObject(await File.ReadAllTextAsync(file)).ToJsonString());
            names.Add((await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd)).Metadata.Name);
        }

        // CRDs become Established asynchronously; until then their resources answer 404.
        foreach (var name in names)
        {
            await OperatorEnvironment.EventuallyAsync(
                () => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name),
                crd => crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
                $"CRD {name} Established");
        }
    }

    public async Task DisposeAsync()
    {
        if (_container is not null) await _container.DisposeAsync();
    }
}

/// <summary>A test that needs a Docker engine: skipped with the reason when none answers (in CI too: Docker is optional).</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public static readonly string? Unavailable = Probe();

    public DockerFactAttribute()
    {
        if (Unavailable is not null) Skip = Unavailable;
    }

    private static string? Probe()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (host is { Length: > 0 } && !host.StartsWith("unix://", StringComparison.Ordinal)) return null; // a TCP engine: let Testcontainers try
        var socket = host is { Length: > 0 } ? host["unix://".Length..] : "/var/run/docker.sock";
        if (!File.Exists(socket)) return $"no Docker engine: {socket} does not exist (the K3s scenarios need one)";
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return null;
        }
        catch (SocketException e)
        {
            return $"no Docker engine answers on {socket}: {e.Message}";
        }
    }
}
