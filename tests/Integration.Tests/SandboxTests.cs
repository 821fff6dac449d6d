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
        Assert.Contains("All 14 resources are Ready.", text, StringComparison.Ordinal);
        Assert.Contains($"kubectl --kubeconfig {kubeconfig} get eks", text, StringComparison.Ordinal);
        Assert.Contains("applied EksCluster/platform from config/samples/full-stack.yaml", text, StringComparison.Ordinal);
    }

    [ToolFact("kubectl")]
    public async Task A_running_sandbox_is_driven_with_kubectl_through_an_upgrade_and_a_delete()
    {
        var kubectl = Tools.Require("kubectl");
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
            if (e.Data?.StartsWith("All 14 resources are Ready.", StringComparison.Ordinal) == true) ready.TrySetResult();
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

/// <summary>
/// SIGTERM (kill, docker stop, timeout, systemd) and SIGINT (Ctrl+C) stop every host and exit 0, in every mode;
/// the kubeconfig is this run's own unless <c>--kubeconfig</c> names one.
/// </summary>
public sealed class SandboxSignalTests
{
    // The sandbox exits within 5 s; the bound leaves room for a loaded build machine.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("TERM", new[] { "--only", "kube" })]
    [InlineData("TERM", new[] { "--only", "aws" })]
    [InlineData("TERM", new[] { "--no-samples" })]
    [InlineData("INT", new[] { "--no-samples" })]
    [InlineData("QUIT", new[] { "--only", "kube" })]
    public async Task A_stop_signal_stops_every_host_and_exits_0(string signal, string[] args)
    {
        await using var sandbox = SandboxProcess.Start(args, defaultSigint: signal == "INT");
        await sandbox.UpAsync();

        await sandbox.SignalAsync(signal);

        Assert.Equal(0, await sandbox.ExitCodeAsync(ExitBound));
    }

    [Fact]
    public async Task Two_sandboxes_get_kubeconfigs_of_their_own_which_go_when_they_stop()
    {
        await using var first = SandboxProcess.Start(["--only", "kube"]);
        await using var second = SandboxProcess.Start(["--only", "kube"]);
        await Task.WhenAll(first.UpAsync(), second.UpAsync());
        var (firstPath, secondPath) = (await first.KubeconfigAsync(), await second.KubeconfigAsync());

        Assert.NotEqual(firstPath, secondPath);
        Assert.True(File.Exists(firstPath) && File.Exists(secondPath), "both kubeconfigs exist while the sandboxes run");
        Assert.Contains(KubeconfigServer(firstPath), first.Output, StringComparison.Ordinal);
        Assert.Contains(KubeconfigServer(secondPath), second.Output, StringComparison.Ordinal);

        await first.SignalAsync("TERM");
        Assert.Equal(0, await first.ExitCodeAsync(ExitBound));
        Assert.False(File.Exists(firstPath), $"{firstPath} is removed on exit");
        Assert.True(File.Exists(secondPath), "the other sandbox's kubeconfig is left alone");

        await second.SignalAsync("TERM");
        Assert.Equal(0, await second.ExitCodeAsync(ExitBound));
        Assert.False(File.Exists(secondPath), $"{secondPath} is removed on exit");
    }

    [Fact]
    public async Task A_kubeconfig_named_with_the_flag_stays_after_exit_and_the_hint_tells_to_apply_the_samples()
    {
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("eksop-sandbox-").FullName, "kubeconfig");
        await using var sandbox = SandboxProcess.Start(["--no-samples", "--kubeconfig", kubeconfig]);
        await sandbox.UpAsync();
        Assert.Equal(kubeconfig, await sandbox.KubeconfigAsync());

        var output = sandbox.Output;
        Assert.Contains($"Try: kubectl --kubeconfig {kubeconfig} apply -f config/samples", output, StringComparison.Ordinal);
        Assert.DoesNotContain("platform", output, StringComparison.Ordinal);

        await sandbox.SignalAsync("TERM");
        Assert.Equal(0, await sandbox.ExitCodeAsync(ExitBound));
        Assert.True(File.Exists(kubeconfig), "a kubeconfig named with --kubeconfig stays");
        Directory.Delete(Path.GetDirectoryName(kubeconfig)!, recursive: true);
    }

    // The server line of a kubeconfig, which the sandbox also prints as the simulator's address.
    private static string KubeconfigServer(string kubeconfig) =>
        File.ReadAllLines(kubeconfig).Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim().Trim('"').TrimEnd('/');
}
