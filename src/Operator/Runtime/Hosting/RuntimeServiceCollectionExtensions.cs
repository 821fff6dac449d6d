using EksOperator.Runtime.Client;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;

namespace EksOperator.Runtime;

/// <summary>Registers the controller runtime.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the runtime: options (validated at start), the Kubernetes client (unless one is registered:
    /// from kubeconfig or in-cluster config), shared informers, status patcher, finalizers, event recorder,
    /// metrics and the manager as a hosted service. Add controllers on the returned builder.
    /// </summary>
    public static ControllerRuntimeBuilder AddControllerRuntime(this IServiceCollection services, Action<ControllerRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ControllerRuntimeOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return AddCore(services);
    }

    /// <summary>As <see cref="AddControllerRuntime(IServiceCollection, Action{ControllerRuntimeOptions})"/>, with options bound from configuration.</summary>
    public static ControllerRuntimeBuilder AddControllerRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ControllerRuntimeOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static ControllerRuntimeBuilder AddCore(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(RuntimeRegistrations))?.ImplementationInstance as RuntimeRegistrations;
        if (existing is not null)
        {
            return new ControllerRuntimeBuilder(services, existing);
        }

        var registrations = new RuntimeRegistrations();
        services.AddSingleton(registrations);
        services.AddSingleton(registrations.Types);
        services.AddOptions<ControllerRuntimeOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ControllerRuntimeOptions>, ControllerRuntimeOptionsValidator>();
        services.AddSingleton<IValidateOptions<ControllerRuntimeOptions>, ControllerRuntimeOptionsAnnotations>();

        // The host must wait for the drain (and the lease release after it) instead of abandoning it at its own deadline.
        services.AddOptions<HostOptions>().PostConfigure<IOptions<ControllerRuntimeOptions>>((host, runtime) =>
        {
            var needed = runtime.Value.ShutdownTimeout + TimeSpan.FromSeconds(15);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(_ => new Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig()));
        services.TryAddSingleton(sp => sp.GetRequiredService<IKubernetes>() as Kubernetes
            ?? throw new InvalidOperationException("The controller runtime needs IKubernetes to be a k8s.Kubernetes (it reuses its HttpClient and credentials)."));
        services.TryAddSingleton(sp => KubernetesApi.From(sp.GetRequiredService<Kubernetes>()));
        services.TryAddSingleton(_ => new RuntimeMetrics(Metrics.DefaultRegistry));

        services.TryAddSingleton<ControllerManager>();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerManager>());
        services.TryAddSingleton<IInformerCache>(sp => sp.GetRequiredService<ControllerManager>().Informers);
        services.TryAddSingleton<IStatusPatcher, StatusPatcher>();
        services.TryAddSingleton<IFinalizers, Finalizers>();
        services.TryAddSingleton<IEventRecorder, EventRecorder>();
        services.TryAddSingleton<IObjectClient, ObjectClient>();
        services.TryAddSingleton<IShards, Shards>();
        return new ControllerRuntimeBuilder(services, registrations);
    }
}

/// <summary>Data-annotation rules of the options, including nested objects (source-generated).</summary>
[OptionsValidator]
internal sealed partial class ControllerRuntimeOptionsAnnotations : IValidateOptions<ControllerRuntimeOptions>;
