using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace EksOperator.Integration.Tests;

/// <summary>
/// Every kubectl, helm and aws command in the <c>```sh</c> blocks of README.md and docs/*.md, run with the real tools
/// against a running sandbox (samples applied, operator running). A command the docs show must work as shown.
/// Other commands in those blocks (dotnet run, ./build.sh, docker) are exercised elsewhere: SandboxTests,
/// CI itself, and Packaging.Tests' DockerImageBuildTests.
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    /// <summary>
    /// The documents in the order their commands make sense one after the other: install.md applies the samples and
    /// checks the chart, gitops.md waits, usage.md starts an upgrade, the README watches it and deletes.
    /// </summary>
    private static readonly string[] Order = ["docs/install.md", "docs/gitops.md", "docs/usage.md", "README.md"];

    /// <summary>Commands not run, each with the reason. Keep this short.</summary>
    private static readonly Dictionary<string, string> NotRun = new(StringComparer.Ordinal)
    {
        ["kubectl -n eks-operator-system rollout status deployment/eks-operator"] =
            "the Kubernetes simulator serves no Deployments and runs no pods; Packaging.Tests checks the chart's Deployment",
    };

    /// <summary>
    /// Commands for real AWS that the AWS simulator cannot carry out: the AWS CLI must accept every parameter (it
    /// validates them before sending) and send the call, and the simulator refuses it, which the CLI reports as "when
    /// calling the X operation". CreatePolicy is not simulated; CreatePodIdentityAssociation is, but the documented role
    /// is in another account, so the simulator answers "Role provided in the request does not exist".
    /// </summary>
    private static readonly Dictionary<string, string> NotSimulated = new(StringComparer.Ordinal)
    {
        ["aws iam create-policy"] = "CreatePolicy",
        ["aws eks create-pod-identity-association"] = "CreatePodIdentityAssociation",
    };

    /// <summary>What a real management cluster has before the command, created first (a manifest, then commands).</summary>
    private static readonly Dictionary<string, (string Why, string Manifest, string[] Then)> Preconditions = new(StringComparer.Ordinal)
    {
        ["kubectl -n argocd patch configmap argocd-cm"] = ("Argo CD is installed", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: argocd}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: argocd-cm, namespace: argocd}
            """, []),
        ["kubectl wait --for=condition=Ready ekscluster/prod -n clusters"] = ("a cluster prod with a node group in namespace clusters", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: clusters}
            ---
            apiVersion: eks.operator.dev/v1alpha1
            kind: EksCluster
            metadata: {name: prod, namespace: clusters}
            spec:
              version: "1.33"
              vpc: {subnetSelector: {tags: {kubernetes.io/role/internal-elb: "1"}}}
            ---
            apiVersion: eks.operator.dev/v1alpha1
            kind: ManagedNodeGroup
            metadata: {name: prod-general, namespace: clusters}
            spec:
              clusterRef: {name: prod}
              scaling: {minSize: 1, maxSize: 3, desiredSize: 1}
            """, []),
        ["kubectl wait --for=delete ekscluster/old -n clusters"] = ("a cluster old being deleted", """
            apiVersion: eks.operator.dev/v1alpha1
            kind: EksCluster
            metadata: {name: old, namespace: clusters}
            spec:
              version: "1.33"
              vpc: {subnetSelector: {tags: {kubernetes.io/role/internal-elb: "1"}}}
            """, ["kubectl delete ekscluster/old -n clusters --wait=false"]),
    };

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void The_docs_commands_are_found_and_every_list_entry_names_one()
    {
        var commands = Extract();
        Assert.Contains(commands, c => c.Text.StartsWith("kubectl", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Text.StartsWith("helm", StringComparison.Ordinal));
        Assert.Contains(commands, c => c.Text.StartsWith("aws", StringComparison.Ordinal));
        foreach (var key in NotRun.Keys.Concat(NotSimulated.Keys).Concat(Preconditions.Keys))
        {
            Assert.True(commands.Any(c => c.Text.StartsWith(key, StringComparison.Ordinal)), $"no documented command starts with '{key}': remove the entry");
        }

        var unordered = commands.Select(c => c.File).Distinct().Except(Order).ToList();
        Assert.True(unordered.Count == 0, $"documents with commands but no place in Order: {string.Join(", ", unordered)}");
    }

    [Theory]
    [InlineData("kubectl get eks", "kubectl get eks")]
    [InlineData("kubectl delete ekc platform     # node groups go first", "kubectl delete ekc platform")]
    [InlineData("kubectl patch ekc p -p '{\"a\":\"#1\"}' # c", "kubectl patch ekc p -p '{\"a\":\"#1\"}'")]
    [InlineData("kubectl get cm -o jsonpath=a#b", "kubectl get cm -o jsonpath=a#b")]
    public void Comments_are_stripped_outside_quotes(string line, string expected) =>
        Assert.Equal(expected, StripComment(line));

    [Fact]
    public void Continued_lines_are_joined_and_indented_blocks_found()
    {
        var commands = Parse("x.md", """
            text
              ```sh
              helm upgrade --install a b \
                --set x=1 \
                --set y=2      # why
              docker build .
              ```
            ```yaml
            kubectl not-a-command
            ```
            """);
        Assert.Equal(["helm upgrade --install a b --set x=1 --set y=2"], commands.Select(c => c.Text));
    }

    [ToolFact("kubectl", "helm", "aws")]
    public async Task Every_documented_command_works_against_the_sandbox()
    {
        var commands = Extract();
        await using var sandbox = SandboxProcess.Start([]);
        await sandbox.UpAsync();
        var kubeconfig = await sandbox.KubeconfigAsync();
        var aws = await sandbox.AwsEndpointAsync();
        var credentials = Credentials().Match(sandbox.Output);
        Assert.True(credentials.Success, $"the sandbox prints the AWS credentials:\n{sandbox.Output}");
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = $"{Path.GetDirectoryName(Tools.Require("kubectl"))}{Path.PathSeparator}{Path.GetDirectoryName(Tools.Require("aws"))}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
            ["KUBECONFIG"] = kubeconfig,
            ["KUBECACHEDIR"] = Directory.CreateTempSubdirectory("eksop-docs-kubecache-").FullName,
            ["AWS_ENDPOINT_URL"] = aws.ToString(),
            ["AWS_ACCESS_KEY_ID"] = credentials.Groups["key"].Value,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.Groups["secret"].Value,
            ["AWS_DEFAULT_REGION"] = credentials.Groups["region"].Value,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["AWS_PAGER"] = "",
        };
        var log = new StringBuilder();
        try
        {
            await RunAllAsync(commands, kubeconfig, environment, log);
        }
        finally
        {
            Directory.Delete(environment["KUBECACHEDIR"]!, recursive: true);
        }

        Console.WriteLine(log);
    }

    private static async Task RunAllAsync(List<DocumentedCommand> commands, string kubeconfig, Dictionary<string, string?> environment, StringBuilder log)
    {
        foreach (var command in commands)
        {
            if (NotRun.FirstOrDefault(n => command.Text.StartsWith(n.Key, StringComparison.Ordinal)) is { Key: not null } skip)
            {
                log.AppendLine($"not run: {command}: {skip.Value}");
                continue;
            }

            if (Preconditions.FirstOrDefault(p => command.Text.StartsWith(p.Key, StringComparison.Ordinal)) is { Key: not null } pre)
            {
                var applied = await ShellAsync("kubectl apply -f -", environment, pre.Value.Manifest);
                Assert.True(applied.ExitCode == 0, $"precondition of {command} ({pre.Value.Why}): {applied}");
                foreach (var then in pre.Value.Then)
                {
                    var result = await ShellAsync(then, environment);
                    Assert.True(result.ExitCode == 0, $"precondition of {command} ({pre.Value.Why}): {then}: {result}");
                }
            }

            var run = Substitute(command.Text, kubeconfig);
            if (NotSimulated.FirstOrDefault(n => command.Text.StartsWith(n.Key, StringComparison.Ordinal)) is { Key: not null } unsimulated)
            {
                var answered = await ShellAsync(run, environment);
                Assert.True(answered.Stderr.Contains($"when calling the {unsimulated.Value} operation", StringComparison.Ordinal),
                    $"{command}: the AWS CLI should accept it and send {unsimulated.Value} (which the simulator refuses); ran {run}: {answered}");
                log.AppendLine($"sent, not simulated: {command}");
                continue;
            }

            if (IsWatch(run))
            {
                var first = await FirstLineAsync(run, environment);
                Assert.True(first is not null && first.StartsWith("NAME", StringComparison.Ordinal), $"{command}: the watch printed no table header; ran {run}");
                log.AppendLine($"watched: {command}: {first}");
                continue;
            }

            var outcome = await ShellAsync(run, environment);
            Assert.True(outcome.ExitCode == 0, $"{command} failed; ran {run}\n{outcome}\nearlier:\n{log}");
            log.AppendLine($"ok: {command}");
        }
    }

    internal sealed record DocumentedCommand(string File, int Line, string Text)
    {
        public override string ToString() => $"{File}:{Line}: {Text}";
    }

    /// <summary>The runnable commands of every document, in <see cref="Order"/> (others after, for the check above).</summary>
    private static List<DocumentedCommand> Extract()
    {
        var files = new[] { "README.md" }.Concat(Directory.GetFiles(Repository.PathOf("docs"), "*.md").Select(f => $"docs/{Path.GetFileName(f)}"))
            .OrderBy(f => Array.IndexOf(Order, f) is var i and >= 0 ? i : int.MaxValue).ThenBy(f => f, StringComparer.Ordinal);
        return [.. files.SelectMany(f => Parse(f, Repository.Read(f)))];
    }

    private static List<DocumentedCommand> Parse(string file, string markdown)
    {
        var commands = new List<DocumentedCommand>();
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var inShell = false;
        var inOther = false;
        var pending = new StringBuilder();
        var pendingLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (inShell || inOther)
                {
                    (inShell, inOther) = (false, false);
                }
                else if (line[3..].Trim() is "sh" or "bash" or "shell")
                {
                    inShell = true;
                }
                else
                {
                    inOther = true;
                }

                continue;
            }

            if (!inShell) continue;
            var code = StripComment(line);
            if (pending.Length == 0) pendingLine = i + 1;
            var continued = code.EndsWith('\\');
            pending.Append(continued ? code[..^1].TrimEnd() + " " : code);
            if (continued) continue;
            var text = pending.ToString().Trim();
            pending.Clear();
            if (Runnable().IsMatch(text)) commands.Add(new DocumentedCommand(file, pendingLine, text));
        }

        return commands;
    }

    /// <summary>The line without a shell comment (a # at the start of a word, outside quotes).</summary>
    private static string StripComment(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i].TrimEnd();
            }
        }

        return line.TrimEnd();
    }

    /// <summary>
    /// The command as run here: <c>&lt;path&gt;</c> is the sandbox's kubeconfig and <c>&lt;management-cluster&gt;</c> a
    /// cluster in the AWS simulator; <c>&lt;registry&gt;</c> the docs' example registry; <c>helm upgrade --install</c> becomes <c>helm template</c> with the same chart,
    /// flags and values (checked against values.schema.json), since the simulator serves no Deployments or RBAC to
    /// install into. Any other placeholder fails the test: it needs a substitution here.
    /// </summary>
    private static string Substitute(string command, string kubeconfig)
    {
        var run = command
            .Replace("<path>", kubeconfig.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-') ? kubeconfig : $"'{kubeconfig}'", StringComparison.Ordinal)
            .Replace("<management-cluster>", "platform", StringComparison.Ordinal)
            .Replace("<registry>", "registry.example.com", StringComparison.Ordinal);
        if (run.StartsWith("helm upgrade --install ", StringComparison.Ordinal)) run = "helm template " + run["helm upgrade --install ".Length..];
        Assert.False(Placeholder().IsMatch(run), $"'{command}' has a placeholder the test does not know: add it to Substitute");
        return run;
    }

    private static bool IsWatch(string command) => command.Split(' ').Any(w => w is "-w" or "--watch");

    private static Task<ProcessResult> ShellAsync(string command, IReadOnlyDictionary<string, string?> environment, string? stdin = null) =>
        stdin is null
            ? Tools.RunAsync("sh", ["-c", command], CommandTimeout, Repository.Root, environment)
            : Tools.RunAsync("sh", ["-c", $"{command} <<'MANIFEST'\n{stdin}\nMANIFEST"], CommandTimeout, Repository.Root, environment);

    /// <summary>A watch runs until stopped: its first line of output, then it is ended.</summary>
    private static async Task<string?> FirstLineAsync(string command, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo("sh", ["-c", $"exec {command}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            return await process.StandardOutput.ReadLineAsync().WaitAsync(CommandTimeout, TimeProvider.System);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Console.WriteLine(await stderr);
        }
    }

    [GeneratedRegex(@"^([A-Z_]+=\S*\s+)*(kubectl|helm|aws)(\s|$)")]
    private static partial Regex Runnable();

    [GeneratedRegex(@"<[a-z][a-z-]*>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"AWS_ACCESS_KEY_ID=(?<key>\S+) AWS_SECRET_ACCESS_KEY=(?<secret>\S+) AWS_DEFAULT_REGION=(?<region>\S+)")]
    private static partial Regex Credentials();
}
