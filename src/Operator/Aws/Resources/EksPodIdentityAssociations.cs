using EksOperator.Aws.Eks;
using EksOperator.Aws.Mapping;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Resources;

/// <summary>One UpdatePodIdentityAssociation that brings the association to its spec, with what it corrects.</summary>
public sealed record PodIdentityChange(IReadOnlyList<DriftEntry> Drift, UpdatePodIdentityAssociationBody Body);

/// <summary>EKS Pod Identity associations, in the operator's terms.</summary>
public interface IEksPodIdentityAssociations
{
    /// <summary>
    /// The association of the service account: by the id recorded in status when there is one, else the one EKS lists
    /// for (namespace, service account). Null when there is none.
    /// </summary>
    Task<EksPodIdentityAssociation?> FindAsync(string clusterName, string? associationId, string @namespace, string serviceAccount, CancellationToken cancellationToken);

    Task<EksPodIdentityAssociation> CreateAsync(string clusterName, PodIdentityAssociationSpec spec, string roleArn, Owner owner, CancellationToken cancellationToken);

    /// <summary>What differs from the spec (the role to use is <paramref name="roleArn"/>), as one update; null when nothing does.</summary>
    PodIdentityChange? ChangeFor(PodIdentityAssociationSpec spec, string roleArn, EksPodIdentityAssociation observed);

    Task ApplyAsync(string clusterName, string associationId, PodIdentityChange change, CancellationToken cancellationToken);

    Task DeleteAsync(string clusterName, string associationId, CancellationToken cancellationToken);
}

internal sealed class EksPodIdentityAssociations(IEksPodIdentityApi eks) : IEksPodIdentityAssociations
{
    public async Task<EksPodIdentityAssociation?> FindAsync(string clusterName, string? associationId, string @namespace, string serviceAccount, CancellationToken cancellationToken)
    {
        if (associationId is not null && await eks.DescribePodIdentityAssociationAsync(clusterName, associationId, cancellationToken) is { } known
            && known.Namespace == @namespace && known.ServiceAccount == serviceAccount)
        {
            return known;
        }

        // No id yet (a crash after the create, or adoption), or the recorded one is gone: EKS allows one per service account.
        var listed = await eks.ListPodIdentityAssociationsAsync(clusterName, @namespace, serviceAccount, cancellationToken);
        return listed.FirstOrDefault(a => a.Namespace == @namespace && a.ServiceAccount == serviceAccount)?.AssociationId is { } id
            ? await eks.DescribePodIdentityAssociationAsync(clusterName, id, cancellationToken)
            : null;
    }

    public Task<EksPodIdentityAssociation> CreateAsync(string clusterName, PodIdentityAssociationSpec spec, string roleArn, Owner owner, CancellationToken cancellationToken) =>
        eks.CreatePodIdentityAssociationAsync(clusterName, new CreatePodIdentityAssociationBody
        {
            Namespace = spec.Namespace,
            ServiceAccount = spec.ServiceAccount,
            RoleArn = roleArn,
            TargetRoleArn = spec.TargetRoleArn,
            DisableSessionTags = spec.DisableSessionTags == true ? true : null,
            Tags = owner.TagsWith(spec.Tags),
            ClientRequestToken = owner.CreateToken("pod-identity"),
        }, cancellationToken);

    public PodIdentityChange? ChangeFor(PodIdentityAssociationSpec spec, string roleArn, EksPodIdentityAssociation observed)
    {
        var drift = new List<DriftEntry>();
        var body = new UpdatePodIdentityAssociationBody();
        if (observed.RoleArn != roleArn)
        {
            drift.Add(new DriftEntry { Field = spec.RoleArn is null ? "spec.policyArns" : "spec.roleArn", Desired = roleArn, Actual = observed.RoleArn });
            body = body with { RoleArn = roleArn };
        }

        if (NullIfEmpty(spec.TargetRoleArn) != NullIfEmpty(observed.TargetRoleArn))
        {
            drift.Add(new DriftEntry { Field = "spec.targetRoleArn", Desired = spec.TargetRoleArn ?? "(none)", Actual = observed.TargetRoleArn ?? "(none)" });
            body = body with { TargetRoleArn = spec.TargetRoleArn ?? "" }; // an empty string removes it
        }

        var sessionTagsOff = spec.DisableSessionTags == true;
        if (sessionTagsOff != (observed.DisableSessionTags == true))
        {
            drift.Add(new DriftEntry { Field = "spec.disableSessionTags", Desired = Bool(sessionTagsOff), Actual = Bool(!sessionTagsOff) });
            body = body with { DisableSessionTags = sessionTagsOff };
        }

        return drift.Count > 0 ? new PodIdentityChange(drift, body) : null;
    }

    public async Task ApplyAsync(string clusterName, string associationId, PodIdentityChange change, CancellationToken cancellationToken) =>
        await eks.UpdatePodIdentityAssociationAsync(clusterName, associationId, change.Body, cancellationToken);

    public async Task DeleteAsync(string clusterName, string associationId, CancellationToken cancellationToken)
    {
        try
        {
            await eks.DeletePodIdentityAssociationAsync(clusterName, associationId, cancellationToken);
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            // Gone already: what deletion wanted.
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Bool(bool value) => value ? "true" : "false";
}
