using EksOperator.Aws.Transport;
using static EksOperator.Aws.Eks.EksRest;

namespace EksOperator.Aws.Eks;

/// <summary>restJson1 mapping of <see cref="IEksAccessApi"/>. Principal and policy ARNs are single path labels (percent-encoded by the transport).</summary>
internal sealed class EksAccessClient(AwsTransport transport) : IEksAccessApi
{
    private const string Entry = "/clusters/{name}/access-entries/{principalArn}";
    private readonly EksRest _rest = new(transport);
    private static EksAccessJsonContext Json => EksAccessJsonContext.Default;

    public async Task<EksAccessEntry> CreateAccessEntryAsync(string clusterName, CreateAccessEntryBody body, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("CreateAccessEntry", "/clusters/{name}/access-entries", [Label("name", clusterName)], body, Json.CreateAccessEntryBody, Json.AccessEntryEnvelope, cancellationToken)).AccessEntry);

    public async Task<EksAccessEntry?> DescribeAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeAccessEntry", Entry, Labels(clusterName, principalArn), [], Json.AccessEntryEnvelope, cancellationToken))?.AccessEntry;

    public async Task<EksAccessEntry> UpdateAccessEntryAsync(string clusterName, string principalArn, UpdateAccessEntryBody body, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("UpdateAccessEntry", Entry, Labels(clusterName, principalArn), body, Json.UpdateAccessEntryBody, Json.AccessEntryEnvelope, cancellationToken)).AccessEntry);

    public async Task DeleteAccessEntryAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default) =>
        await _rest.DeleteAsync("DeleteAccessEntry", Entry, Labels(clusterName, principalArn), [], Json.EmptyResponse, cancellationToken);

    public async Task<IReadOnlyList<EksAssociatedAccessPolicy>> ListAssociatedAccessPoliciesAsync(string clusterName, string principalArn, CancellationToken cancellationToken = default)
    {
        var all = new List<EksAssociatedAccessPolicy>();
        string? next = null;
        do
        {
            var page = await _rest.GetAsync("ListAssociatedAccessPolicies", Entry + "/access-policies", Labels(clusterName, principalArn), Paging(100, next), Json.ListAssociatedAccessPoliciesResponse, cancellationToken);
            all.AddRange(page.AssociatedAccessPolicies ?? []);
            next = NextPage(page.NextToken, next, "ListAssociatedAccessPolicies");
        }
        while (next is not null);

        return all;
    }

    public async Task AssociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, EksAccessScope scope, CancellationToken cancellationToken = default) =>
        await _rest.PostAsync("AssociateAccessPolicy", Entry + "/access-policies", Labels(clusterName, principalArn), new AssociateAccessPolicyBody(policyArn, scope),
            Json.AssociateAccessPolicyBody, Json.AssociateAccessPolicyResponse, cancellationToken);

    public async Task DisassociateAccessPolicyAsync(string clusterName, string principalArn, string policyArn, CancellationToken cancellationToken = default) =>
        await _rest.DeleteAsync("DisassociateAccessPolicy", Entry + "/access-policies/{policyArn}", [.. Labels(clusterName, principalArn), Label("policyArn", policyArn)], [],
            Json.EmptyResponse, cancellationToken);

    private static KeyValuePair<string, string>[] Labels(string clusterName, string principalArn) => [Label("name", clusterName), Label("principalArn", principalArn)];
}
