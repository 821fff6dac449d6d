using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Admission;

namespace CrdGen.Tests;

/// <summary>Paths in the repository and the committed CRDs, as a user would apply them.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static JsonObject Crd(string plural) =>
        YamlJson.ParseObject(File.ReadAllText(PathOf($"config/crd/eks.operator.dev_{plural}.yaml")));

    public static IEnumerable<string> CrdFiles(string folder) =>
        Directory.GetFiles(PathOf(folder), "*.yaml").Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("repository root not found above the test binaries");
    }
}
