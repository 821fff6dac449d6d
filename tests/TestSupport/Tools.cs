using System.Diagnostics;
using System.Text;

namespace EksOperator.TestSupport;

/// <summary>The one lookup of the external programs tests drive (kubectl, helm, aws, lua5.4, python3, dotnet): PATH, then the repository's .tools/bin that ./build.sh tools fills.</summary>
public static class Tools
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? Locate(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Append(Repository.PathOf(".tools/bin"));
        return dirs.Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, OperatingSystem.IsWindows() ? name + ".exe" : name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The tool's path; under CI=true a missing tool fails the test instead of skipping it.</summary>
    public static string Require(string name) =>
        Locate(name) ?? throw new InvalidOperationException($"{name} is required but was not found on PATH (./build.sh tools installs it)");

    /// <summary>Why a test needing <paramref name="name"/> skips, or null when it runs (always null under CI=true).</summary>
    public static string? SkipReasonFor(string name) =>
        InCi || Locate(name) is not null ? null : $"{name} not found on PATH (run ./build.sh tools); skipped outside CI";

    public static async Task<ProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
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
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}:\n{await stdout}\n{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() =>
        new StringBuilder().Append("exit ").Append(ExitCode).Append("\nstdout:\n").Append(Stdout).Append("\nstderr:\n").Append(Stderr).ToString();
}

/// <summary>A fact that needs external tools: skipped with the reason when one is absent, except under CI=true.</summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        if (tools.Select(Tools.SkipReasonFor).FirstOrDefault(r => r is not null) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs an external tool: skipped with the reason when it is absent, except under CI=true.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(string tool)
    {
        if (Tools.SkipReasonFor(tool) is { } reason)
        {
            Skip = reason;
        }
    }
}
