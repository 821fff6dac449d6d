namespace EksOperator.TestSupport;

/// <summary>The repository under test, found above the test binaries (by its solution file).</summary>
public static class Repository
{
    public static readonly string Root = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EksOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above the test binaries");
    }
}
