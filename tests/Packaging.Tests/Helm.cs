using System.Text.Json.Nodes;

namespace EksOperator.Packaging.Tests;

/// <summary>Runs the real helm against charts/eks-operator.</summary>
internal static class Helm
{
    public const string Release = "eks-operator";
    public const string Namespace = "eks-operator-system";
    public static readonly string Chart = Repository.PathOf("charts/eks-operator");

    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        Tools.RunAsync(Tools.Require("helm"), arguments, TimeSpan.FromSeconds(60), environment: new Dictionary<string, string?>
        {
            // Keep helm's caches and config out of the user's home and away from any real cluster.
            ["HELM_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "packaging-tests-helm", "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "packaging-tests-helm", "config"),
            ["HELM_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "packaging-tests-helm", "data"),
            ["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "packaging-tests-helm", "no-kubeconfig"),
        });

    /// <summary>`helm template` with the given --set values; fails the test when helm fails.</summary>
    public static async Task<Manifests> TemplateAsync(params string[] sets)
    {
        var result = await RunAsync(TemplateArguments(sets));
        Assert.True(result.ExitCode == 0, $"helm template failed: {result}");
        return new Manifests(Yaml.ParseDocuments(result.Stdout));
    }

    public static string[] TemplateArguments(params string[] sets) =>
        ["template", Release, Chart, "--namespace", Namespace, "--include-crds", .. sets.SelectMany(s => new[] { "--set", s })];
}

/// <summary>Rendered objects, looked up by kind and name.</summary>
internal sealed class Manifests(List<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> All => objects;

    public IEnumerable<JsonObject> OfKind(string kind) => objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind) => Assert.Single(OfKind(kind));

    public JsonObject Single(string kind, string name) => Assert.Single(OfKind(kind), o => (string?)o["metadata"]!["name"] == name);

    public JsonObject Deployment => Single("Deployment");

    public JsonObject Container => (JsonObject)Assert.Single(Deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!;

    public string? Env(string name) =>
        Container["env"]!.AsArray().Select(e => e!.AsObject()).FirstOrDefault(e => (string?)e["name"] == name)?["value"]?.GetValue<string>();

    public IEnumerable<string> EnvNames => Container["env"]!.AsArray().Select(e => (string)e!["name"]!);
}
