using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Tests;

/// <summary>Runs Python scripts that use the official Kubernetes Python client (<c>kubernetes</c>, Debian's
/// python3-kubernetes, which <c>./build.sh tools</c> installs) against the simulator. Each script starts with
/// <see cref="Prelude"/>: the client configured from the simulator's kubeconfig, the test namespace in <c>ns</c>, and
/// <c>out(...)</c>, which prints one JSON line and flushes it so the test can react to it.</summary>
public sealed class PythonClient(string kubeconfig)
{
    public const string Prelude = """
        import json, os, sys
        from kubernetes import client, config, watch
        config.load_kube_config(config_file=os.environ["KUBECONFIG"])
        ns = os.environ.get("TEST_NAMESPACE", "default")
        def out(**fields):
            print(json.dumps(fields), flush=True)

        """;

    /// <summary>The first python3 that can import the client: $EKSOP_PYTHON, those on PATH, then the system one (a
    /// pyenv or venv python3 on PATH does not see Debian's packages).</summary>
    public static string? Interpreter { get; } = Locate();

    /// <summary>Why Python client tests skip, or null when they run. Under CI=true they never skip (and fail when the
    /// client is missing), as the kubectl tests.</summary>
    public static string? SkipReason =>
        Interpreter is not null || Tools.InCi
            ? null
            : "no python3 with the kubernetes package (Debian python3-kubernetes; run ./build.sh tools); skipped outside CI";

    /// <summary>Starts <c>python3 -c Prelude+script</c>; read its JSON lines with <see cref="PythonRun.NextAsync"/>.</summary>
    public PythonRun Start(string script, string? ns = null)
    {
        var python = Interpreter ?? throw new InvalidOperationException("python3 with the kubernetes package is required (CI=true) but was not found");
        var info = new ProcessStartInfo(python, ["-u", "-c", Prelude + script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment["TEST_NAMESPACE"] = ns ?? "default";
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        return new PythonRun(Process.Start(info) ?? throw new InvalidOperationException("python3 did not start"));
    }

    /// <summary>Runs a script to its end and returns the JSON lines it printed; fails with its stderr on a non-zero exit.</summary>
    public async Task<IReadOnlyList<JsonNode>> RunAsync(string script, string? ns = null, TimeSpan? timeout = null)
    {
        using var run = Start(script, ns);
        var (code, lines, stderr) = await run.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"python exited {code}\nstdout:\n{string.Join('\n', lines)}\nstderr:\n{stderr}");
        return [.. lines.Select(l => JsonNode.Parse(l)!)];
    }

    private static string? Locate()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Where(d => d.Length > 0).Select(d => Path.Combine(d, "python3"));
        var candidates = new[] { Environment.GetEnvironmentVariable("EKSOP_PYTHON") }.Concat(path).Append("/usr/bin/python3")
            .OfType<string>().Where(p => p.Length > 0 && File.Exists(p)).Distinct(StringComparer.Ordinal);
        return candidates.FirstOrDefault(CanImportClient);
    }

    private static bool CanImportClient(string python)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, ["-c", "import kubernetes.client, kubernetes.watch"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            // Called once from a static initializer (test discovery), where nothing can be awaited.
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A running script: its JSON lines as they come, then its exit.</summary>
public sealed class PythonRun : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly List<string> _lines = [];

    internal PythonRun(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The next JSON line the script printed, or null when it ended; times out with what it printed so far.</summary>
    public async Task<JsonNode?> NextAsync(TimeSpan? timeout = null)
    {
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no line from the python script in time; it printed:\n{string.Join('\n', _lines)}");
        }

        if (line is null)
        {
            return null;
        }

        _lines.Add(line);
        return JsonNode.Parse(line);
    }

    /// <summary>Waits for the exit; returns the code, every line printed (including those read before) and stderr.</summary>
    public async Task<(int Code, IReadOnlyList<string> Lines, string Stderr)> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                _lines.Add(line);
            }

            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the python script did not finish within {timeout}; it printed:\n{string.Join('\n', _lines)}");
        }

        return (_process.ExitCode, _lines, await _stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

/// <summary>A fact that needs the Kubernetes Python client: skipped with the reason when it is absent, except under CI=true.</summary>
public sealed class PythonClientFactAttribute : FactAttribute
{
    public PythonClientFactAttribute()
    {
        if (PythonClient.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
