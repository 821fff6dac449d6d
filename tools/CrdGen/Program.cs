namespace EksOperator.CrdGen;

/// <summary>Writes the generated CRDs and the chart's copies of repository files: <c>CrdGen [repo-root] [--check]</c>; --check exits 1 when the files differ.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var check = args.Contains("--check");
        var root = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? FindRepoRoot();
        var stale = new List<string>();
        foreach (var (relative, text) in Outputs(root))
        {
            var path = Path.Combine(root, relative);
            var current = File.Exists(path) ? File.ReadAllText(path) : null;
            if (current == text) continue;
            stale.Add(path);
            if (!check)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
        }

        foreach (var path in stale)
        {
            Console.WriteLine(check ? $"stale: {path}" : $"wrote: {path}");
        }

        return check && stale.Count > 0 ? 1 : 0;
    }

    /// <summary>Every generated file as (path relative to the root, text): each CRD in each folder, then the chart's copies.</summary>
    private static IEnumerable<(string Relative, string Text)> Outputs(string root) =>
        CrdGenerator.GenerateAll()
            .SelectMany(crd => CrdGenerator.OutputFolders.Select(folder => (Path.Combine(folder, crd.FileName), crd.Yaml)))
            .Concat(ChartCopies.GenerateAll(root));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("run from inside the repository or pass its root");
    }
}
