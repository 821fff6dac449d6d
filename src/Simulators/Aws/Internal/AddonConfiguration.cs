using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// Checks configurationValues (JSON or YAML, reference §1.4) against an add-on version's schema. Only the schema
/// keywords <see cref="AddonSchemas"/> uses are understood: $ref, type, properties, additionalProperties, items, enum
/// and minimum. Messages follow the JSON-schema validator EKS reports through ("$.path: …").
/// </summary>
internal static class AddonConfiguration
{
    /// <summary>Null when the values fit; otherwise the bracketed list EKS appends to its error message.</summary>
    public static string? Problems(string schemaJson, string values)
    {
        if (string.IsNullOrWhiteSpace(values))
        {
            return null;
        }

        if (!TryParse(values, out var document))
        {
            // Unconfirmed wording: no public record shows what EKS says about text that is neither JSON nor YAML.
            return "[$: is not a valid JSON or YAML document]";
        }

        var schema = JsonNode.Parse(schemaJson)!.AsObject();
        var errors = new List<string>();
        Check(schema, schema, document, "$", errors);
        return errors.Count == 0 ? null : "[" + string.Join(", ", errors) + "]";
    }

    private static void Check(JsonObject root, JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = root["definitions"]![reference["#/definitions/".Length..]]!.AsObject();
        }

        var kind = KindOf(value);
        if (schema["type"]?.GetValue<string>() is { } type && !(type == kind || (type == "number" && kind == "integer")))
        {
            errors.Add($"{path}: {kind} found, {type} expected");
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{path}: does not have a value in the enumeration [{string.Join(", ", allowed.Select(a => a?.ToString()))}]");
        }

        if (schema["minimum"] is { } minimum && kind is "integer" or "number" && Number(value!) < Number(minimum))
        {
            errors.Add($"{path}: must have a minimum value of {minimum.ToJsonString()}");
        }

        if (value is JsonObject obj)
        {
            var properties = schema["properties"] as JsonObject;
            foreach (var (key, child) in obj)
            {
                if (properties?[key] is JsonObject propertySchema)
                {
                    Check(root, propertySchema, child, $"{path}.{key}", errors);
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    Check(root, additional, child, $"{path}.{key}", errors);
                }
                else if (schema["additionalProperties"]?.GetValueKind() == JsonValueKind.False)
                {
                    errors.Add($"{path}.{key}: is not defined in the schema and the schema does not allow additional properties");
                }
            }
        }
        else if (value is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(root, items, array[i], $"{path}[{i}]", errors);
            }
        }
    }

    private static string KindOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => Number(value) is var d && Math.Floor(d) == d && !double.IsInfinity(d) ? "integer" : "number",
    };

    /// <summary>Numbers parsed from JSON and those made from YAML (longs, doubles) alike.</summary>
    private static double Number(JsonNode value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static bool TryParse(string text, out JsonNode? document)
    {
        try
        {
            document = JsonNode.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            // Not JSON: EKS also takes YAML (the CLI's file://values.yaml).
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            document = stream.Documents.Count == 0 ? null : FromYaml(stream.Documents[0].RootNode);
            return true;
        }
        catch (YamlException)
        {
            document = null;
            return false;
        }
    }

    private static JsonNode? FromYaml(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var o = new JsonObject();
                foreach (var (key, child) in mapping.Children)
                {
                    o[((YamlScalarNode)key).Value ?? string.Empty] = FromYaml(child);
                }

                return o;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(FromYaml)]);
            case YamlScalarNode { Style: ScalarStyle.Plain } plain:
                return Plain(plain.Value ?? string.Empty);
            case YamlScalarNode quoted:
                return JsonValue.Create(quoted.Value ?? string.Empty);
            default:
                return null;
        }
    }

    /// <summary>YAML 1.2 core schema: unquoted null, booleans and numbers are typed; anything else is a string.</summary>
    private static JsonNode? Plain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text[0] is 't' or 'T');
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? JsonValue.Create(real) : JsonValue.Create(text);
    }
}
