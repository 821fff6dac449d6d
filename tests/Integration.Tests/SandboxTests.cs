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

    [Fact]
    public async Task A_running_sandbox_is_driven_with_kubectl_through_an_upgrade_and_a_delete()
    {
        if (EksOperator.Packaging.Tests.Tools.SkipReasonFor("kubectl") is { } reason && !EksOperator.Packaging.Tests.Tools.InCi)
        {
            Console.WriteLine($"skipped: {reason}");
            return;
        }

        var kubectl = EksOperator.Packaging.Tests.Tools.Require("kubectl");
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EksOperator.sln"))) root = Path.GetDirectoryName(root)!;
        var dir = Directory.CreateTempSubdirectory("eksop-sandbox-").FullName;
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EksOperator.Sandbox.dll"), "--kubeconfig", kubeconfig])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var output = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output) output.AppendLine(e.Data);
            if (e.Data?.StartsWith("All 7 resources are Ready.", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromMinutes(3));

            async Task<string> Kubectl(params string[] args)
            {
                var start = new ProcessStartInfo(kubectl, ["--kubeconfig", kubeconfig, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.Environment["KUBECACHEDIR"] = Path.Combine(dir, "cache");
                using var run = Process.Start(start)!;
                var stdout = run.StandardOutput.ReadToEndAsync();
                var stderr = run.StandardError.ReadToEndAsync();
                await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
                Assert.True(run.ExitCode == 0, $"kubectl {string.Join(' ', args)}: {await stderr}");
                return await stdout;
            }

            var table = await Kubectl("get", "eksclusters");
            Assert.Matches(@"NAME\s+VERSION\s+STATUS\s+READY\s+REASON\s+AGE", table);
            Assert.Matches(@"platform\s+1\.33\s+ACTIVE\s+True\s+Available", table);

            await Kubectl("patch", "ekc", "platform", "--type", "merge", "-p", """{"spec":{"version":"1.34"}}""");
            await OperatorEnvironment.EventuallyAsync(
                () => Kubectl("get", "ekc", "platform", "-o", "jsonpath={.status.version} {.status.observedGeneration} {.metadata.generation} {.status.conditions[?(@.type==\"Ready\")].status}"),
                s => s.Split(' ') is ["1.34", var observed, var generation, "True"] && observed == generation,
                "platform upgraded to 1.34 and Ready", TimeSpan.FromMinutes(2));
            await Kubectl("wait", "--for=condition=Ready", "mng/platform-system", "mng/platform-batch", "--timeout=60s");
            Assert.Contains("1.34", await Kubectl("get", "mng", "platform-system", "-o", "jsonpath={.status.version}"), StringComparison.Ordinal);

            await Kubectl("delete", "ekc", "platform", "--timeout=120s");
            var left = await Kubectl("get", "eks", "-o", "name");
            Assert.DoesNotContain("platform", left, StringComparison.Ordinal);
            Assert.Contains("ekscluster.eks.operator.dev/demo", left, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
