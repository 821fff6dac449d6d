using System.Text;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using k8s;

namespace EksOperator.Integration.Tests;

/// <summary>The kubeconfig outputs GitOps tools use.</summary>
public sealed class OutputTests
{
    [Fact]
    public async Task Token_mode_writes_a_bearer_token_kubeconfig_and_argoCd_a_labelled_cluster_secret()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("tok", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Token, ArgoCd = true, SecretName = "tok-admin" };
        await env.CreateAsync(cluster);
        var ready = await env.ReadyAsync<EksCluster>("tok");
        Assert.Equal("tok-admin", ready.Status!.KubeconfigSecretName);
        Assert.NotNull(ready.Status.KubeconfigRefreshedAt);

        var kubeconfig = Encoding.UTF8.GetString((await env.Client.CoreV1.ReadNamespacedSecretAsync("tok-admin", env.Namespace)).Data["value"]);
        Assert.Contains("token: k8s-aws-v1.", kubeconfig, StringComparison.Ordinal);
        Assert.DoesNotContain("exec:", kubeconfig, StringComparison.Ordinal);
        // The token is a presigned STS GetCallerIdentity URL bound to the cluster name.
        var token = kubeconfig.Split("token: k8s-aws-v1.")[1].Split('\n')[0];
        var url = Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (token.Length % 4)) % 4)));
        Assert.Contains("Action=GetCallerIdentity", url, StringComparison.Ordinal);
        Assert.Contains("x-k8s-aws-id", url, StringComparison.Ordinal);

        var argo = await env.Client.CoreV1.ReadNamespacedSecretAsync("tok-argocd-cluster", env.Namespace);
        Assert.Equal("cluster", argo.Metadata.Labels[Labels.ArgoCdSecretType]);
        Assert.Equal(ready.Status.Endpoint, Encoding.UTF8.GetString(argo.Data["server"]));
        Assert.Contains("\"clusterName\":\"tok\"", Encoding.UTF8.GetString(argo.Data["config"]), StringComparison.Ordinal);
        Assert.Equal("EksCluster", Assert.Single(argo.Metadata.OwnerReferences).Kind);

        // Deleting the cluster removes its outputs too (explicitly: no garbage collector needed).
        await env.DeleteAsync<EksCluster>("tok");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("tok"), c => c is null, "deleted", TimeSpan.FromSeconds(60));
        var secrets = await env.Client.CoreV1.ListNamespacedSecretAsync(env.Namespace);
        Assert.DoesNotContain(secrets.Items, s => s.Metadata.Name.StartsWith("tok-", StringComparison.Ordinal));
    }
}
