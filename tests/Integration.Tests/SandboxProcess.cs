using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace EksOperator.Integration.Tests;

/// <summary>The built sandbox (<c>dotnet EksOperator.Sandbox.dll</c>) as a child process, the way a user runs it.</summary>
internal sealed partial class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Seen)> _waiters = [];

    private SandboxProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Everything written to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>
    /// Starts the sandbox with <paramref name="args"/>. With <paramref name="defaultSigint"/> it runs under
    /// <c>env --default-signal=INT</c>: a process started in the background by a non-interactive shell inherits SIGINT
    /// ignored, and .NET (like any program) then leaves it ignored, so a SIGINT test must undo that first.
    /// </summary>
    public static SandboxProcess Start(IEnumerable<string> args, bool defaultSigint = false)
    {
        var sandbox = Path.Combine(AppContext.BaseDirectory, "EksOperator.Sandbox.dll");
        Assert.True(File.Exists(sandbox), "the sandbox is built next to the tests");
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = defaultSigint
            ? new ProcessStartInfo("env", ["--default-signal=INT", dotnet, sandbox, .. args])
            : new ProcessStartInfo(dotnet, [sandbox, .. args]);
        start.WorkingDirectory = Repository.Root;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // The live table is for terminals; redirected output gets one line per change, and no colour codes.
        start.Environment["NO_COLOR"] = "1";

        var sandboxProcess = new SandboxProcess(Process.Start(start) ?? throw new InvalidOperationException("the sandbox did not start"));
        sandboxProcess._process.OutputDataReceived += (_, e) => sandboxProcess.Received(e.Data);
        sandboxProcess._process.ErrorDataReceived += (_, e) => sandboxProcess.Received(e.Data);
        sandboxProcess._process.BeginOutputReadLine();
        sandboxProcess._process.BeginErrorReadLine();
        return sandboxProcess;
    }

    /// <summary>The first output line matching <paramref name="matches"/> (also one already printed).</summary>
    public async Task<string> LineAsync(Func<string, bool> matches, string what, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(matches) is { } earlier) return earlier;
            _waiters.Add((matches, seen));
        }

        var exited = _process.WaitForExitAsync();
        try
        {
            var first = await Task.WhenAny(seen.Task, exited).WaitAsync(timeout, TimeProvider.System);
            if (first == seen.Task) return await seen.Task;
            Assert.Fail($"the sandbox exited ({_process.ExitCode}) before {what}:\n{Output}");
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no {what} within {timeout}:\n{Output}");
        }

        return "";
    }

    /// <summary>Waits for "Up." (every host started, the closing hint printed).</summary>
    public Task<string> UpAsync(TimeSpan? timeout = null) =>
        LineAsync(l => l.StartsWith("Up.", StringComparison.Ordinal), "readiness line \"Up.\"", timeout ?? TimeSpan.FromMinutes(3));

    /// <summary>The kubeconfig path from the printed <c>kubectl --kubeconfig … get eks</c> line.</summary>
    public async Task<string> KubeconfigAsync() =>
        KubectlLine().Match(await LineAsync(l => KubectlLine().IsMatch(l), "kubectl line", TimeSpan.FromMinutes(1))).Groups["path"].Value;

    /// <summary>The AWS endpoint from the printed <c>aws --endpoint-url … eks list-clusters</c> line.</summary>
    public async Task<Uri> AwsEndpointAsync() =>
        new(AwsLine().Match(await LineAsync(l => AwsLine().IsMatch(l), "aws line", TimeSpan.FromMinutes(1))).Groups["url"].Value);

    /// <summary>Sends <paramref name="signal"/> (TERM, INT, QUIT) with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        var kill = await Tools.RunAsync("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(30));
        Assert.True(kill.ExitCode == 0, $"kill -{signal}: {kill}");
    }

    /// <summary>The exit code, or a failure naming <paramref name="bound"/> when the process is still running then.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the sandbox was still running {bound.TotalSeconds} s after the signal:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Stops the sandbox as a user would (SIGTERM, so it removes its kubeconfig), killing it if that fails.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await Tools.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15), TimeProvider.System);
            }
            catch (TimeoutException)
            {
                // Killed below.
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => w.Matches(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult(line);
            }
        }
    }

    [GeneratedRegex(@"^\s+kubectl --kubeconfig (?<path>\S+) get eks")]
    private static partial Regex KubectlLine();

    [GeneratedRegex(@"^\s+aws --endpoint-url (?<url>\S+) eks list-clusters")]
    private static partial Regex AwsLine();
}
