using System.Diagnostics;

namespace EksOperator.Integration.Tests.Chaos;

/// <summary>
/// The operator as a process of its own (the EksOperator.dll built next to the tests), so that it can be killed the
/// way a node failure or an OOM kill does it: SIGKILL, no shutdown hooks, no flushed state.
/// </summary>
internal sealed class OperatorProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private bool _disposed;

    private OperatorProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        Id = process.Id;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id { get; }

    public bool HasExited => _disposed || _process.HasExited;

    public static OperatorProcess Start(string name, IEnumerable<string> arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EksOperator.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"the operator is not built next to the tests ({dll})");
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Smaller heaps and fewer GC threads: several operators share two cores in these runs.
        start.Environment["DOTNET_gcServer"] = "0";
        return new OperatorProcess(name, Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>SIGKILL, and wait until the process is gone so that nothing it had in flight can still act.</summary>
    public void Kill()
    {
        if (_disposed || _process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>The last lines the operator wrote, for a failure message.</summary>
    public string Tail()
    {
        lock (_lines) return $"--- {Name} (pid {Id}) ---\n" + string.Join('\n', _lines);
    }

    public void Dispose()
    {
        Kill();
        _disposed = true;
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }
}
