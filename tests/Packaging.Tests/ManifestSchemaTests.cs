using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EksOperator.Packaging.Tests;

/// <summary>
/// Every rendered and committed manifest must map onto the Kubernetes API types field by field: a misspelt or misplaced
/// field (which kubectl would reject, or worse, silently drop) fails here. The KubernetesClient models are the schema.
/// </summary>
public sealed class ManifestSchemaTests
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["Deployment"] = typeof(V1Deployment),
        ["ServiceAccount"] = typeof(V1ServiceAccount),
        ["ClusterRole"] = typeof(V1ClusterRole),
        ["ClusterRoleBinding"] = typeof(V1ClusterRoleBinding),
        ["Role"] = typeof(V1Role),
        ["RoleBinding"] = typeof(V1RoleBinding),
        ["Service"] = typeof(V1Service),
        ["PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["CustomResourceDefinition"] = typeof(V1CustomResourceDefinition),
        ["ConfigMap"] = typeof(V1ConfigMap),
    };

    static ManifestSchemaTests() =>
        KubernetesJson.AddJsonOptions(options => options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);

    [ToolTheory("helm")]
    [InlineData("")]
    [InlineData("watchNamespaces={team-a,team-b};aws.roleArn=arn:aws:iam::111122223333:role/eks-operator")]
    [InlineData("replicaCount=1;leaderElection.enabled=false;metrics.service.enabled=false;extraEnv[0].name=X;extraEnv[0].value=y")]
    public async Task Rendered_chart_objects_are_valid_api_objects(string sets)
    {
        var rendered = await Helm.TemplateAsync(sets.Split(';', StringSplitOptions.RemoveEmptyEntries));
        Assert.NotEmpty(rendered.All);
        foreach (var obj in rendered.All)
        {
            AssertValid(obj);
        }
    }

    [Fact]
    public void Committed_manifests_are_valid_api_objects()
    {
        var files = Directory.GetFiles(Repository.PathOf("config/rbac"), "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .Append(Repository.PathOf("config/argocd/argocd-cm.yaml"));
        foreach (var file in files)
        {
            AssertValid(Yaml.ParseSingle(File.ReadAllText(file)));
        }
    }

    [Fact]
    public void A_misspelt_field_is_caught()
    {
        var deployment = Yaml.ParseSingle("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: c
                      image: i
                      securityContext: {readOnlyRootFileSystem: true}
            """);
        Assert.ThrowsAny<JsonException>(() => AssertValid(deployment));
    }

    private static void AssertValid(JsonObject obj)
    {
        var kind = (string)obj["kind"]!;
        Assert.True(Types.TryGetValue(kind, out var type), $"no API type mapped for kind {kind}");
        var json = obj.ToJsonString();
        var typed = typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethod && m.GetParameters() is [{ ParameterType: var p }, ..] && p == typeof(string))
            .MakeGenericMethod(type);
        try
        {
            Assert.NotNull(typed.Invoke(null, [json, null]));
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException is JsonException inner)
        {
            throw new JsonException($"{kind} {(string?)obj["metadata"]?["name"]}: {inner.Message}", inner);
        }
    }
}
