using System.Diagnostics;

namespace EksOperator.TestSupport;

/// <summary>Whether moto's server can run here (python3 found by <see cref="Tools.Locate"/>, with moto and flask importable).</summary>
public static class Moto
{
    private static readonly Lazy<string?> MotoProblem = new(FindMotoProblem);

    /// <summary>Null when <c>python3 -m moto.server</c> can run, else why not.</summary>
    public static string? Problem => MotoProblem.Value;

    /// <summary>The python3 that runs moto's server.</summary>
    public static string? Python => Tools.Locate("python3");

    private static string? FindMotoProblem()
    {
        var python = Python;
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
        if (Moto.Problem is { } problem && !Tools.InCi)
        {
            Skip = problem;
        }
    }
}
