using System.Globalization;
using Xunit.Abstractions;

namespace EksOperator.Integration.Tests.Chaos;

/// <summary>
/// One chaos run's dice and settings. The seed comes from EKSOP_CHAOS_SEED (to replay a failure) or is drawn; it is
/// printed first, and every failure message repeats it. EKSOP_CHAOS_LONG=1 (<c>./build.sh chaos --long</c>) runs
/// deeper: more stacks, more changes, more kills.
/// </summary>
internal sealed class ChaosRun
{
    private readonly ITestOutputHelper _output;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public ChaosRun(ITestOutputHelper output, string scenario)
    {
        _output = output;
        Seed = int.TryParse(Environment.GetEnvironmentVariable("EKSOP_CHAOS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next(1, int.MaxValue);
        Long = Environment.GetEnvironmentVariable("EKSOP_CHAOS_LONG") == "1";
        Random = new Random(Seed);
        Scenario = scenario;
        Log($"seed {Seed} ({(Long ? "long" : "short")} run); replay with EKSOP_CHAOS_SEED={Seed} ./build.sh chaos{(Long ? " --long" : "")}");
    }

    public int Seed { get; }

    public bool Long { get; }

    public string Scenario { get; }

    /// <summary>Every random choice of the scenario comes from here, so the seed replays it.</summary>
    public Random Random { get; }

    public void Log(string message)
    {
        var line = $"[chaos {Scenario} +{(DateTimeOffset.UtcNow - _started).TotalSeconds:F1}s] {message}";
        _output.WriteLine(line);
        // Also on the console, so that `dotnet test` shows the seed of a run that hangs or is cancelled.
        Console.Error.WriteLine(line);
    }

    /// <summary>A failure message that carries the seed.</summary>
    public string Because(string what) => $"{what} (chaos seed {Seed}; replay with EKSOP_CHAOS_SEED={Seed})";
}
