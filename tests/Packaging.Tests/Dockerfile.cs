using System.Text;
using System.Text.Json;

namespace EksOperator.Packaging.Tests;

/// <summary>One Dockerfile instruction: keyword, raw arguments, and the exec-form array when the arguments are JSON.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    public IReadOnlyList<string>? ExecForm
    {
        get
        {
            if (!Arguments.TrimStart().StartsWith('['))
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<string[]>(Arguments);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>Flags such as --from=build and the remaining words of a COPY.</summary>
    public (Dictionary<string, string> Flags, List<string> Words) Split()
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (var word in Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                flags[eq < 0 ? word[2..] : word[2..eq]] = eq < 0 ? "" : word[(eq + 1)..];
            }
            else
            {
                words.Add(word);
            }
        }

        return (flags, words);
    }
}

internal sealed record DockerStage(string BaseImage, string? Name, List<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => string.Equals(i.Keyword, keyword, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A small Dockerfile reader: comments, line continuations, global ARGs and FROM … AS stages.</summary>
internal sealed class Dockerfile
{
    public List<DockerStage> Stages { get; } = [];

    public Dictionary<string, string> GlobalArgs { get; } = new(StringComparer.Ordinal);

    public static Dockerfile Parse(string text)
    {
        var file = new Dockerfile();
        var logical = new StringBuilder();
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (logical.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue; // comment lines inside a continued instruction
            }

            if (line.EndsWith('\\'))
            {
                logical.Append(line[..^1]).Append(' ');
                continue;
            }

            logical.Append(line);
            file.Add(logical.ToString().Trim());
            logical.Clear();
        }

        return file;
    }

    private void Add(string instruction)
    {
        var space = instruction.IndexOf(' ', StringComparison.Ordinal);
        var keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
        var arguments = space < 0 ? "" : instruction[(space + 1)..].Trim();
        if (keyword == "FROM")
        {
            var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            var name = words.Count >= 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
            Stages.Add(new DockerStage(Expand(words[0]), name, []));
        }
        else if (Stages.Count == 0)
        {
            Assert.Equal("ARG", keyword); // only ARG may precede the first FROM
            var eq = arguments.IndexOf('=', StringComparison.Ordinal);
            GlobalArgs[eq < 0 ? arguments : arguments[..eq]] = eq < 0 ? "" : arguments[(eq + 1)..];
        }
        else
        {
            Stages[^1].Instructions.Add(new DockerInstruction(keyword, arguments));
        }
    }

    private string Expand(string value)
    {
        foreach (var (name, arg) in GlobalArgs)
        {
            value = value.Replace("${" + name + "}", arg, StringComparison.Ordinal).Replace("$" + name, arg, StringComparison.Ordinal);
        }

        return value;
    }
}

/// <summary>.dockerignore patterns of the forms this repository uses: <c>name/</c>, <c>**/name/</c>, <c>**/*.ext</c>.</summary>
internal sealed class DockerIgnore(IReadOnlyList<string> patterns)
{
    public static DockerIgnore Load(string path) =>
        new(File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList());

    /// <summary>True when the context-relative path (forward slashes) is excluded.</summary>
    public bool Excludes(string relative)
    {
        var segments = relative.Split('/');
        foreach (var raw in patterns)
        {
            var pattern = raw.TrimEnd('/');
            if (pattern.StartsWith("**/", StringComparison.Ordinal))
            {
                var tail = pattern[3..];
                if (tail.StartsWith("*.", StringComparison.Ordinal) ? segments[^1].EndsWith(tail[1..], StringComparison.Ordinal) : segments.Contains(tail, StringComparer.Ordinal))
                {
                    return true;
                }
            }
            else if (relative == pattern || relative.StartsWith(pattern + "/", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
