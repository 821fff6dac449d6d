using EksOperator.Aws;
using EksOperator.Controllers.Kinds;
using EksOperator.Runtime;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EksOperator.Hosting;

/// <summary>
/// Builds the operator: controller runtime, one loop per registered kind (<see cref="KindRegistry"/>), AWS clients, probes and metrics.
/// Configuration (appsettings, environment with __ separators, or --Key=value):
/// <list type="bullet">
/// <item><c>Operator:*</c> — <see cref="OperatorOptions"/> (Region, poll intervals, resync, Shard).</item>
/// <item><c>Runtime:*</c> — the controller runtime (namespaces, workers, rate limits, leader election).</item>
/// <item><c>Aws:OwnedRolePolicies</c>, <c>Aws:OwnedRoleBoundaryArn</c> — what roles created for workloads may carry.</item>
/// <item><c>Aws:EndpointUrl</c> — one endpoint for EKS, IAM, EC2 and STS (simulators, VPC endpoints); or per service
/// <c>Aws:Eks:ServiceUrl</c> etc. <c>Aws:AccessKeyId</c>/<c>Aws:SecretAccessKey</c> only for simulators: otherwise the
/// AWS SDK's default chain (IRSA, Pod Identity, instance profile) is used.</item>
/// <item><c>Kubernetes:Kubeconfig</c> — a kubeconfig file; default: KUBECONFIG, ~/.kube/config, or in-cluster.</item>
/// <item><c>Listen</c> — probe and metrics address, default http://0.0.0.0:8080.</item>
/// </list>
/// </summary>
public static class OperatorHost
{
    /// <summary>The User-Agent product of the operator's Kubernetes requests.</summary>
    public const string UserAgent = "eks-operator";

    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var config = builder.Configuration;
        builder.WebHost.UseUrls(config["Listen"] ?? "http://0.0.0.0:8080");
        var services = builder.Services;

        // Both validated when the host starts (source-generated validators, no reflection), like the runtime's options.
        services.AddOptions<OperatorOptions>().Bind(config.GetSection("Operator")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsAnnotations>();
        services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidator>();
        // The Aws room reads its section and builds the credentials; the EKS and EC2 calls go to the operator's region.
        services.AddSingleton(WorkloadRolePolicyFrom(config));
        services.AddEksOperatorAws(config.GetSection("Aws"), config["Operator:Region"] ?? new OperatorOptions().Region);

        services.AddSingleton<IKubernetes>(_ =>
        {
            var kubernetes = new Kubernetes(config["Kubernetes:Kubeconfig"] is { Length: > 0 } kubeconfig
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
                : KubernetesClientConfiguration.BuildDefaultConfig());
            // Audit logs (and the simulator's access records) tell the operator's requests apart by this.
            var agent = kubernetes.HttpClient.DefaultRequestHeaders.UserAgent;
            var library = agent.ToList();
            agent.Clear();
            agent.Add(new System.Net.Http.Headers.ProductInfoHeaderValue(UserAgent, "0.1"));
            // A shard's replicas say which shard they serve (audit logs, the simulator's write log).
            if (config["Operator:Shard"] is { Length: > 0 } shard) agent.Add(new System.Net.Http.Headers.ProductInfoHeaderValue($"(shard {shard})"));
            foreach (var product in library) agent.Add(product);
            return kubernetes;
        });

        services.AddControllerRuntime(options =>
            {
                options.EventSource = "eks-operator";
                options.LeaderElection.LeaseName = "eks-operator-leader";
                // The operator's own kinds are split into shards by their label; what it reads besides is watched whole.
                options.Sharding.LabelKey = Entities.Labels.Shard;
                options.Sharding.Groups.Add(Entities.OperatorApi.Group);
                options.Sharding.Shard = config["Operator:Shard"];
                config.GetSection("Runtime").Bind(options);
            })
            .AddKinds();

        configureServices?.Invoke(services);

        var app = builder.Build();
        app.MapControllerRuntimeEndpoints();
        return app;
    }
    /// <summary>
    /// <c>Aws:OwnedRolePolicies</c> (a list: <c>Aws:OwnedRolePolicies:0</c>, ...; default the add-on policies) and
    /// <c>Aws:OwnedRoleBoundaryArn</c>: what the workload roles the operator creates may carry.
    /// </summary>
    private static Aws.Roles.WorkloadRolePolicy WorkloadRolePolicyFrom(IConfiguration config)
    {
        var allowed = config.GetSection("Aws:OwnedRolePolicies").GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToList();
        return new Aws.Roles.WorkloadRolePolicy(
            allowed.Count > 0 ? allowed : Aws.Roles.WorkloadRolePolicy.DocumentedAddonPolicies,
            config["Aws:OwnedRoleBoundaryArn"] is { Length: > 0 } boundary ? boundary : null);
    }
}
