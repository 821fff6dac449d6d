using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>What an EKS handler reads of a call: the path template's variable segments in order, the query and the JSON body.</summary>
internal sealed record EksCall(IReadOnlyList<string> Path, IReadOnlyDictionary<string, List<string>> Query, JsonObject? Body);

/// <summary>
/// One EKS restJson1 operation: the method and path template it answers (variable segments in braces, as in the
/// service model's URIs), the name the call log and faults know it by, and the handler that carries it out.
/// </summary>
internal sealed class EksRoute(string method, string template, string operation, Func<EksService, EksCall, JsonNode> handler)
{
    private readonly string[] _parts = template.Split('/');

    public string Operation { get; } = operation;

    /// <summary>
    /// Every EKS GET only reads and every POST or DELETE writes (what rate limiting counts as mutating), except the
    /// List operations that take their filter as a POST body (ListInsights).
    /// </summary>
    public bool Mutating { get; } = method != "GET" && !operation.StartsWith("List", StringComparison.Ordinal);

    public Func<EksService, EksCall, JsonNode> Handler { get; } = handler;

    public bool Matches(string requestMethod, IReadOnlyList<string> segments)
    {
        if (requestMethod != method || segments.Count != _parts.Length)
        {
            return false;
        }

        for (var i = 0; i < _parts.Length; i++)
        {
            if (!IsVariable(_parts[i]) && _parts[i] != segments[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The segments standing where the template has variables, in order.</summary>
    public IReadOnlyList<string> PathValues(IReadOnlyList<string> segments) =>
        [.. segments.Where((_, i) => IsVariable(_parts[i]))];

    private static bool IsVariable(string part) => part.StartsWith('{');
}
