using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EksOperator.Simulators.Kubernetes.Admission;

/// <summary>YAML (one or more documents) to JSON, typing plain scalars the way YAML 1.2's core schema does.</summary>
public static class YamlJson
{
    /// <summary>Every non-empty document of <paramref name="yaml"/> as JSON.</summary>
    public static IReadOnlyList<JsonNode> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).Select(d => Convert(d.RootNode)!)];
    }

    /// <summary>The single document of <paramref name="yaml"/> as a JSON object.</summary>
    public static JsonObject ParseObject(string yaml) =>
        ParseAll(yaml) is [JsonObject obj] ? obj : throw new FormatException("expected exactly one YAML mapping document");

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when value.Contains('.', StringComparison.Ordinal) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }
}
