using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace EksOperator.Runtime;

/// <summary>The shared informers' stores, one per kind, for reconcilers and mapping functions.</summary>
public interface IInformerCache
{
    /// <summary>True once every informer has loaded its first full list (what <c>/readyz</c> reports).</summary>
    bool HasSynced { get; }

    /// <summary>The store of a kind the runtime watches (registered as a controller's kind or a watched source).</summary>
    IStore<T> GetStore<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
