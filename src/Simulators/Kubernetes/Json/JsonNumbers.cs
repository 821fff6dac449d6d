using System.Globalization;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Json;

/// <summary>Numbers regardless of how the node was built (parsed JSON, YAML long, or int literal).</summary>
internal static class JsonNumbers
{
    public static double? Double(JsonNode? node) =>
        node is JsonValue && double.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    public static long? Long(JsonNode? node) => Double(node) is { } d ? (long)d : null;
}
