using EksOperator.Runtime.Cache;
using EksOperator.Runtime.Queue;
using EksOperator.Runtime.Reconciliation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EksOperator.Runtime;

/// <summary>Registers kinds, indexes and controllers with the runtime (returned by <c>AddControllerRuntime</c>).</summary>
public sealed class ControllerRuntimeBuilder
{
    internal ControllerRuntimeBuilder(IServiceCollection services, RuntimeRegistrations registrations)
    {
        Services = services;
        Registrations = registrations;
    }

    public IServiceCollection Services { get; }

    internal RuntimeRegistrations Registrations { get; }

    /// <summary>Declares where a kind lives when its <see cref="KubernetesEntityAttribute"/> is missing or not wanted.</summary>
    public ControllerRuntimeBuilder AddResource<T>(ResourceType resource)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Registrations.Types.Register(typeof(T), resource);
        return this;
    }

    /// <summary>Caches a kind without a controller of its own, so reconcilers can read it from <see cref="IStore{T}"/>.</summary>
    public ControllerRuntimeBuilder Watch<T>()
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Services.TryAddSingleton<IStore<T>>(sp => sp.GetRequiredService<ControllerManager>().Informers.GetStore<T>());
        Registrations.Informers.Add(ctx => ctx.Informers.GetOrAdd<T>(ctx.Types.Get<T>()));
        return this;
    }

    /// <summary>Adds a secondary index to a kind's store (e.g. "objects referring to cluster X"); watches the kind.</summary>
    public ControllerRuntimeBuilder AddIndex<T>(string name, Func<T, IEnumerable<string>> indexer)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(indexer);
        Watch<T>();
        Registrations.Indexes.Add(ctx => ctx.Informers.GetOrAdd<T>(ctx.Types.Get<T>()).AddIndexer(name, indexer));
        return this;
    }

    /// <summary>
    /// Adds a controller for kind <typeparamref name="T"/>: a watch of the kind, a work queue, workers, and
    /// <typeparamref name="TReconciler"/> resolved in a new DI scope for every pass.
    /// </summary>
    public ControllerRuntimeBuilder AddController<T, TReconciler>(Action<ControllerBuilder<T>>? configure = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
        where TReconciler : class, IReconciler<T>
    {
        Services.AddScoped<IReconciler<T>, TReconciler>();
        var builder = new ControllerBuilder<T>(this);
        configure?.Invoke(builder);
        Watch<T>();
        Registrations.Controllers.Add(builder.Build);
        return this;
    }
}

/// <summary>Options of one controller.</summary>
public sealed class ControllerBuilder<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ControllerRuntimeBuilder _runtime;
    private readonly List<Action<SetupContext, Controller<T>>> _watches = [];
    private string? _name;
    private int? _workers;

    internal ControllerBuilder(ControllerRuntimeBuilder runtime) => _runtime = runtime;

    /// <summary>Where the kind lives, when not from its <see cref="KubernetesEntityAttribute"/>.</summary>
    public ControllerBuilder<T> WithResource(ResourceType resource)
    {
        _runtime.AddResource<T>(resource);
        return this;
    }

    /// <summary>The controller's name in logs and metrics; defaults to the kind in lower case.</summary>
    public ControllerBuilder<T> WithName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>Concurrent reconciles of this kind; defaults to <see cref="ControllerRuntimeOptions.Workers"/>.</summary>
    public ControllerBuilder<T> WithWorkers(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _workers = workers;
        return this;
    }

    /// <summary>Adds an index to this kind's store.</summary>
    public ControllerBuilder<T> WithIndex(string name, Func<T, IEnumerable<string>> indexer)
    {
        _runtime.AddIndex(name, indexer);
        return this;
    }

    /// <summary>
    /// A change to a <typeparamref name="TSource"/> enqueues the keys of <typeparamref name="T"/> that
    /// <paramref name="map"/> returns (e.g. a cluster enqueues its node groups, found through an index).
    /// The map sees both the old and the new state of an update.
    /// </summary>
    public ControllerBuilder<T> Watches<TSource>(Func<TSource, IInformerCache, IEnumerable<ObjectKey>> map)
        where TSource : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        _runtime.Watch<TSource>();
        _watches.Add((ctx, controller) => ctx.Informers.GetOrAdd<TSource>(ctx.Types.Get<TSource>())
            .Subscribe(controller.MapFrom<TSource>(source => map(source, ctx.Informers))));
        return this;
    }

    internal IController Build(SetupContext ctx)
    {
        var options = ctx.Options;
        var resource = ctx.Types.Get<T>();
        var name = _name ?? resource.Kind.ToLowerInvariant();
        var informer = ctx.Informers.GetOrAdd<T>(resource);
        var queue = new WorkQueue<ObjectKey>(
            RateLimiters.Default<ObjectKey>(options.RateLimits, ctx.Time),
            ctx.Time,
            ctx.Metrics.ForQueue(name));
        var controller = new Controller<T>(
            new ControllerSettings(name, _workers ?? options.Workers, options.ResyncPeriod, options.ResyncJitter),
            queue,
            informer.Store,
            ctx.Services.GetRequiredService<IServiceScopeFactory>(),
            ctx.Time,
            ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger($"EksOperator.Runtime.Controller.{resource.Kind}"),
            ctx.Services.GetRequiredService<IEventRecorder>(),
            ctx.Metrics);
        informer.Subscribe(controller.OnOwnEvent);
        foreach (var watch in _watches)
        {
            watch(ctx, controller);
        }

        return controller;
    }
}

/// <summary>What registrations need when the manager is built.</summary>
internal sealed record SetupContext(
    IServiceProvider Services,
    SharedInformers Informers,
    ResourceTypes Types,
    ControllerRuntimeOptions Options,
    TimeProvider Time,
    RuntimeMetrics Metrics);

/// <summary>Everything registered through <see cref="ControllerRuntimeBuilder"/>, applied in order: informers, indexes, controllers.</summary>
internal sealed class RuntimeRegistrations
{
    public ResourceTypes Types { get; } = new();

    public List<Action<SetupContext>> Informers { get; } = [];

    public List<Action<SetupContext>> Indexes { get; } = [];

    public List<Func<SetupContext, IController>> Controllers { get; } = [];
}
