using EksOperator.Aws.Transport;
using static EksOperator.Aws.Eks.EksRest;

namespace EksOperator.Aws.Eks;

/// <summary>restJson1 mapping of <see cref="IEksPodIdentityApi"/>.</summary>
internal sealed class EksPodIdentityClient(AwsTransport transport) : IEksPodIdentityApi
{
    private const string Collection = "/clusters/{name}/pod-identity-associations";
    private const string One = Collection + "/{associationId}";
    private readonly EksRest _rest = new(transport);
    private static EksPodIdentityJsonContext Json => EksPodIdentityJsonContext.Default;

    public async Task<EksPodIdentityAssociation> CreatePodIdentityAssociationAsync(string clusterName, CreatePodIdentityAssociationBody body, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("CreatePodIdentityAssociation", Collection, [Label("name", clusterName)], body, Json.CreatePodIdentityAssociationBody, Json.PodIdentityAssociationEnvelope, cancellationToken)).Association);

    public async Task<EksPodIdentityAssociation?> DescribePodIdentityAssociationAsync(string clusterName, string associationId, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribePodIdentityAssociation", One, Labels(clusterName, associationId), [], Json.PodIdentityAssociationEnvelope, cancellationToken))?.Association;

    public async Task<EksPodIdentityAssociation> UpdatePodIdentityAssociationAsync(string clusterName, string associationId, UpdatePodIdentityAssociationBody body, CancellationToken cancellationToken = default) =>
        Required((await _rest.PostAsync("UpdatePodIdentityAssociation", One, Labels(clusterName, associationId), body, Json.UpdatePodIdentityAssociationBody, Json.PodIdentityAssociationEnvelope, cancellationToken)).Association);

    public async Task DeletePodIdentityAssociationAsync(string clusterName, string associationId, CancellationToken cancellationToken = default) =>
        await _rest.DeleteAsync("DeletePodIdentityAssociation", One, Labels(clusterName, associationId), [], Json.PodIdentityAssociationEnvelope, cancellationToken);

    public async Task<IReadOnlyList<EksPodIdentityAssociationSummary>> ListPodIdentityAssociationsAsync(string clusterName, string @namespace, string serviceAccount, CancellationToken cancellationToken = default)
    {
        var all = new List<EksPodIdentityAssociationSummary>();
        string? next = null;
        do
        {
            var query = Paging(100, next);
            query.Add(Query("namespace", @namespace));
            query.Add(Query("serviceAccount", serviceAccount));
            var page = await _rest.GetAsync("ListPodIdentityAssociations", Collection, [Label("name", clusterName)], query, Json.ListPodIdentityAssociationsResponse, cancellationToken);
            all.AddRange(page.Associations ?? []);
            next = NextPage(page.NextToken, next, "ListPodIdentityAssociations");
        }
        while (next is not null);

        return all;
    }

    private static KeyValuePair<string, string>[] Labels(string clusterName, string associationId) => [Label("name", clusterName), Label("associationId", associationId)];
}
