namespace EksOperator.Simulators.Aws;

/// <summary>
/// One simulated account: its id and the long-term access key pair of its one IAM user (<see cref="UserArn"/>), whose
/// signature makes a request answered from this account's state.
/// </summary>
public sealed record AwsAccount(string Id, string AccessKeyId, string SecretAccessKey)
{
    /// <summary>What GetCallerIdentity answers for the long-term key: arn:aws:iam::ID:user/operator.</summary>
    public string UserArn => $"arn:aws:iam::{Id}:user/operator";
}
