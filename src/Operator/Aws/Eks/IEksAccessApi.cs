namespace EksOperator.Aws.Eks;

/// <summary>
/// EKS access entries and their access-policy associations, shaped as the 2017-11-01 model. Synchronous on EKS's
/// side (no Update to follow), eventually consistent. Describe returns null when the entry does not exist.
/// </summary>
public interface IEksAccessApi
{
    Task<EksAccessEntry> CreateAccessEntryAsync(string clusterName, CreateAccessEntryBody body, CancellationToken cancellationToken = default);

    Task<EksAccessEntry?> DescribeAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default);

    Task<EksAccessEntry> UpdateAccessEntryAsync(string clusterName, string principalArn, UpdateAccessEntryBody body, CancellationToken cancellationToken = default);

    /// <summary>Deletes the entry and its policy associations; throws NotFound when it is already gone.</summary>
    Task DeleteAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default);

    /// <summary>Every associated policy, every page read.</summary>
    Task<IReadOnlyList<EksAssociatedAccessPolicy>> ListAssociatedAccessPoliciesAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default);

    /// <summary>Associates the policy, or replaces the scope of an existing association.</summary>
    Task AssociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, EksAccessScope scope, CancellationToken cancellationToken = default);

    Task DisassociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, CancellationToken cancellationToken = default);
}
