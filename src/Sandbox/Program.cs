using System.Globalization;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Hosting;
using EksOperator.Simulators.Aws;
using EksOperator.Simulators.Kubernetes;
using EksOperator.Simulators.Kubernetes.Admission;
using k8s;
using Microsoft.AspNetCore.Builder;
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
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var root = RepoRoot();
        await using var kube = options.Only is null or "kube" ? await StartKubeAsync(options, root, stop.Token) : null;
        await using var aws = options.Only is null or "aws" ? await StartAwsAsync(options, kube, stop.Token) : null;
        await using var operatorHost = kube is not null && aws is not null && !options.NoOperator ? await StartOperatorAsync(options, aws) : null;

        if (kube is not null && !options.NoSamples && options.Only is null)
        {
            await ApplySamplesAsync(options, root, stop.Token);
        }

        var watching = kube is not null && options.Only is null;
        try
        {
            if (watching)
            {
                var allReady = await WatchAsync(options, stop.Token);
                if (options.ExitWhenReady) return allReady ? 0 : 1;
            }
            else if (options.ExitWhenReady)
            {
                return 0;
            }

            Console.WriteLine("Up. Press Ctrl+C to stop.");
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C.
        }

        return 0;
    }

    private static async Task<KubernetesSimulator> StartKubeAsync(SandboxOptions options, string root, CancellationToken ct)
    {
        var crds = Directory.GetFiles(Path.Combine(root, "config", "crd"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        var kube = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { Port = options.KubePort, CrdFiles = crds }, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(options.KubeconfigPath)!);
        var kubeconfig = kube.WriteKubeconfig(options.KubeconfigPath);
        Console.WriteLine($"Kubernetes API simulator: {kube.BaseAddress} ({crds.Count} CRDs loaded)");
        Console.WriteLine($"  kubectl --kubeconfig {kubeconfig} get eks");
        return kube;
    }

    private static async Task<AwsSimulator> StartAwsAsync(SandboxOptions options, KubernetesSimulator? kube, CancellationToken ct)
    {
        var aws = await AwsSimulator.StartAsync(new AwsSimulatorOptions
        {
            Port = options.AwsPort,
            TimeScale = options.TimeScale,
            // ACTIVE clusters point at the Kubernetes simulator, so the kubeconfig Secrets the operator writes lead somewhere.
            ClusterEndpoint = kube?.BaseAddress,
        }, ct);
        var o = aws.Options;
        Console.WriteLine($"AWS simulator (EKS, IAM, EC2): {aws.BaseAddress} region {o.Region}, account {o.AccountId}, time x{o.TimeScale.ToString(CultureInfo.InvariantCulture)}");
        Console.WriteLine($"  AWS_ACCESS_KEY_ID={o.AccessKeyId} AWS_SECRET_ACCESS_KEY={o.SecretAccessKey} AWS_DEFAULT_REGION={o.Region} \\");
        Console.WriteLine($"    aws --endpoint-url {aws.BaseAddress} eks list-clusters");
        return aws;
    }

    private static async Task<WebApplication> StartOperatorAsync(SandboxOptions options, AwsSimulator aws)
    {
        var o = aws.Options;
        // Poll in proportion to the simulated durations, so convergence is not bound by the poll interval.
        var minPoll = TimeSpan.FromSeconds(Math.Clamp(500 * options.TimeScale, 0.2, 5));
        var app = OperatorHost.Build(
        [
            "--Listen=http://127.0.0.1:0",
            $"--Kubernetes:Kubeconfig={options.KubeconfigPath}",
            $"--Operator:Region={o.Region}",
            $"--Operator:MinPollInterval={minPoll.ToString("c", CultureInfo.InvariantCulture)}",
            $"--Operator:MaxPollInterval={(minPoll * 12).ToString("c", CultureInfo.InvariantCulture)}",
            "--Runtime:LeaderElection:Enabled=false",
            $"--Aws:EndpointUrl={aws.BaseAddress}",
            $"--Aws:AccessKeyId={o.AccessKeyId}",
            $"--Aws:SecretAccessKey={o.SecretAccessKey}",
            $"--Aws:AccountId={o.AccountId}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft=Warning",
            // The operator first looks at a changing resource when AWS typically finishes; here AWS runs scaled.
            $"--Operator:ExpectedDurations:Scale={o.TimeScale.ToString(CultureInfo.InvariantCulture)}",
        ]);
        await app.StartAsync();
        Console.WriteLine($"Operator: running (metrics and probes at {string.Join(", ", app.Urls)})");
        return app;
    }

    private static async Task ApplySamplesAsync(SandboxOptions options, string root, CancellationToken ct)
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath));
        foreach (var file in Directory.GetFiles(Path.Combine(root, "config", "samples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var document in YamlJson.ParseAll(await File.ReadAllTextAsync(file, ct)).OfType<JsonObject>())
            {
                var kind = (string)document["kind"]!;
                var ns = (string?)document["metadata"]?["namespace"] ?? "default";
                var plural = kind switch
                {
                    "EksCluster" => OperatorApi.Plurals.EksClusters,
                    "ManagedNodeGroup" => OperatorApi.Plurals.ManagedNodeGroups,
                    "FargateProfile" => OperatorApi.Plurals.FargateProfiles,
                    _ => throw new InvalidOperationException($"{file}: unexpected kind {kind}"),
                };
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(document, OperatorApi.Group, OperatorApi.Version, ns, plural, cancellationToken: ct);
                Console.WriteLine($"applied {kind}/{document["metadata"]!["name"]} from config/samples/{Path.GetFileName(file)}");
            }
        }
    }

    /// <summary>Shows the table until everything is Ready (when asked to exit then) or forever; true when all became Ready.</summary>
    private static async Task<bool> WatchAsync(SandboxOptions options, CancellationToken ct)
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeconfigPath));
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
        if (!options.ExitWhenReady)
        {
            Console.WriteLine($"Try: kubectl --kubeconfig {options.KubeconfigPath} get eks; edit spec.version of ekscluster/platform to upgrade; delete to tear down.");
        }

        return AllReady();
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
