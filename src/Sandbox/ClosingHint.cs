namespace EksOperator.Sandbox;

/// <summary>What the sandbox has running when it is up, and so what its closing hint may tell the user to try.</summary>
/// <param name="Kubeconfig">The kubeconfig of the Kubernetes simulator; null when it does not run (<c>--only aws</c>).</param>
/// <param name="AwsEndpoint">The AWS simulator's endpoint; null when it does not run (<c>--only kube</c>).</param>
/// <param name="OperatorRuns">Whether the operator reconciles in this process.</param>
/// <param name="Clusters">The EksClusters that exist now.</param>
/// <param name="Samples">How to name config/samples on a command line run from the current directory.</param>
internal sealed record SandboxState(string? Kubeconfig, Uri? AwsEndpoint, bool OperatorRuns, IReadOnlyList<ObjectName> Clusters, string Samples);

/// <summary>A namespaced object's name.</summary>
internal sealed record ObjectName(string Namespace, string Name);

/// <summary>The "Try: …" lines printed once the sandbox is up; they name only objects and programs that exist.</summary>
internal static class ClosingHint
{
    public static IReadOnlyList<string> Lines(SandboxState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var lines = new List<string>();
        if (state.Kubeconfig is { } kubeconfig)
        {
            var kubectl = $"kubectl --kubeconfig {Shell.Quote(kubeconfig)}";
            if (state.Clusters.Count == 0)
            {
                lines.Add($"{kubectl} apply -f {Shell.Quote(state.Samples)}");
                lines.Add(state.OperatorRuns
                    ? $"{kubectl} get eks   # the operator creates them in the AWS simulator"
                    : $"{kubectl} get eks   # stored and admitted; no operator runs here, so no status");
            }
            else
            {
                var cluster = state.Clusters.FirstOrDefault(c => c.Name == "platform") ?? state.Clusters[0];
                var ekc = $"{kubectl}{(cluster.Namespace == "default" ? "" : $" -n {Shell.Quote(cluster.Namespace)}")}";
                lines.Add($"{kubectl} get eks -A");
                if (state.OperatorRuns)
                {
                    lines.Add($"{ekc} edit ekc {Shell.Quote(cluster.Name)}   # raise spec.version: an upgrade, one minor at a time");
                    lines.Add($"{ekc} delete ekc {Shell.Quote(cluster.Name)}   # node groups and profiles first, then the cluster");
                }
                else
                {
                    lines.Add($"{ekc} describe ekc {Shell.Quote(cluster.Name)}   # no operator runs here: start one with this kubeconfig");
                }
            }
        }

        if (state.AwsEndpoint is { } aws)
        {
            lines.Add($"aws --endpoint-url {aws} eks list-clusters   # with the AWS_* variables above");
        }

        return lines.Count == 0 ? [] : [$"Try: {lines[0]}", .. lines.Skip(1).Select(l => $"     {l}")];
    }
}

/// <summary>POSIX shell quoting for the command lines the sandbox prints.</summary>
internal static class Shell
{
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '=' or '+' or ',' or '@')
            ? word
            : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
    }
}
