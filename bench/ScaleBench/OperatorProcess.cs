using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EksOperator.Bench.Scale;

/// <summary>The operator as a child process (dotnet EksOperator.dll), with its CPU time and memory read from /proc.</summary>
internal sealed partial class OperatorProcess : IAsyncDisposable
{
    private const int TailLines = 200;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly double _ticksPerSecond = ClockTicksPerSecond();

    private OperatorProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public static OperatorProcess Start(string directory, IReadOnlyList<string> args)
    {
        var dll = Path.Combine(directory, "EksOperator.dll");
        if (!File.Exists(dll) || !File.Exists(Path.Combine(directory, "EksOperator.runtimeconfig.json")))
        {
            throw new InvalidOperationException($"EksOperator.dll and its runtimeconfig are expected next to the benchmark in {directory}");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var op = new OperatorProcess(process);
        process.OutputDataReceived += (_, e) => op.Line(e.Data);
        process.ErrorDataReceived += (_, e) => op.Line(e.Data);
        process.Exited += (_, _) => op._listening.TrySetException(new InvalidOperationException("the operator exited"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return op;
    }

    /// <summary>Waits for the listening address, then for /readyz (every informer has synced).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var url = await _listening.Task.WaitAsync(cts.Token);
        using var http = new HttpClient { BaseAddress = url };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cts.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cts.Token);
        }
    }

    /// <summary>A "Vm…" line of /proc/pid/status in kB (VmRSS now, VmHWM the peak).</summary>
    public long ReadStatusKb(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"{field} not in /proc/{Pid}/status");
    }

    /// <summary>User + system CPU time so far (utime + stime of /proc/pid/stat).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name may hold spaces; fields after it start with the state (field 3), so utime (14) is index 11.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / _ticksPerSecond;
    }

    public void PrintTail()
    {
        Console.Error.WriteLine("--- operator output (last lines) ---");
        foreach (var line in _tail) Console.Error.WriteLine(line);
    }

    /// <summary>Lines the operator logged (warnings and worse, plus its start-up lines).</summary>
    public IReadOnlyList<string> Tail => [.. _tail];

    /// <summary>Ends the operator at once (the benchmark is being stopped).</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null) return;
        _tail.Enqueue(line);
        while (_tail.Count > TailLines) _tail.TryDequeue(out _);
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    private static double ClockTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FormatException)
        {
            return 100; // Linux's USER_HZ almost everywhere
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}

/// <summary>
/// The benchmark's operator processes: one unsharded (the default), or one per shard (<c>--shards N</c>), process k
/// serving shard <c>s{k}</c>.
/// </summary>
internal sealed class OperatorGroup(IReadOnlyList<OperatorProcess> processes, IReadOnlyList<string?> shards) : IAsyncDisposable
{
    public IReadOnlyList<OperatorProcess> Processes => processes;

    /// <summary>The shard each process serves (null: the unsharded operator).</summary>
    public IReadOnlyList<string?> Shards => shards;

    public async Task WaitReadyAsync(TimeSpan timeout) => await Task.WhenAll(processes.Select(p => p.WaitReadyAsync(timeout)));

    /// <summary>User + system CPU time of all processes.</summary>
    public double CpuSeconds() => processes.Sum(p => p.CpuSeconds());

    public void PrintTail()
    {
        for (var k = 0; k < processes.Count; k++)
        {
            if (shards[k] is { } shard) Console.Error.WriteLine($"=== shard {shard} (pid {processes[k].Pid}) ===");
            processes[k].PrintTail();
        }
    }

    public void Kill()
    {
        foreach (var p in processes) p.Kill();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in processes) await p.DisposeAsync();
    }
}
