using System.Diagnostics;

namespace EksOperator.Aws.Tests.Conformance;

/// <summary>Finds external tools on PATH. Missing tools skip their tests with the reason, except under CI=true, where they fail.</summary>
internal static class ToolAvailability
{
    private static readonly Lazy<string?> MotoProblem = new(FindMotoProblem);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when <c>python3 -m moto.server</c> can run, else why not.</summary>
    public static string? Moto => MotoProblem.Value;

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string? FindMotoProblem()
    {
        var python = FindOnPath("python3");
        if (python is null)
        {
            return "python3 is not on PATH (moto conformance needs `python3 -m moto.server`; pip install 'moto[server]')";
        }

        using var probe = Process.Start(new ProcessStartInfo(python, ["-c", "import moto.server, flask"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var stderr = probe.StandardError.ReadToEndAsync();
        if (!probe.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            probe.Kill(entireProcessTree: true);
            return "python3 -c 'import moto.server' did not finish in 60 s";
        }

        var lastLine = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return probe.ExitCode == 0 ? null : $"moto server is not installed for {python} (pip install 'moto[server]'): {lastLine}";
    }
}

/// <summary>A fact that needs moto: skipped with the reason when moto is missing, unless CI=true (then it runs and fails).</summary>
public sealed class MotoFactAttribute : FactAttribute
{
    public MotoFactAttribute()
    {
        if (ToolAvailability.Moto is { } problem && !ToolAvailability.IsCi)
        {
            Skip = problem;
        }
    }
}
