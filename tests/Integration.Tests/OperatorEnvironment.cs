using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Hosting;
using OperatorCommandLine = EksOperator.OnSimulators.OperatorArguments;
using EksOperator.Simulators.Aws;
using EksOperator.Simulators.Kubernetes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EksOperator.Integration.Tests;

/// <summary>
/// Both simulators over real HTTP and the operator host wired to them, as a test fixture. AWS durations are scaled
/// so that a cluster is ACTIVE in about 1.5 s.
/// </summary>
public sealed class OperatorEnvironment : IAsyncDisposable
{
    public const double TimeScale = 0.002;
    private readonly string _dir;
    private WebApplication? _operator;
    private Action<IServiceCollection>? _configureServices;

    private readonly KubernetesSimulator? _kube;

    private OperatorEnvironment(KubernetesSimulator? kube, AwsSimulator aws, string dir, IKubernetes client)
    {
        _kube = kube;
        Aws = aws;
        _dir = dir;
        Client = client;
    }

    /// <summary>The Kubernetes simulator (fault knobs, access records); absent when running against a real API server.</summary>
    public KubernetesSimulator Kube => _kube ?? throw new InvalidOperationException("this environment runs against a real API server");

    public AwsSimulator Aws { get; }

    public IKubernetes Client { get; }

    public string Namespace => "default";

    public static Task<OperatorEnvironment> StartAsync(bool startOperator = true, params string[] operatorArgs) =>
        StartAsync(startOperator, configureServices: null, operatorArgs);

    public static Task<OperatorEnvironment> StartAsync(bool startOperator, Action<IServiceCollection>? configureServices, params string[] operatorArgs) =>
        StartAsync(new AwsSimulatorOptions { TimeScale = TimeScale }, startOperator, configureServices, operatorArgs);

