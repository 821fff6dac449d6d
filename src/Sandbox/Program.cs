using EksOperator.Simulators.Aws;
using EksOperator.Simulators.Kubernetes;

namespace EksOperator.Sandbox;

/// <summary>
/// The README's first command: the simulators (and, once the controllers exist, the operator) in one process.
/// Wiring and presentation only.
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

        await using var kube = options.Only is null or "kube" ? await StartKubeAsync(options, stop.Token) : null;
        await using var aws = options.Only is null or "aws" ? await StartAwsAsync(options, stop.Token) : null;

        if (options.ExitWhenReady) return 0;
        Console.WriteLine("Press Ctrl+C to stop.");
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: dispose the servers and exit.
        }

        return 0;
    }

    private static async Task<KubernetesSimulator> StartKubeAsync(SandboxOptions options, CancellationToken ct)
    {
        var crds = Directory.GetFiles(Path.Combine(RepoRoot(), "config", "crd"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        var kube = await KubernetesSimulator.StartAsync(new KubernetesSimulatorOptions { Port = options.KubePort, CrdFiles = crds }, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(options.KubeconfigPath)!);
        var kubeconfig = kube.WriteKubeconfig(options.KubeconfigPath);
        Console.WriteLine($"Kubernetes API simulator: {kube.BaseAddress} ({crds.Count} CRDs loaded)");
        Console.WriteLine($"  kubectl --kubeconfig {kubeconfig} get eks");
        return kube;
    }

    private static async Task<AwsSimulator> StartAwsAsync(SandboxOptions options, CancellationToken ct)
    {
        var aws = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Port = options.AwsPort, TimeScale = options.TimeScale }, ct);
        var o = aws.Options;
        Console.WriteLine($"AWS simulator (EKS, IAM, EC2): {aws.BaseAddress} region {o.Region}, account {o.AccountId}");
        Console.WriteLine($"  AWS_ACCESS_KEY_ID={o.AccessKeyId} AWS_SECRET_ACCESS_KEY={o.SecretAccessKey} AWS_DEFAULT_REGION={o.Region} \\");
        Console.WriteLine($"    aws --endpoint-url {aws.BaseAddress} eks list-clusters");
        return aws;
    }

    // config/crd ships next to the sources; the sandbox runs from the repository (dotnet run --project src/Sandbox).
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
