using System.Text;
using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>The cluster's outputs: the kubeconfig Secret (Exec or Token) and the Argo CD cluster Secret.</summary>
public sealed class KubeconfigTests
{
    private readonly Harness _h = new();

    private V1Secret? Secret(string name) => _h.Kube.Store<V1Secret>().TryGet(new ObjectKey(Harness.Ns, name), out var s) ? s : null;

    private static string Text(V1Secret secret, string key) => Encoding.UTF8.GetString(secret.Data[key]);

    [Fact]
    public async Task The_exec_kubeconfig_is_a_complete_config_for_aws_eks_get_token()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Name = "prod");

        var secret = Secret("c1-kubeconfig")!;

        Assert.Equal(
            """
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod
              cluster:
                server: https://prod.eks.example
                certificate-authority-data: Q0EtREFUQQ==
            contexts:
            - name: prod
              context:
                cluster: prod
                user: prod
            current-context: prod
            users:
            - name: prod
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: aws
                  args: [eks, get-token, --cluster-name, prod, --region, us-east-1, --output, json]
                  interactiveMode: Never

            """.ReplaceLineEndings("\n"), Text(secret, "value"));
        Assert.Equal(("v1", "Secret", "Opaque"), (secret.ApiVersion, secret.Kind, secret.Type));
        Assert.Equal("c1", secret.Metadata.Labels[Labels.Cluster]);
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal((OperatorApi.ApiVersion, "EksCluster", "c1", "uid-c1", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
    }

    [Fact]
    public async Task A_token_kubeconfig_carries_the_token_and_no_CA_line_when_EKS_reports_none()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Token, SecretName = "access" });
        _h.Eks.Change("c1", c => c with { CertificateAuthority = null });
        _h.Time.Advance(_h.Options.TokenRefreshPeriod);

        await _h.ReconcileAsync<EksCluster>("c1");

        var text = Text(Secret("access")!, "value");
        Assert.EndsWith("users:\n- name: c1\n  user:\n    token: k8s-aws-v1.c1-2\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate-authority-data", text, StringComparison.Ordinal);
        Assert.DoesNotContain("exec:", text, StringComparison.Ordinal);
        Assert.Null(Secret("c1-kubeconfig"));
        Assert.Equal("access", _h.Get<EksCluster>("c1").Status!.KubeconfigSecretName);
        Assert.Equal(new DateTime(2026, 5, 1, 10, 10, 0, DateTimeKind.Utc), _h.Get<EksCluster>("c1").Status!.KubeconfigRefreshedAt);
    }

    [Fact]
    public async Task A_token_refresh_that_is_overdue_is_looked_at_a_second_later()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.Token });
        _h.Time.Advance(TimeSpan.FromMilliseconds(1500));
        _h.SetStatus<EksCluster>("c1", c => c.Status!.KubeconfigRefreshedAt = new DateTime(2026, 5, 1, 9, 0, 0, DateTimeKind.Utc));

        var writer = new Controllers.Kinds.Clusters.KubeconfigWriter(_h.Kube, _h.Tokens, _h.Polling, _h.Time);
        Assert.Equal(TimeSpan.FromSeconds(1), writer.NeedsRefresh(_h.Get<EksCluster>("c1")));
        Assert.Null(writer.NeedsRefresh(Objects.Cluster()));
        // Refreshed times are whole seconds.
        _h.Edit<EksCluster>("c1", _ => { });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(new DateTime(2026, 5, 1, 10, 0, 1, DateTimeKind.Utc), _h.Get<EksCluster>("c1").Status!.KubeconfigRefreshedAt);
    }

    [Fact]
    public async Task The_Argo_CD_secret_says_how_to_reach_the_cluster()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Kubeconfig = new KubeconfigOutput { Mode = KubeconfigMode.None, ArgoCd = true });

        Assert.Null(Secret("c1-kubeconfig"));
        var argo = Secret("c1-argocd-cluster")!;
        Assert.Equal("c1", Text(argo, "name"));
        Assert.Equal("https://c1.eks.example", Text(argo, "server"));
        var config = JsonNode.Parse(Text(argo, "config"))!;
        Assert.Equal("c1", config["awsAuthConfig"]!["clusterName"]!.GetValue<string>());
        Assert.False(config["tlsClientConfig"]!["insecure"]!.GetValue<bool>());
        Assert.Equal("Q0EtREFUQQ==", config["tlsClientConfig"]!["caData"]!.GetValue<string>());
        Assert.Equal(["argocd.argoproj.io/secret-type=cluster", "eks.operator.dev/cluster=c1"], argo.Metadata.Labels.Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_unchanged_secret_is_not_written_again_and_a_changed_one_is_patched()
    {
        await _h.ActiveClusterAsync();
        var version = Secret("c1-kubeconfig")!.Metadata.ResourceVersion;

        _h.Edit<EksCluster>("c1", _ => { });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(version, Secret("c1-kubeconfig")!.Metadata.ResourceVersion);

        _h.Eks.Change("c1", c => c with { Endpoint = "https://moved.eks.example" });
        _h.Edit<EksCluster>("c1", _ => { });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Contains("server: https://moved.eks.example", Text(Secret("c1-kubeconfig")!, "value"), StringComparison.Ordinal);
        Assert.Equal("c1", Secret("c1-kubeconfig")!.Metadata.Labels[Labels.Cluster]);
    }

    [Fact]
    public async Task Both_secrets_go_with_the_cluster()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Kubeconfig = new KubeconfigOutput { ArgoCd = true });
        Assert.NotNull(Secret("c1-argocd-cluster"));
        await _h.DeleteAsync<EksCluster>("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.FinishDeleting("c1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Null(Secret("c1-kubeconfig"));
        Assert.Null(Secret("c1-argocd-cluster"));
    }
}
