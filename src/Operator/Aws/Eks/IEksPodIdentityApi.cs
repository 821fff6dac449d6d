namespace EksOperator.Aws.Eks;

/// <summary>
/// EKS Pod Identity associations, shaped as the 2017-11-01 model: synchronous on EKS's side, eventually consistent.
/// An association is addressed by its id; finding one by (namespace, service account) is a filtered List.
/// </summary>
public interface IEksPodIdentityApi
{
    Task<EksPodIdentityAssociation> CreatePodIdentityAssociationAsync(string clusterName, CreatePodIdentityAssociationBody body, CancellationToken cancellationToken = default);

    /// <summary>Null when the association does not exist.</summary>
    Task<EksPodIdentityAssociation?> DescribePodIdentityAssociationAsync(string clusterName, string associationId, CancellationToken cancellationToken = default);

    Task<EksPodIdentityAssociation> UpdatePodIdentityAssociationAsync(string clusterName, string associationId, UpdatePodIdentityAssociationBody body, CancellationToken cancellationToken = default);

    /// <summary>Throws NotFound when it is already gone.</summary>
    Task DeletePodIdentityAssociationAsync(string clusterName, string associationId, CancellationToken cancellationToken = default);

    /// <summary>The associations of one service account (at most one, as EKS allows), every page read.</summary>
    Task<IReadOnlyList<EksPodIdentityAssociationSummary>> ListPodIdentityAssociationsAsync(string clusterName, string @namespace, string serviceAccount, CancellationToken cancellationToken = default);
}
