using System.Globalization;
using EksOperator.Simulators.Aws;

namespace EksOperator.OnSimulators;

/// <summary>
/// Builds the operator's command line against the simulators: the AWS simulator's endpoint and credentials, a
/// kubeconfig, an ephemeral listening port, no leader election and quiet logs. Callers add what they tune
/// (poll bounds, resync, expected durations); the operator's configuration takes the last value of a key, so a
/// later argument overrides an earlier one.
/// </summary>
public sealed class OperatorArguments
{
    private readonly List<string> _args;

    private OperatorArguments(List<string> args) => _args = args;

    /// <summary>The arguments every caller needs to run the operator against <paramref name="aws"/> and the API server of <paramref name="kubeconfig"/>.</summary>
    public static OperatorArguments Against(AwsSimulator aws, string kubeconfig)
    {
        ArgumentNullException.ThrowIfNull(aws);
        var o = aws.Options;
        return new(
        [
            // Port 0: several operators (tests, replicas) run side by side; the bound address is logged and in Urls.
            "--Listen=http://127.0.0.1:0",
            $"--Kubernetes:Kubeconfig={kubeconfig}",
            $"--Operator:Region={o.Region}",
            // A single replica per process; the leader-election tests turn it back on.
            "--Runtime:LeaderElection:Enabled=false",
            $"--Aws:EndpointUrl={aws.BaseAddress}",
            $"--Aws:AccessKeyId={o.AccessKeyId}",
            $"--Aws:SecretAccessKey={o.SecretAccessKey}",
            $"--Aws:AccountId={o.AccountId}",
            // The simulated issuers (oidc.eks.<region>.amazonaws.com) are not this simulator: no TLS lookup of their thumbprint.
            "--Aws:OidcThumbprint=9e99a48a9960b14926bb7f3b02e22da2b0ab7280",
            "--Logging:LogLevel:Default=Warning",
        ]);
    }

    /// <summary>Sets the configuration key <paramref name="key"/> (sections separated by ':').</summary>
    public OperatorArguments Set(string key, string value)
    {
        _args.Add($"--{key}={value}");
        return this;
    }

    /// <summary>Sets a period, in the invariant "c" format the configuration binder reads.</summary>
    public OperatorArguments Set(string key, TimeSpan value) => Set(key, value.ToString("c", CultureInfo.InvariantCulture));

    /// <summary>Sets a number, written with the invariant culture.</summary>
    public OperatorArguments Set(string key, double value) => Set(key, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The bounds of the operator's polling while AWS changes a resource.</summary>
    public OperatorArguments PollBetween(TimeSpan min, TimeSpan max) =>
        Set("Operator:MinPollInterval", min).Set("Operator:MaxPollInterval", max);

    /// <summary>
    /// The operator first looks at a changing resource when AWS typically finishes; against a simulator whose
    /// durations are scaled by <paramref name="timeScale"/>, so are the expected durations.
    /// </summary>
    public OperatorArguments ExpectedDurationsScaled(double timeScale) => Set("Operator:ExpectedDurations:Scale", timeScale);

    /// <summary>Arguments as they are, e.g. a test's overrides.</summary>
    public OperatorArguments Add(IEnumerable<string> args)
    {
        _args.AddRange(args);
        return this;
    }

    /// <summary>The command line, in the order the parts were added.</summary>
    public string[] ToArray() => [.. _args];
}
