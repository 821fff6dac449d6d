using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Json;

/// <summary>The two reads every write path makes of an object: its metadata, added when missing, and a member as a string.</summary>
internal static class JsonFields
{
    public static JsonObject Meta(JsonObject obj) => obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    /// <summary>The string a node holds, or null for anything else (absent, a number, an object).</summary>
    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
