using EksOperator.Entities.V1Alpha1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EksOperator.Integration.Tests;

/// <summary>No secret material (tokens, keys, kubeconfig bodies) in the operator's logs, even at Debug.</summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task A_full_run_at_debug_level_logs_no_token_key_or_kubeconfig()
    {
        var sink = new LogCapture();
        await using var env = await OperatorEnvironment.StartAsync(true, s => s.AddLogging(b => b.AddProvider(sink)), "--Logging:LogLevel:Default=Debug");
        var cluster = Manifests.Cluster("quiet", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Token, ArgoCd = true };
        await env.CreateAsync(cluster);
        await env.CreateAsync(Manifests.NodeGroup("ng", "quiet"));
        var ready = await env.ReadyAsync<EksCluster>("quiet");
        await env.ReadyAsync<ManagedNodeGroup>("ng");
        await env.DeleteAsync<EksCluster>("quiet");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("quiet"), c => c is null, "deleted", TimeSpan.FromSeconds(60));
        await env.StopOperatorAsync();

        var lines = sink.Lines.ToList();
        Assert.True(lines.Count > 50, $"the capture saw only {lines.Count} lines; the test would prove nothing");
        var secrets = new[] { "k8s-aws-v1.", env.Aws.Options.SecretAccessKey, ready.Status!.CertificateAuthorityData!, "certificate-authority-data", "Signature=", "X-Amz-Signature" };
        foreach (var secret in secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"'{secret}' appears in the logs: {leak}");
        }
    }
}
