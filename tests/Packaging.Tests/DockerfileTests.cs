using System.Xml.Linq;

namespace EksOperator.Packaging.Tests;

/// <summary>Static checks of the Dockerfile (no Docker engine is needed or used).</summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Parse(Repository.Read("Dockerfile"));

    private static DockerStage Final => File.Stages[^1];

    private static DockerStage Build => File.Stages.Single(s => s.Name == "build");

    [Fact]
    public void Is_multi_stage_sdk_build_then_chiseled_aspnet_runtime()
    {
        Assert.True(File.Stages.Count >= 2);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", Build.BaseImage, StringComparison.Ordinal);
        // ASP.NET Core serves the probes, so the runtime image must carry the ASP.NET Core shared framework.
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Final.BaseImage, StringComparison.Ordinal);
        Assert.Contains("chiseled", Final.BaseImage, StringComparison.Ordinal);
    }

    [Fact]
    public void Final_stage_runs_as_non_root_without_a_shell()
    {
        var user = Assert.Single(Final.All("USER")).Arguments;
        Assert.DoesNotMatch("^(root|0)(:.*)?$", user);
        Assert.Equal("$APP_UID", user);
        // Chiseled images have no shell: nothing may RUN in the final stage, in either form.
        Assert.Empty(Final.All("RUN"));
        var entrypoint = Assert.Single(Final.All("ENTRYPOINT"));
        Assert.Equal(["dotnet", "/app/EksOperator.dll"], entrypoint.ExecForm);
        Assert.DoesNotContain(Final.All("CMD"), c => c.ExecForm is null);
        Assert.All(Final.All("COPY"), c => Assert.StartsWith("--from=build ", c.Arguments, StringComparison.Ordinal));
    }

    [Fact]
    public void Final_stage_writes_nothing_outside_tmp()
    {
        var env = Final.All("ENV").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains("DOTNET_EnableDiagnostics=0", env); // no IPC sockets or dumps on the root file system
        Assert.Contains("TMPDIR=/tmp", env);
        Assert.Contains("Listen=http://0.0.0.0:8080", env);
        Assert.Equal("8080", Assert.Single(Final.All("EXPOSE")).Arguments);
    }

    [Fact]
    public void Build_stage_restores_from_project_files_before_copying_sources()
    {
        var instructions = Build.Instructions;
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.ExecForm is { } a && a.Contains("restore"));
        var publish = instructions.FindIndex(i => i.Keyword == "RUN" && i.ExecForm is { } a && a.Contains("publish"));
        Assert.True(restore >= 0 && publish > restore, "restore, then publish");

        var copiedBeforeRestore = instructions.Take(restore).Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Split().Words.SkipLast(1)).ToList();
        // Only build settings and project files before the restore, so source edits keep the restore layer cached.
        Assert.All(copiedBeforeRestore, path => Assert.True(
            path.EndsWith(".csproj", StringComparison.Ordinal) || path.EndsWith(".props", StringComparison.Ordinal)
            || path is "global.json" or ".editorconfig", $"{path} copied before restore"));
        foreach (var required in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.Contains(required, copiedBeforeRestore);
        }

        // Every project the operator references (transitively) is copied before the restore.
        foreach (var project in ProjectClosure("src/Operator/EksOperator.csproj"))
        {
            Assert.Contains(project, copiedBeforeRestore);
        }

        var publishArgs = instructions[publish].ExecForm!;
        Assert.Contains("src/Operator/EksOperator.csproj", publishArgs);
        Assert.Contains("--no-restore", publishArgs);
        Assert.Equal("Release", publishArgs[publishArgs.ToList().IndexOf("-c") + 1]);
    }

    [Fact]
    public void Dockerignore_keeps_build_output_out_of_the_context()
    {
        var ignore = DockerIgnore.Load(Repository.PathOf(".dockerignore"));
        Assert.True(ignore.Excludes("src/Operator/bin/Debug/net10.0/EksOperator.dll"));
        Assert.True(ignore.Excludes("src/Operator/obj/project.assets.json"));
        Assert.True(ignore.Excludes(".git/HEAD"));
        Assert.True(ignore.Excludes(".tools/bin/helm"));
        Assert.False(ignore.Excludes("src/Operator/EksOperator.csproj"));
        Assert.False(ignore.Excludes("Directory.Build.props"));
    }

    /// <summary>Repository-relative paths of a project and every project it references, transitively.</summary>
    private static SortedSet<string> ProjectClosure(string project)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            if (!result.Add(current))
            {
                continue;
            }

            var dir = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(Repository.PathOf(current)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(Repository.PathOf(dir), reference.Attribute("Include")!.Value));
                pending.Push(Path.GetRelativePath(Repository.Root, full).Replace('\\', '/'));
            }
        }

        return result;
    }
}
