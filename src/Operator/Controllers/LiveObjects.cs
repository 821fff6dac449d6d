using EksOperator.Aws.Mapping;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers;

/// <summary>
/// Which object UIDs still exist, from the informers' caches: a resource whose owner tag names a UID that no object of
/// any kind has any more may be reclaimed (its owner is gone), one that a live object owns never.
/// </summary>
internal sealed class LiveObjects(IStore<EksCluster> clusters, IStore<ManagedNodeGroup> nodeGroups, IStore<FargateProfile> profiles)
{
    public bool IsLive(string uid) =>
        clusters.List().Any(o => o.Metadata.Uid == uid)
        || nodeGroups.List().Any(o => o.Metadata.Uid == uid)
        || profiles.List().Any(o => o.Metadata.Uid == uid);

    /// <summary>What <paramref name="obj"/> may take over: the adopt annotation, and resources of owners that are gone.</summary>
    public Adoption AdoptionFor(IEksResource obj) => new(Polling.WantsAdoption(obj), IsLive);
}
