using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace EksOperator.Runtime;

/// <summary>Probe and metrics endpoints for the operator's web host.</summary>
public static class RuntimeEndpoints
{
    /// <summary>
    /// Maps <c>/healthz</c> (the runtime's loops are alive), <c>/readyz</c> (every cache has synced; followers are
    /// ready too, so a rollout does not wait for leadership) and <c>/metrics</c> (Prometheus text format).
    /// </summary>
    public static IEndpointRouteBuilder MapControllerRuntimeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var manager = endpoints.ServiceProvider.GetRequiredService<ControllerManager>();
        var metrics = endpoints.ServiceProvider.GetRequiredService<RuntimeMetrics>();
        endpoints.MapGet("/healthz", () => manager.IsHealthy ? Results.Text("ok") : Results.Text("runtime loop failed", statusCode: 500));
        endpoints.MapGet("/readyz", () => manager.IsReady ? Results.Text("ok") : Results.Text("caches not synced", statusCode: 503));
        endpoints.MapMetrics(settings => settings.Registry = metrics.Registry, "/metrics");
        return endpoints;
    }
}