    /// <summary>With the AWS simulator's options given (several accounts, more regions); its TimeScale is the environment's.</summary>
    public static async Task<OperatorEnvironment> StartAsync(AwsSimulatorOptions awsOptions, bool startOperator, Action<IServiceCollection>? configureServices, params string[] operatorArgs)
    {
        var root = RepoRoot();
        var dir = Directory.CreateTempSubdirectory("eksop-it-").FullName;
        var kube = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions
        {
            CrdFiles = [.. Directory.GetFiles(Path.Combine(root, "config", "crd"), "*.yaml").Order(StringComparer.Ordinal)],
        });
        var aws = await AwsSimulator.StartAsync(awsOptions with { TimeScale = TimeScale });
        var kubeconfig = kube.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var env = new OperatorEnvironment(kube, aws, dir, client) { _configureServices = configureServices };
        if (startOperator) await env.StartOperatorAsync(operatorArgs);
        return env;
    }

    /// <summary>The AWS simulator and the operator against an existing API server (e.g. K3s) whose kubeconfig is given; CRDs must be applied.</summary>
    public static async Task<OperatorEnvironment> StartOnAsync(string kubeconfig)
    {
        var dir = Directory.CreateTempSubdirectory("eksop-it-").FullName;
        File.Copy(kubeconfig, Path.Combine(dir, "kubeconfig"));
        var aws = await AwsSimulator.StartAsync(new AwsSimulatorOptions { TimeScale = TimeScale });
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(dir, "kubeconfig")));
        var env = new OperatorEnvironment(null, aws, dir, client);
        await env.StartOperatorAsync();
        return env;
    }

    /// <summary>The kubeconfig every client of this environment uses (the operator's too).</summary>
    public string KubeconfigPath => Path.Combine(_dir, "kubeconfig");

    public async Task StartOperatorAsync(params string[] extraArgs)
    {
        _operator = OperatorHost.Build(OperatorArguments(extraArgs), _configureServices);
        await _operator.StartAsync();
    }

    /// <summary>The operator's command line for this environment; later arguments override earlier ones.</summary>
    public string[] OperatorArguments(params string[] extraArgs)
    {
        return OperatorCommandLine.Against(Aws, KubeconfigPath)
            // Resync often so that tests see any update loop a false drift would cause.
            .Set("Operator:ResyncPeriod", TimeSpan.FromSeconds(2))
            .Set("Runtime:ResyncPeriod", TimeSpan.FromSeconds(2))
            .PollBetween(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1))
            .ExpectedDurationsScaled(TimeScale)
            .Set("Runtime:Workers", "4")
            .Add(extraArgs)
            .ToArray();
    }

    public async Task StopOperatorAsync()
    {
        if (_operator is null) return;
        await _operator.StopAsync();
        await _operator.DisposeAsync();
        _operator = null;
    }

    public async Task<T> CreateAsync<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        obj.Metadata.NamespaceProperty ??= Namespace;
        var plural = obj.GetType().GetCustomAttributes(typeof(KubernetesEntityAttribute), false).Cast<KubernetesEntityAttribute>().Single().PluralName;
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, OperatorApi.Group, OperatorApi.Version, Namespace, plural);
        return KubernetesJson.Deserialize<T>(JsonSerializer.Serialize(created));
    }

    public async Task<T?> GetAsync<T>(string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            var obj = await Client.CustomObjects.GetNamespacedCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, Namespace, Plural<T>(), name);
            return KubernetesJson.Deserialize<T>(JsonSerializer.Serialize(obj));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task PatchSpecAsync<T>(string name, object specPatch)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(JsonSerializer.Serialize(new { spec = specPatch }), V1Patch.PatchType.MergePatch),
            OperatorApi.Group, OperatorApi.Version, Namespace, Plural<T>(), name);

    public Task DeleteAsync<T>(string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Client.CustomObjects.DeleteNamespacedCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, Namespace, Plural<T>(), name);

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> and the last state after the timeout.</summary>
    public static async Task<TResult> EventuallyAsync<TResult>(Func<Task<TResult>> probe, Func<TResult, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        TResult last = await probe();
        while (!condition(last))
        {
            if (DateTimeOffset.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}; last: {Describe(last)}");
            await Task.Delay(100);
            last = await probe();
        }

        return last;
    }

    public Task<T> ReadyAsync<T>(string name, TimeSpan? timeout = null)
        where T : class, IEksResource
        => EventuallyAsync(() => GetAsync<T>(name)!, o => IsReady(o), $"{typeof(T).Name} {name} Ready", timeout)!;

    /// <summary>Ready for the current generation and <paramref name="condition"/> true.</summary>
    public Task<T> EventuallyReadyAtAsync<T>(string name, Func<T, bool> condition, TimeSpan? timeout = null)
        where T : class, IEksResource
        => EventuallyAsync(() => GetAsync<T>(name)!, o => IsReady(o) && condition(o!), $"{typeof(T).Name} {name} Ready with the change", timeout)!;

    public static bool IsReady(IEksResource? obj) =>
        obj?.CommonStatus?.Conditions?.Any(c => c.Type == ConditionTypes.Ready && c.Status == "True") == true
        && obj.CommonStatus?.ObservedGeneration == obj.Metadata.Generation;

    /// <summary>The AWS simulator's whole state (clusters, node groups, profiles, roles), from its control endpoint.</summary>
    public Task<JsonObject> AwsStateAsync() => AwsStateAsync(null, null);

    /// <summary>The state of one account and region of the simulator (null: its first).</summary>
    public async Task<JsonObject> AwsStateAsync(string? account, string? region)
    {
        using var http = new HttpClient { BaseAddress = Aws.BaseAddress };
        var query = account is null ? "" : $"?account={account}&region={region ?? Aws.Options.Region}";
        return (await http.GetFromJsonAsync<JsonObject>("/_sim/state" + query))!;
    }

    /// <summary>Successful calls of one operation (a call AWS refused, e.g. while a new role propagates, is not counted).</summary>
    public long Calls(string operation) =>
        Aws.Calls.Entries().Count(c => $"{c.Service}:{c.Operation}" == operation && c.StatusCode is >= 200 and < 300);

    /// <summary>Every call of one operation, refused ones included.</summary>
    public long Attempts(string operation) => Aws.Calls.Count(operation);

    /// <summary>Successful AWS calls that change something (everything but Describe/List/Get).</summary>
    public IReadOnlyList<string> Mutations() => [.. Aws.Calls.Entries()
        .Where(c => c.StatusCode is >= 200 and < 300 && Mutates(c))
        .Select(c => $"{c.Service}:{c.Operation}")];

    /// <summary>Whether the operation changes something in AWS (everything but Describe/List/Get), whatever its answer.</summary>
    public static bool Mutates(AwsCall call) =>
        !call.Operation.StartsWith("Describe", StringComparison.Ordinal) && !call.Operation.StartsWith("List", StringComparison.Ordinal)
        && !call.Operation.StartsWith("Get", StringComparison.Ordinal);

    public Task AnnotateAsync<T>(string name, string key, string? value)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            OperatorApi.Group, OperatorApi.Version, Namespace, Plural<T>(), name);

    public static bool HasCondition(IEksResource? obj, string type, string status, string? reason = null) =>
        obj?.CommonStatus?.Conditions?.Any(c => c.Type == type && c.Status == status && (reason is null || c.Reason == reason)) == true;

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        Client.Dispose();
        await Aws.DisposeAsync();
        if (_kube is not null) await _kube.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Plural<T>() => typeof(T).GetCustomAttributes(typeof(KubernetesEntityAttribute), false).Cast<KubernetesEntityAttribute>().Single().PluralName;

    private static string Describe<TResult>(TResult value) => value switch
    {
        null => "null",
        IEksResource r => r.CommonStatus is { } status ? KubernetesJson.Serialize(status) : "no status",
        _ => value.ToString() ?? "",
    };

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("repository root not found");
    }
}
