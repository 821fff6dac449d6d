using System.Collections;

namespace EksOperator.Packaging.Tests;

/// <summary>
/// Replays the Dockerfile's build stage outside Docker: copies exactly what its COPY lines copy (minus .dockerignore)
/// into a scratch root, runs its exec-form RUN commands there, then copies the final stage's COPY --from files.
/// So the image's publish command, its layer order and its build context are all exercised, just without an engine.
/// </summary>
public sealed class PublishedOperator : IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("packaging-image-").FullName;

    internal Dockerfile File { get; } = Dockerfile.Parse(Repository.Read("Dockerfile"));

    internal string RootFs => Path.Combine(_scratch, "rootfs");

    /// <summary>Output of each RUN, in order, for failure messages.</summary>
    internal List<(string Command, ProcessResult Result)> Runs { get; } = [];

    /// <summary>Environment the final stage sets (ENV), as the container would see it.</summary>
    internal Dictionary<string, string> FinalEnvironment { get; } = new(StringComparer.Ordinal);

    internal string HostPath(string containerPath) => Path.Combine(RootFs, containerPath.TrimStart('/'));

    public async Task InitializeAsync()
    {
        var build = File.Stages.Single(s => s.Name == "build");
        var ignore = DockerIgnore.Load(Repository.PathOf(".dockerignore"));
        var environment = CleanEnvironment();
        var workdir = "/";
        foreach (var instruction in build.Instructions)
        {
            switch (instruction.Keyword)
            {
                case "WORKDIR":
                    workdir = Resolve(workdir, instruction.Arguments);
                    Directory.CreateDirectory(HostPath(workdir));
                    break;
                case "ENV":
                    foreach (var (key, value) in ParseEnv(instruction.Arguments))
                    {
                        environment[key] = value;
                    }

                    break;
                case "COPY":
                    CopyFromContext(instruction, workdir, ignore);
                    break;
                case "RUN":
                    await RunAsync(instruction, workdir, environment);
                    break;
                default:
                    break;
            }
        }

        var final = File.Stages[^1];
        var finalWorkdir = "/";
        foreach (var instruction in final.Instructions)
        {
            if (instruction.Keyword == "WORKDIR")
            {
                finalWorkdir = Resolve(finalWorkdir, instruction.Arguments);
            }
            else if (instruction.Keyword == "ENV")
            {
                foreach (var (key, value) in ParseEnv(instruction.Arguments))
                {
                    FinalEnvironment[key] = value;
                }
            }
            else if (instruction.Keyword == "COPY")
            {
                var (flags, words) = instruction.Split();
                Assert.True(flags.ContainsKey("from"), $"the final stage copies only from the build stage: COPY {instruction.Arguments}");
                // Same root file system for both stages here: the build output already sits where COPY --from reads it.
                var source = HostPath(words[0]);
                var destination = HostPath(Resolve(finalWorkdir, words[1]));
                if (!string.Equals(Path.GetFullPath(source).TrimEnd('/'), Path.GetFullPath(destination).TrimEnd('/'), StringComparison.Ordinal))
                {
                    CopyDirectory(source, destination, _ => false, "");
                }
            }
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_scratch, recursive: true);
        }
        catch (IOException)
        {
            // A process still holding a file: the temp folder is reclaimed by the OS later.
        }

        return Task.CompletedTask;
    }

    private void CopyFromContext(DockerInstruction instruction, string workdir, DockerIgnore ignore)
    {
        var (flags, words) = instruction.Split();
        Assert.False(flags.ContainsKey("from"), "the build stage copies from the build context only");
        var destination = Resolve(workdir, words[^1]);
        foreach (var source in words[..^1])
        {
            var relative = source.TrimEnd('/');
            var from = Repository.PathOf(relative);
            if (Directory.Exists(from))
            {
                CopyDirectory(from, HostPath(destination), ignore.Excludes, relative);
            }
            else
            {
                Assert.True(System.IO.File.Exists(from), $"COPY source {source} does not exist in the repository");
                var target = words[^1].EndsWith('/') ? Path.Combine(HostPath(destination), Path.GetFileName(from)) : HostPath(destination);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                System.IO.File.Copy(from, target, overwrite: true);
            }
        }
    }

    private static void CopyDirectory(string from, string to, Func<string, bool> excluded, string relativeRoot)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in Directory.EnumerateFileSystemEntries(from))
        {
            var name = Path.GetFileName(entry);
            var relative = relativeRoot.Length == 0 ? name : relativeRoot + "/" + name;
            if (excluded(relative))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                CopyDirectory(entry, Path.Combine(to, name), excluded, relative);
            }
            else
            {
                System.IO.File.Copy(entry, Path.Combine(to, name), overwrite: true);
            }
        }
    }

    private async Task RunAsync(DockerInstruction instruction, string workdir, Dictionary<string, string?> environment)
    {
        var argv = instruction.ExecForm;
        Assert.True(argv is { Count: > 0 }, $"RUN must use the exec form (no shell needed): RUN {instruction.Arguments}");
        Assert.Equal("dotnet", argv[0]);
        // Absolute container paths (e.g. the -o /app output) are mapped into the scratch root.
        var arguments = argv.Skip(1).Select(a => a.StartsWith('/') ? HostPath(a) : a).ToList();
        var result = await Tools.RunAsync(Tools.Require("dotnet"), arguments, TimeSpan.FromMinutes(8), HostPath(workdir), environment);
        Runs.Add((string.Join(' ', argv), result));
        Assert.True(result.ExitCode == 0, $"RUN {string.Join(' ', argv)} failed: {result}");
    }

    private static string Resolve(string workdir, string path) =>
        path.StartsWith('/') ? path : (workdir.TrimEnd('/') + "/" + (path == "./" || path == "." ? "" : path)).TrimEnd('/') + (path.EndsWith('/') ? "/" : "");

    private static IEnumerable<(string Key, string Value)> ParseEnv(string arguments) =>
        arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .Select(kv => (kv[0], kv[1]));

    /// <summary>The test host's MSBuild variables would point the nested build at this build's SDK state; drop them.</summary>
    private static Dictionary<string, string?> CleanEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase))
            {
                environment[key] = null;
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        return environment;
    }
}
