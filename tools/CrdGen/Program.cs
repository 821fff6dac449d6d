namespace EksOperator.CrdGen;

/// <summary>Writes the generated CRDs: <c>CrdGen [repo-root] [--check]</c>; --check exits 1 when the files differ.</summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var check = args.Contains("--check");
        var root = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? FindRepoRoot();
        var stale = new List<string>();
        foreach (var (fileName, yaml) in CrdGenerator.GenerateAll())
        {
            foreach (var folder in CrdGenerator.OutputFolders)
            {
                var path = Path.Combine(root, folder, fileName);
                var current = File.Exists(path) ? File.ReadAllText(path) : null;
                if (current == yaml) continue;
                stale.Add(path);
                if (!check)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, yaml);
                }
            }
        }

        foreach (var path in stale)
        {
            Console.WriteLine(check ? $"stale: {path}" : $"wrote: {path}");
        }

        return check && stale.Count > 0 ? 1 : 0;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("run from inside the repository or pass its root");
    }
}
