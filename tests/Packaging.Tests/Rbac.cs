using System.Text.Json.Nodes;

namespace EksOperator.Packaging.Tests;

/// <summary>RBAC rules flattened to (apiGroup, resource, verb) grants, so equal permissions compare equal however they are grouped.</summary>
internal static class Rbac
{
    public static SortedSet<string> Grants(JsonObject role) =>
        new(role["rules"]!.AsArray().SelectMany(rule =>
            from g in Strings(rule!["apiGroups"])
            from r in Strings(rule!["resources"])
            from v in Strings(rule!["verbs"])
            select $"{(g.Length == 0 ? "core" : g)}/{r}:{v}"), StringComparer.Ordinal);

    private static IEnumerable<string> Strings(JsonNode? node) => node?.AsArray().Select(n => (string)n!) ?? [];
}
