using EksOperator.Aws.Mapping;
using EksOperator.Controllers.Kinds;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;

namespace EksOperator.Controllers.Loop;

/// <summary>
/// Which object UIDs still exist, from the informers' caches of every registered kind: a resource whose owner tag names
/// a UID that no object has any more may be reclaimed (its owner is gone), one that a live object owns never.
/// </summary>
internal sealed class LiveObjects(IInformerCache cache)
{
    public bool IsLive(string uid) => KindRegistry.All.Any(kind => kind.HasUid(cache, uid));

    /// <summary>What <paramref name="obj"/> may take over: the adopt annotation, and resources of owners that are gone.</summary>
    public Adoption AdoptionFor(IEksResource obj) => new(Polling.WantsAdoption(obj), IsLive);
}
