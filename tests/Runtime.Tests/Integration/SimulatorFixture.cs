using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using EksOperator.Simulators.Kubernetes;
using k8s;
using k8s.Models;

namespace EksOperator.Runtime.Tests.Integration;

/// <summary>One Kubernetes API simulator (real HTTP on 127.0.0.1) with the test Widget CRD, shared by a test class.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private int _namespaces;

    public KubernetesSimulator Simulator { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    internal KubernetesApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions
        {
            CrdFiles = [Path.Combine(AppContext.BaseDirectory, "Integration", "TestData", "widgets.crd.yaml")],
            BookmarkInterval = TimeSpan.FromSeconds(1),
        });
        Client = NewClient();
        Api = KubernetesApi.From(Client);
    }

    public Kubernetes NewClient(params DelegatingHandler[] handlers)
        => new(new KubernetesClientConfiguration { Host = Simulator.BaseAddress.ToString() }, handlers);

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"rt-{Interlocked.Increment(ref _namespaces)}";
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    internal Task<TestWidget> CreateWidgetAsync(string ns, string name, int size, string? cluster = null)
        => Api.CreateAsync(
            ResourceType.For<TestWidget>().CollectionPath(ns),
            new TestWidget { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = new WidgetSpec { Size = size, Cluster = cluster } },
            CancellationToken.None);

    internal Task<TestWidget> GetWidgetAsync(string ns, string name)
        => Api.GetAsync<TestWidget>(ResourceType.For<TestWidget>().ObjectPath(new ObjectKey(ns, name)), CancellationToken.None);

    internal Task<TestWidget> SetSizeAsync(string ns, string name, int size)
        => Api.MergePatchAsync<TestWidget>(ResourceType.For<TestWidget>().ObjectPath(new ObjectKey(ns, name)), new JsonObject { ["spec"] = new JsonObject { ["size"] = size } }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
    }

    /// <summary>Polls (real time, bounded) until the condition holds.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
        => Eventually(() => Task.FromResult(condition()), what, timeout);
}
