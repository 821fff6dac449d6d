using System.Diagnostics;
using System.Text;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>Runs the real kubectl found on PATH (or in the repository's .tools/bin that <c>./build.sh tools</c> fills).</summary>
public sealed class Kubectl(string kubeconfig) : IDisposable
{
    private readonly string _cacheDir = Directory.CreateTempSubdirectory("kubecache-").FullName;

    public static string? Path { get; } = Tools.Locate("kubectl");

    public async Task<KubectlResult> RunAsync(string arguments, TimeSpan? timeout = null, string? stdin = null)
    {
        using var process = Start(arguments, stdin is not null);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        return await WaitAsync(process, timeout ?? TimeSpan.FromSeconds(60));
    }

    public Process Start(string arguments, bool redirectInput = false)
    {
        var kubectl = Path ?? throw new InvalidOperationException("kubectl is required (CI=true) but was not found on PATH");
        // Arguments split on spaces and passed verbatim (no shell quoting), so JSON patches need no escaping.
        var info = new ProcessStartInfo(kubectl, ["--kubeconfig", kubeconfig, .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.Environment["KUBECACHEDIR"] = _cacheDir;
        info.Environment["KUBECONFIG"] = kubeconfig;
        return Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start");
    }

    public static async Task<KubectlResult> WaitAsync(Process process, TimeSpan timeout)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl did not finish within {timeout}: {await stdout} {await stderr}");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Directory.Delete(_cacheDir, recursive: true);
}

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => new StringBuilder().Append("exit ").Append(ExitCode).Append("\nstdout:\n").Append(Stdout).Append("\nstderr:\n").Append(Stderr).ToString();
}
