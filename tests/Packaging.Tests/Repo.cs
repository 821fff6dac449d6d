namespace EksOperator.Packaging.Tests;

/// <summary>Paths in the repository under test.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static string FixturesDir => Path.Combine(AppContext.BaseDirectory, "Fixtures");

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
