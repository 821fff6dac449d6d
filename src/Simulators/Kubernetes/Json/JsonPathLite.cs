using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Json;

/// <summary>The JSONPath subset CRD printer columns and selectable fields use: <c>.a.b</c>, <c>[0]</c>, <c>[*]</c>,
/// <c>[?(@.type=="Ready")]</c>, optionally wrapped in <c>{}</c>.</summary>
internal static class JsonPathLite
{
    public static IReadOnlyList<JsonNode?> Evaluate(JsonNode? root, string path)
    {
        path = path.Trim();
        if (path.StartsWith('{') && path.EndsWith('}'))
        {
            path = path[1..^1];
        }

        if (path.StartsWith('$'))
        {
            path = path[1..];
        }

        var current = new List<JsonNode?> { root };
        var i = 0;
        while (i < path.Length && current.Count > 0)
        {
            if (path[i] == '.')
            {
                i++;
                var start = i;
                while (i < path.Length && path[i] != '.' && path[i] != '[')
                {
                    i++;
                }

                var name = path[start..i];
                current = current.Select(n => n is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v : null)
                    .Where(n => n is not null).ToList();
            }
            else if (path[i] == '[')
            {
                var end = FindClosing(path, i);
                var inner = path[(i + 1)..end];
                i = end + 1;
                current = Index(current, inner);
            }
            else
            {
                throw new FormatException($"unexpected character in JSONPath {path}");
            }
        }

        return current;
    }

    private static int FindClosing(string path, int open)
    {
        var depth = 0;
        var inString = false;
        for (var i = open; i < path.Length; i++)
        {
            var c = path[i];
            if (c is '"' or '\'')
            {
                inString = !inString;
            }
            else if (!inString && c == '[')
            {
                depth++;
            }
            else if (!inString && c == ']' && --depth == 0)
            {
                return i;
            }
        }

        throw new FormatException($"unclosed bracket in JSONPath {path}");
    }

    private static List<JsonNode?> Index(List<JsonNode?> nodes, string inner)
    {
        if (inner == "*")
        {
            return nodes.SelectMany(n => n switch
            {
                JsonArray a => a.AsEnumerable(),
                JsonObject o => o.Select(p => p.Value),
                _ => [],
            }).Where(n => n is not null).ToList();
        }

        if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            return nodes.OfType<JsonArray>().Select(a => index < 0 ? (a.Count + index >= 0 ? a[a.Count + index] : null) : index < a.Count ? a[index] : null)
                .Where(n => n is not null).ToList();
        }

        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var expression = inner[2..^1];
            return nodes.OfType<JsonArray>().SelectMany(a => a).Where(item => Matches(item, expression)).ToList();
        }

        var key = inner.Trim('\'', '"');
        return nodes.Select(n => n is JsonObject o && o.TryGetPropertyValue(key, out var v) ? v : null).Where(n => n is not null).ToList();
    }

    private static bool Matches(JsonNode? item, string expression)
    {
        foreach (var op in new[] { "==", "!=" })
        {
            var at = expression.IndexOf(op, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var left = expression[..at].Trim();
            var right = expression[(at + 2)..].Trim().Trim('"', '\'');
            var values = left.StartsWith('@') ? Evaluate(item, left[1..]) : [];
            var actual = values.Count > 0 ? Text(values[0]) : null;
            return op == "==" ? actual == right : actual != right;
        }

        var path = expression.Trim();
        return path.StartsWith('@') && Evaluate(item, path[1..]).Count > 0;
    }

    /// <summary>Scalars as kubectl prints them; objects and arrays as JSON.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
