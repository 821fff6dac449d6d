using System.Text;
using System.Text.Json.Nodes;
using EksOperator.Aws.Tokens;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Runtime;
using k8s.Models;
using AwsCluster = EksOperator.Aws.Eks.Cluster;

using EksOperator.Controllers.Loop;

namespace EksOperator.Controllers.Kinds.Clusters;

/// <summary>
/// The cluster's outputs: <c>&lt;name&gt;-kubeconfig</c> (Cluster API layout, key <c>value</c>) in Exec or Token mode, and
/// an Argo CD cluster Secret when asked. Both are owned by the EksCluster.
/// </summary>
internal sealed class KubeconfigWriter(IObjectClient objects, IEksTokenGenerator tokens, Polling polling, TimeProvider time)
{
    public static string SecretName(EksCluster cluster) => cluster.Spec.Kubeconfig?.SecretName ?? $"{cluster.Metadata.Name}-kubeconfig";

    public static string ArgoCdSecretName(EksCluster cluster) => $"{cluster.Metadata.Name}-argocd-cluster";

    /// <summary>How soon a Token-mode kubeconfig needs rewriting, or null when it never does.</summary>
    public TimeSpan? NeedsRefresh(EksCluster cluster)
    {
        if (cluster.Spec.Kubeconfig?.Mode != KubeconfigMode.Token) return null;
        var last = cluster.Status?.KubeconfigRefreshedAt;
        var due = (last ?? DateTime.MinValue) + polling.Options.TokenRefreshPeriod;
        var left = due - time.GetUtcNow().UtcDateTime;
        return left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1);
    }

    public async Task WriteAsync(EksCluster cluster, AwsCluster observed, CancellationToken ct)
    {
        var status = cluster.Status!;
        var mode = cluster.Spec.Kubeconfig?.Mode ?? KubeconfigMode.Exec;
        var name = cluster.Spec.Name ?? cluster.Metadata.Name;
        if (mode != KubeconfigMode.None && observed.Endpoint is { } endpoint)
        {
            string? token = null;
            var now = time.GetUtcNow().UtcDateTime;
            if (mode == KubeconfigMode.Token)
            {
                var due = (status.KubeconfigRefreshedAt ?? DateTime.MinValue) + polling.Options.TokenRefreshPeriod;
                if (due > now && await objects.GetAsync<V1Secret>(new ObjectKey(cluster.Metadata.NamespaceProperty!, SecretName(cluster)), ct) is not null)
                {
                    status.KubeconfigSecretName = SecretName(cluster);
                }
                else
                {
                    token = (await tokens.GetTokenAsync(name, ct)).Token;
                    status.KubeconfigRefreshedAt = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
                }
            }

            if (mode == KubeconfigMode.Exec || token is not null)
            {
                var kubeconfig = Kubeconfig(name, status.Region!, endpoint, observed.CertificateAuthority?.Data, token, AssumedRole());
                await UpsertAsync(cluster, SecretName(cluster), new Dictionary<string, string> { ["value"] = kubeconfig }, labels: null, ct);
                status.KubeconfigSecretName = SecretName(cluster);
            }
        }

        if (cluster.Spec.Kubeconfig?.ArgoCd == true && observed.Endpoint is { } server)
        {
            var config = new JsonObject
            {
                ["awsAuthConfig"] = AssumedRole() is { } role ? new JsonObject { ["clusterName"] = name, ["roleARN"] = role } : new JsonObject { ["clusterName"] = name },
                ["tlsClientConfig"] = new JsonObject { ["insecure"] = false, ["caData"] = observed.CertificateAuthority?.Data ?? "" },
            };
            await UpsertAsync(cluster, ArgoCdSecretName(cluster), new Dictionary<string, string>
            {
                ["name"] = name,
                ["server"] = server,
                ["config"] = config.ToJsonString(),
            }, new Dictionary<string, string> { [Labels.ArgoCdSecretType] = "cluster" }, ct);
        }
    }

    public async Task DeleteAsync(EksCluster cluster, CancellationToken ct)
    {
        var ns = cluster.Metadata.NamespaceProperty!;
        await objects.DeleteAsync<V1Secret>(new ObjectKey(ns, SecretName(cluster)), ct);
        await objects.DeleteAsync<V1Secret>(new ObjectKey(ns, ArgoCdSecretName(cluster)), ct);
    }

    private async Task UpsertAsync(EksCluster cluster, string secretName, Dictionary<string, string> data, Dictionary<string, string>? labels, CancellationToken ct)
    {
        var ns = cluster.Metadata.NamespaceProperty!;
        var key = new ObjectKey(ns, secretName);
        var bytes = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value));
        var allLabels = new Dictionary<string, string>(labels ?? []) { [Entities.Labels.Cluster] = cluster.Metadata.Name };
        var existing = await objects.GetAsync<V1Secret>(key, ct);
        if (existing is null)
        {
            await objects.CreateAsync(new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta
                {
                    Name = secretName,
                    NamespaceProperty = ns,
                    Labels = allLabels,
                    OwnerReferences = [OwnerReference(cluster)],
                },
                Type = "Opaque",
                Data = bytes,
            }, ct);
            return;
        }

        var same = existing.Data is not null && bytes.All(b => existing.Data.TryGetValue(b.Key, out var v) && v.AsSpan().SequenceEqual(b.Value));
        if (same) return;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject(allLabels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) },
            ["data"] = new JsonObject(bytes.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)Convert.ToBase64String(b.Value)))),
        };
        await objects.MergePatchAsync<V1Secret>(key, patch, ct);
    }

    internal static V1OwnerReference OwnerReference(EksCluster cluster) => new()
    {
        ApiVersion = OperatorApi.ApiVersion,
        Kind = EksCluster.KubeKind,
        Name = cluster.Metadata.Name,
        Uid = cluster.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>
    /// The role of the cluster's AwsIdentity (the pass's AWS target), which Exec kubeconfigs and Argo CD assume to reach a
    /// cluster in another account; null for the operator's own identity. A chained identity gives its last role.
    /// </summary>
    private static string? AssumedRole() => Aws.AwsScope.Current?.Role?.RoleArn;

    /// <summary>A kubeconfig for the cluster: exec plugin (aws eks get-token, with --role-arn for another account) or a bearer token.</summary>
    internal static string Kubeconfig(string clusterName, string region, string endpoint, string? caData, string? token, string? roleArn = null)
    {
        var yaml = new StringBuilder()
            .Append("apiVersion: v1\n")
            .Append("kind: Config\n")
            .Append("clusters:\n")
            .Append($"- name: {clusterName}\n")
            .Append("  cluster:\n")
            .Append($"    server: {endpoint}\n");
        if (caData is not null) yaml.Append($"    certificate-authority-data: {caData}\n");
        yaml.Append("contexts:\n")
            .Append($"- name: {clusterName}\n")
            .Append("  context:\n")
            .Append($"    cluster: {clusterName}\n")
            .Append($"    user: {clusterName}\n")
            .Append($"current-context: {clusterName}\n")
            .Append("users:\n")
            .Append($"- name: {clusterName}\n")
            .Append("  user:\n");
        if (token is not null)
        {
            yaml.Append($"    token: {token}\n");
        }
        else
        {
            yaml.Append("    exec:\n")
                .Append("      apiVersion: client.authentication.k8s.io/v1beta1\n")
                .Append("      command: aws\n")
                .Append($"      args: [eks, get-token, --cluster-name, {clusterName}, --region, {region}{(roleArn is null ? "" : $", --role-arn, {roleArn}")}, --output, json]\n")
                .Append("      interactiveMode: Never\n");
        }

        return yaml.ToString();
    }
}
