using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace EksOperator.Runtime.Cache;

/// <summary>One informer per kind, shared by every controller that reads or watches that kind.</summary>
internal sealed class SharedInformers(
    KubernetesApi api,
    InformerSettings settings,
    TimeProvider time,
    ILoggerFactory loggers,
    IInformerMetrics metrics) : IInformerCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Type, IInformer> _informers = [];

    public bool HasSynced
    {
        get
        {
            lock (_lock)
            {
                return _informers.Values.All(i => i.HasSynced);
            }
        }
    }

    public IReadOnlyList<IInformer> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _informers.Values];
            }
        }
    }

    public Informer<T> GetOrAdd<T>(ResourceType resource)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            if (_informers.TryGetValue(typeof(T), out var existing))
            {
                var informer = (Informer<T>)existing;
                if (informer.Resource != resource)
                {
                    throw new InvalidOperationException($"{typeof(T).Name} is registered as both {informer.Resource} and {resource}.");
                }

                return informer;
            }

            var created = new Informer<T>(api, resource, settings, time, loggers.CreateLogger($"EksOperator.Runtime.Informer.{resource.Kind}"), metrics);
            _informers[typeof(T)] = created;
            return created;
        }
    }

    public IStore<T> GetStore<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            return _informers.TryGetValue(typeof(T), out var informer)
                ? ((Informer<T>)informer).Store
                : throw new InvalidOperationException($"{typeof(T).Name} is not watched; register it as a controller's kind or a watched source.");
        }
    }
}
