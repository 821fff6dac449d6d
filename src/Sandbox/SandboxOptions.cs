using System.Globalization;

namespace EksOperator.Sandbox;

/// <summary>Command-line flags of the sandbox.</summary>
internal sealed record SandboxOptions
{
    public string? Only { get; init; }
    public int KubePort { get; init; }
    public int AwsPort { get; init; }
    /// <summary>The kubeconfig <c>--kubeconfig</c> named (kept after exit); null: a per-run file, removed on exit.</summary>
    public string? Kubeconfig { get; init; }
    public double TimeScale { get; init; } = 0.01;
    public bool ExitWhenReady { get; init; }
    public bool NoSamples { get; init; }
    public bool NoOperator { get; init; }

    /// <summary>AWS accounts the AWS simulator holds (the first is the operator's own).</summary>
    public int Accounts { get; init; } = 1;

    public const string Usage = """
        usage: dotnet run --project src/Sandbox -- [flags]
          --only kube|aws        run one simulator alone
          --kube-port N          Kubernetes API port (default: any free port)
          --aws-port N           AWS API port (default: any free port)
          --kubeconfig PATH      write the kubeconfig there and keep it (default: a file of this run's, removed on exit)
          --time-scale F         multiply AWS durations by F (default 0.01: a cluster is ACTIVE in about 7 s)
          --exit-when-ready      exit once everything is up (for scripts and tests)
          --no-samples           do not apply config/samples
          --no-operator          simulators only
          --accounts N           AWS accounts in the AWS simulator (default 1); each is printed with its keys
        """;

    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--only" => options with { Only = ParseOnly(Next()) },
                "--kube-port" => options with { KubePort = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--aws-port" => options with { AwsPort = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--kubeconfig" => options with { Kubeconfig = Path.GetFullPath(Next()) },
                "--time-scale" => options with { TimeScale = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--exit-when-ready" => options with { ExitWhenReady = true },
                "--no-samples" => options with { NoSamples = true },
                "--no-operator" => options with { NoOperator = true },
                "--accounts" => options with { Accounts = ParseAccounts(Next()) },
                _ => throw new ArgumentException($"unknown flag {args[i]}"),
            };
        }

        return options;
    }

    private static int ParseAccounts(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 50 ? n : throw new ArgumentException("--accounts takes a number from 1 to 50");

    private static string ParseOnly(string value) =>
        value is "kube" or "aws" ? value : throw new ArgumentException("--only takes kube or aws");
}
