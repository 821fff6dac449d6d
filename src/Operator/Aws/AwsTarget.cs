namespace EksOperator.Aws;

/// <summary>
/// A role the operator assumes with STS AssumeRole, from <see cref="Source"/> when it is chained, else from the
/// operator's own credentials. The account is the role's.
/// </summary>
public sealed record AwsAssumedRole(string RoleArn, string? ExternalId = null, string SessionName = "eks-operator", int DurationSeconds = 3600, AwsAssumedRole? Source = null)
{
    /// <summary>The 12-digit account of <see cref="RoleArn"/> (arn:aws:iam::ACCOUNT:role/NAME).</summary>
    public string AccountId => RoleArn.Split(':') is [_, _, _, _, { Length: 12 } account, ..] ? account : throw new FormatException($"not an IAM role ARN: {RoleArn}");

    /// <summary>How many roles deep the chain is (1: assumed from the operator's own credentials).</summary>
    public int Depth => 1 + (Source?.Depth ?? 0);
}

/// <summary>Where the AWS calls of one reconcile go: a region, and the role to act as (null: the operator's own identity).</summary>
public sealed record AwsTarget(string Region, AwsAssumedRole? Role = null)
{
    /// <summary>Whether calls to this target are the operator's own: its credentials, in its configured region.</summary>
    public static bool IsOwn(AwsTarget? target, string ownRegion) => target is null || (target.Role is null && target.Region == ownRegion);
}

/// <summary>
/// The AWS target of the code running now (an async flow): a reconcile pass sets it once, and every client it calls,
/// however deep, signs with that target's credentials for that region, under that account's rate limits. Without a
/// scope the operator's own identity and configured region are used, as before.
/// </summary>
public static class AwsScope
{
    private static readonly AsyncLocal<AwsTarget?> Ambient = new();

    public static AwsTarget? Current => Ambient.Value;

    /// <summary>Sets the target until the returned handle is disposed (then the previous one is back).</summary>
    public static IDisposable Use(AwsTarget? target)
    {
        var previous = Ambient.Value;
        Ambient.Value = target;
        return new Restore(previous);
    }

    private sealed class Restore(AwsTarget? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
