using System.Globalization;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Hosting;
using EksOperator.OnSimulators;
using EksOperator.Simulators.Aws;
using EksOperator.Simulators.Kubernetes;
using EksOperator.Simulators.Kubernetes.Admission;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace EksOperator.Sandbox;

/// <summary>
/// The README's first command: the Kubernetes and AWS simulators and the operator in one process, the samples
/// applied, and a live table of the resources converging. Wiring and presentation only.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        SandboxOptions options;
        try
        {
            options = SandboxOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{SandboxOptions.Usage}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var signals = new ShutdownSignals(stop);
        using var kubeconfig = options.Only == "aws" ? null : KubeconfigFile.For(options.Kubeconfig);
        try
        {
            return await RunAsync(options, kubeconfig, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // SIGINT, SIGTERM or SIGQUIT: every host was stopped on the way out of RunAsync.
            return 0;
        }
    }

    private static async Task<int> RunAsync(SandboxOptions options, KubeconfigFile? kubeconfig, CancellationToken ct)
    {
        var root = RepoRoot();
        // Disposed in reverse: the operator stops first, then the AWS simulator, then the Kubernetes simulator.
        await using var kube = kubeconfig is not null ? await StartKubeAsync(kubeconfig, root, options, ct) : null;
        await using var aws = options.Only is null or "aws" ? await StartAwsAsync(options, kube, ct) : null;
        await using var operatorHost = kube is not null && aws is not null && !options.NoOperator
            ? await StartOperatorAsync(options, kubeconfig!.Path, aws, ct)
            : null;
        using var client = kube is null ? null : new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig!.Path));

        if (client is not null && !options.NoSamples && options.Only is null)
        {
            await ApplySamplesAsync(client, root, ct);
            var allReady = await WatchAsync(client, options, ct);
            if (options.ExitWhenReady) return allReady ? 0 : 1;
        }
        else if (options.ExitWhenReady)
        {
            return 0;
        }

        var clusters = client is null
            ? []
            : (await new ResourceTable(client).ReadAsync(ct)).Where(r => r.Kind == "EksCluster").Select(r => new ObjectName(r.Namespace, r.Name)).ToList();
        var state = new SandboxState(kubeconfig?.Path, aws?.BaseAddress, operatorHost is not null, clusters, SamplesArgument(root));
        foreach (var line in ClosingHint.Lines(state)) Console.WriteLine(line);
        Console.WriteLine("Up. Press Ctrl+C to stop.");
        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
        return 0;
    }

    private static async Task<KubernetesSimulator> StartKubeAsync(KubeconfigFile kubeconfig, string root, SandboxOptions options, CancellationToken ct)
    {
        var crds = Directory.GetFiles(Path.Combine(root, "config", "crd"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        var kube = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { Port = options.KubePort, CrdFiles = crds }, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(kubeconfig.Path)!);
        var written = kube.WriteKubeconfig(kubeconfig.Path);
        Console.WriteLine($"Kubernetes API simulator: {kube.BaseAddress} ({crds.Count} CRDs loaded)");
        Console.WriteLine($"  kubectl --kubeconfig {Shell.Quote(written)} get eks{(kubeconfig.Removed ? "   # this run's kubeconfig, removed on exit" : "")}");
        return kube;
    }

    private static async Task<AwsSimulator> StartAwsAsync(SandboxOptions options, KubernetesSimulator? kube, CancellationToken ct)
    {
        var aws = await AwsSimulator.StartAsync(new AwsSimulatorOptions
        {
            Port = options.AwsPort,
            TimeScale = options.TimeScale,
            Accounts = options.Accounts,
            // ACTIVE clusters point at the Kubernetes simulator, so the kubeconfig Secrets the operator writes lead somewhere.
            ClusterEndpoint = kube?.BaseAddress,
        }, ct);
        var o = aws.Options;
        Console.WriteLine($"AWS simulator (EKS, IAM, EC2): {aws.BaseAddress} region {o.Region}, account {o.AccountId}, time x{o.TimeScale.ToString(CultureInfo.InvariantCulture)}");
        Console.WriteLine($"  AWS_ACCESS_KEY_ID={o.AccessKeyId} AWS_SECRET_ACCESS_KEY={o.SecretAccessKey} AWS_DEFAULT_REGION={o.Region} \\");
        Console.WriteLine($"    aws --endpoint-url {aws.BaseAddress} eks list-clusters");
        if (aws.Accounts.Count > 1)
        {
            // One line per account, so that a person can use the AWS CLI as any of them (the first is the operator's).
            foreach (var account in aws.Accounts)
            {
                Console.WriteLine($"  account {account.Id}: AWS_ACCESS_KEY_ID={account.AccessKeyId} AWS_SECRET_ACCESS_KEY={account.SecretAccessKey}");
            }
        }

        return aws;
    }

    private static async Task<StoppingHost> StartOperatorAsync(SandboxOptions options, string kubeconfig, AwsSimulator aws, CancellationToken ct)
    {
        // Poll in proportion to the simulated durations, so convergence is not bound by the poll interval.
        var minPoll = TimeSpan.FromSeconds(Math.Clamp(500 * options.TimeScale, 0.2, 5));
        var app = OperatorHost.Build(
            OperatorArguments.Against(aws, kubeconfig)
                .PollBetween(minPoll, minPoll * 12)
                .Set("Logging:LogLevel:Microsoft", "Warning")
                .ExpectedDurationsScaled(aws.Options.TimeScale)
                .ToArray(),
        // The sandbox owns SIGINT/SIGTERM (ShutdownSignals); the default console lifetime would take them for this host alone.
        services => services.AddSingleton<IHostLifetime, EmbeddedLifetime>());
        var host = new StoppingHost(app);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        Console.WriteLine($"Operator: running (metrics and probes at {string.Join(", ", app.Urls)})");
        return host;
    }

    private static async Task ApplySamplesAsync(Kubernetes client, string root, CancellationToken ct)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(root, "config", "samples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var document in YamlJson.ParseAll(await File.ReadAllTextAsync(file, ct)).OfType<JsonObject>())
            {
                var kind = (string)document["kind"]!;
                var ns = (string?)document["metadata"]?["namespace"] ?? "default";
                var plural = EksOperator.Controllers.Kinds.KindRegistry.All.FirstOrDefault(k => k.Kind == kind)?.Plural
                    ?? throw new InvalidOperationException($"{file}: unexpected kind {kind}");
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(document, OperatorApi.Group, OperatorApi.Version, ns, plural, cancellationToken: ct);
                Console.WriteLine($"applied {kind}/{document["metadata"]!["name"]} from config/samples/{Path.GetFileName(file)}");
            }
        }
    }

    /// <summary>Shows the table until everything is Ready (when asked to exit then) or forever; true when all became Ready.</summary>
    private static async Task<bool> WatchAsync(Kubernetes client, SandboxOptions options, CancellationToken ct)
    {
        var table = new ResourceTable(client);
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(5);
        IReadOnlyList<ResourceTable.Row> rows = [];
        bool AllReady() => rows.Count > 0 && rows.All(r => r.Ready);

        if (Console.IsOutputRedirected)
        {
            // Logs and CI: print each change as a line instead of redrawing.
            var printed = new HashSet<string>();
            while (!(options.ExitWhenReady && (AllReady() || TimeProvider.System.GetUtcNow() > deadline)))
            {
                rows = await table.ReadAsync(ct);
                foreach (var line in rows.Select(ResourceTable.Line).Where(printed.Add)) Console.WriteLine(line);
                if (AllReady() && !options.ExitWhenReady) break;
                await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, ct);
            }
        }
        else
        {
            await AnsiConsole.Live(new Table()).StartAsync(async live =>
            {
                while (!(options.ExitWhenReady && (AllReady() || TimeProvider.System.GetUtcNow() > deadline)))
                {
                    rows = await table.ReadAsync(ct);
                    live.UpdateTarget(ResourceTable.Render(rows));
                    if (AllReady() && !options.ExitWhenReady) break;
                    await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, ct);
                }
            });
        }

        Console.WriteLine(AllReady() ? $"All {rows.Count} resources are Ready." : "Not everything became Ready in 5 minutes; see the conditions above.");
        return AllReady();
    }

    // config/samples as the user would type it from the current directory.
    private static string SamplesArgument(string root)
    {
        var samples = Path.Combine(root, "config", "samples");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), samples);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? samples : relative;
    }

    // config/ ships next to the sources; the sandbox runs from the repository (dotnet run --project src/Sandbox).
    private static string RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln"))) return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the sandbox from inside the repository");
    }
}
