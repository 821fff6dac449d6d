using System.Diagnostics;

namespace EksOperator.Integration.Tests;

/// <summary>The README's first command, run as a process the way a user runs it.</summary>
public sealed class SandboxTests
{
    [Fact]
    public async Task Sandbox_applies_the_samples_and_exits_when_every_resource_is_Ready()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EksOperator.sln"))) root = Path.GetDirectoryName(root)!;
        var sandbox = Path.Combine(AppContext.BaseDirectory, "EksOperator.Sandbox.dll");
        Assert.True(File.Exists(sandbox), "the sandbox is built next to the tests");
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("eksop-sandbox-").FullName, "kubeconfig");

        using var process = Process.Start(new ProcessStartInfo("dotnet", [sandbox, "--exit-when-ready", "--kubeconfig", kubeconfig])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the sandbox did not finish in 4 minutes:\n{await output}\n{await errors}");
        }

        var text = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{text}\n{await errors}");
        Assert.Contains("All 7 resources are Ready.", text, StringComparison.Ordinal);
        Assert.Contains($"kubectl --kubeconfig {kubeconfig} get eks", text, StringComparison.Ordinal);
        Assert.Contains("applied EksCluster/platform from config/samples/full-stack.yaml", text, StringComparison.Ordinal);
    }
}
