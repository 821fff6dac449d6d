using k8s;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Simulators.Aws;
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

    [Fact]
    public async Task Assumed_role_sessions_appear_in_no_log_status_or_event_at_debug_level()
    {
        var sink = new LogCapture();
        await using var env = await OperatorEnvironment.StartAsync(new AwsSimulatorOptions { Accounts = 2 }, true, s => s.AddLogging(b => b.AddProvider(sink)), "--Logging:LogLevel:Default=Debug");
        var (a, b) = (env.Aws.Accounts[0], env.Aws.Accounts[1]);
        env.Aws.Seed(b.Id, new AwsSeed
        {
            Roles = [new AwsSeedRole
            {
                Name = "eks-operator-quiet",
                AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole"}]}""".Replace("ACCOUNT", a.Id, StringComparison.Ordinal),
            }],
        });
        await env.Client.CustomObjects.CreateClusterCustomObjectAsync(new AwsIdentity
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "quiet" },
            Spec = new AwsIdentitySpec { RoleArn = $"arn:aws:iam::{b.Id}:role/eks-operator-quiet", NamespaceSelector = new NamespaceSelector { MatchNames = [env.Namespace] } },
        }, Entities.OperatorApi.Group, Entities.OperatorApi.Version, Entities.OperatorApi.Plurals.AwsIdentities);
        var cluster = Manifests.Cluster("quiet", env.Aws.DefaultNetworkOf(b.Id).PrivateSubnetIds);
        cluster.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Token, ArgoCd = true };
        await env.CreateAsync(cluster);
        var ready = await env.ReadyAsync<EksCluster>("quiet");
        Assert.Equal(b.Id, ready.Status!.Identity!.AccountId);
        await env.StopOperatorAsync();

        var secrets = env.Aws.SessionSecrets();
        Assert.NotEmpty(secrets);
        var identity = await env.Client.CustomObjects.GetClusterCustomObjectAsync(Entities.OperatorApi.Group, Entities.OperatorApi.Version, Entities.OperatorApi.Plurals.AwsIdentities, "quiet");
        var events = await env.Client.CoreV1.ListNamespacedEventAsync(env.Namespace);
        var texts = sink.Lines
            .Append(System.Text.Json.JsonSerializer.Serialize(identity))
            .Append(k8s.KubernetesJson.Serialize(ready))
            .Concat(events.Items.Select(e => e.Message ?? ""))
            .ToList();
        Assert.True(texts.Count > 20 && sink.Lines.Any(l => l.Contains("quiet", StringComparison.Ordinal)), $"only {texts.Count} texts; the test would prove nothing");
        foreach (var secret in secrets.Append(b.SecretAccessKey).Append(a.SecretAccessKey))
        {
            var leak = texts.FirstOrDefault(t => t.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a session secret appears: {leak}");
        }
    }
}
