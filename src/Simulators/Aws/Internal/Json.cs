using System.Text.Json;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Reading restJson1 request members with AWS-style complaints on wrong types.</summary>
internal static class Json
{
    public static double Epoch(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map)
        {
            o[k] = v;
        }

        return o;
    }

    public static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);

    public static string? Str(JsonObject? body, string name)
    {
        var node = body?[name];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw Bad(name, "string");
    }

    public static string Required(JsonObject? body, string name, string? cluster = null) =>
        Str(body, name) ?? throw AwsErrorException.InvalidParameter($"{name} is required.", cluster);

    public static bool? Bool(JsonObject? body, string name)
    {
        var node = body?[name];
        return node is null ? null : node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad(name, "boolean"),
        };
    }

    public static int? Int(JsonObject? body, string name)
    {
        var node = body?[name];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<int>(out var i) ? i : throw Bad(name, "integer");
    }

    public static JsonObject? Obj(JsonObject? body, string name)
    {
        var node = body?[name];
        return node is null ? null : node as JsonObject ?? throw Bad(name, "structure");
    }

    public static List<string>? StrList(JsonObject? body, string name)
    {
        var node = body?[name];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw Bad(name, "list");
        }

        return [.. array.Select(i => i?.GetValueKind() == JsonValueKind.String ? i.GetValue<string>() : throw Bad(name, "list of strings"))];
    }

    public static Dictionary<string, string>? StrMap(JsonObject? body, string name)
    {
        var node = body?[name];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject obj)
        {
            throw Bad(name, "map");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in obj)
        {
            map[k] = v?.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Bad(name, "map of strings");
        }

        return map;
    }

    private static AwsErrorException Bad(string name, string expected) =>
        AwsErrorException.InvalidParameter($"Invalid value for parameter {name}: expected a {expected}.");
}
