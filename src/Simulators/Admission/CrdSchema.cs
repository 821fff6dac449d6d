using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using Json.Schema;

namespace EksOperator.Simulators.Kubernetes.Admission;

/// <summary>
/// One CRD version's openAPIV3Schema as the apiserver applies it: defaulting, pruning of unknown fields,
/// structural validation (JsonSchema.Net) and x-kubernetes-validations CEL rules, including transition rules.
/// </summary>
public sealed class CrdSchema
{
    private readonly JsonObject _schema;
    private readonly JsonSchema _jsonSchema;
    private readonly CelRules _rules;

    private CrdSchema(JsonObject schema)
    {
        _schema = schema;
        _jsonSchema = JsonSchema.FromText(ToJsonSchema(schema).ToJsonString());
        _rules = new CelRules(schema);
    }

    /// <summary>The schema of <paramref name="version"/> in a CustomResourceDefinition (apiextensions.k8s.io/v1).</summary>
    public static CrdSchema FromCrd(JsonObject crd, string version)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var versions = crd["spec"]?["versions"]?.AsArray() ?? throw new ArgumentException("CRD has no spec.versions", nameof(crd));
        var match = versions.FirstOrDefault(v => (string?)v?["name"] == version)
            ?? throw new ArgumentException($"CRD has no version {version}", nameof(version));
        var schema = match["schema"]?["openAPIV3Schema"]?.AsObject()
            ?? throw new ArgumentException($"CRD version {version} has no openAPIV3Schema", nameof(crd));
        return new CrdSchema((JsonObject)schema.DeepClone());
    }

    /// <summary>The number of CEL rules compiled from the schema.</summary>
    public int RuleCount => _rules.Count;

    /// <summary>Fills absent fields that declare a default, as the apiserver does on every write and read.</summary>
    public void ApplyDefaults(JsonObject obj) => ApplyDefaults(obj, _schema);

    /// <summary>Removes fields the schema does not declare and returns their paths (for fieldValidation Strict/Warn).</summary>
    public IReadOnlyList<string> Prune(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var removed = new List<string>();
        foreach (var (name, value) in obj.ToList())
        {
            // The apiserver validates metadata itself; the schema only restricts name/generateName.
            if (name is "apiVersion" or "kind" or "metadata") continue;
            PruneNode(obj, name, value, Property(_schema, name), name, removed);
        }

        return removed;
    }

    /// <summary>Structural validation plus CEL rules; <paramref name="oldObj"/> enables transition rules on update.</summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? oldObj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var errors = StructuralErrors(obj);
        errors.AddRange(ListErrors(obj, _schema, ""));
        // The apiserver skips CEL for a node that already failed structural validation; we run CEL only when clean,
        // so a rule never sees a value of the wrong type.
        if (errors.Count == 0)
        {
            errors.AddRange(_rules.Evaluate(obj, oldObj));
        }

        return errors;
    }

    private static JsonObject? Property(JsonObject? schema, string name) => schema?["properties"]?[name] as JsonObject;

    private static void ApplyDefaults(JsonNode? node, JsonObject? schema)
    {
        if (schema is null || node is null) return;
        switch (node)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, propertySchema) in properties)
                    {
                        if (propertySchema is not JsonObject ps) continue;
                        if (!obj.ContainsKey(name) && ps["default"] is { } def) obj[name] = def.DeepClone();
                        if (name != "metadata" || schema != null) ApplyDefaults(obj[name], ps);
                    }
                }
                else if (schema["additionalProperties"] is JsonObject valueSchema)
                {
                    foreach (var (_, value) in obj.ToList()) ApplyDefaults(value, valueSchema);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array) ApplyDefaults(item, itemSchema);
                break;
        }
    }

    private static void PruneNode(JsonObject parent, string name, JsonNode? value, JsonObject? schema, string path, List<string> removed)
    {
        if (schema is null)
        {
            parent.Remove(name);
            removed.Add(path);
            return;
        }

        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true) return;
        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject:
                foreach (var (child, childValue) in obj.ToList())
                {
                    PruneNode(obj, child, childValue, Property(schema, child), $"{path}.{child}", removed);
                }

                break;
            case JsonObject obj when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (key, childValue) in obj.ToList())
                {
                    if (childValue is JsonObject or JsonArray) PruneNode(obj, key, childValue, valueSchema, $"{path}[{key}]", removed);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject item)
                    {
                        foreach (var (child, childValue) in item.ToList())
                        {
                            PruneNode(item, child, childValue, Property(itemSchema, child), $"{path}[{i}].{child}", removed);
                        }
                    }
                }

                break;
        }
    }

    private List<FieldError> StructuralErrors(JsonObject obj)
    {
        using var document = JsonDocument.Parse(obj.ToJsonString());
        var results = _jsonSchema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = new List<FieldError>();
        if (results.IsValid) return errors;
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null) continue;
            var instancePath = detail.InstanceLocation.ToString();
            var value = Navigate(obj, instancePath);
            var (field, schemaNode) = Locate(obj, instancePath);
            foreach (var keyword in detail.Errors.Keys)
            {
                errors.AddRange(Describe(keyword, field, value, schemaNode));
            }
        }

        return errors;
    }

    private static IEnumerable<FieldError> Describe(string keyword, string field, JsonNode? value, JsonObject? schema)
    {
        var shown = Show(value);
        var at = field.Length == 0 ? "body" : $"{field} in body";
        switch (keyword)
        {
            case "required":
                var present = (value as JsonObject)?.Select(p => p.Key).ToHashSet() ?? [];
                foreach (var name in schema?["required"]?.AsArray().Select(n => (string)n!) ?? [])
                {
                    if (!present.Contains(name)) yield return new(Join(field, name), "FieldValueRequired", "Required value");
                }

                yield break;
            case "enum":
                var supported = string.Join(", ", schema?["enum"]?.AsArray().Select(n => Show(n)) ?? []);
                yield return new(field, "FieldValueNotSupported", $"Unsupported value: {shown}: supported values: {supported}");
                yield break;
            case "type":
                yield return new(field, "FieldValueTypeInvalid", $"Invalid value: {shown}: {at} must be of type {schema?["type"]}: {Quote(TypeName(value))}");
                yield break;
            case "pattern":
                yield return new(field, "FieldValueInvalid", $"Invalid value: {shown}: {at} should match '{schema?["pattern"]}'");
                yield break;
            case "minLength":
                yield return new(field, "FieldValueInvalid", $"Invalid value: {shown}: {at} should be at least {schema?["minLength"]} chars long");
                yield break;
            case "maxLength":
                yield return new(field, "FieldValueTooLong", $"Too long: may not be more than {schema?["maxLength"]} bytes");
                yield break;
            case "minimum":
                yield return new(field, "FieldValueInvalid", $"Invalid value: {shown}: {at} should be greater than or equal to {schema?["minimum"]}");
                yield break;
            case "maximum":
                yield return new(field, "FieldValueInvalid", $"Invalid value: {shown}: {at} should be less than or equal to {schema?["maximum"]}");
                yield break;
            case "minItems":
                yield return new(field, "FieldValueInvalid", $"Invalid value: {Count(value)}: {at} should have at least {schema?["minItems"]} items");
                yield break;
            case "maxItems":
                yield return new(field, "FieldValueTooMany", $"Too many: {Count(value)}: must have at most {schema?["maxItems"]} items");
                yield break;
            case "maxProperties":
                yield return new(field, "FieldValueTooMany", $"Too many: {Count(value)}: must have at most {schema?["maxProperties"]} items");
                yield break;
            case "minProperties":
                yield return new(field, "FieldValueInvalid", $"Invalid value: {Count(value)}: {at} should have at least {schema?["minProperties"]} properties");
                yield break;
            default:
                yield return new(field, "FieldValueInvalid", $"Invalid value: {shown}: {at} fails '{keyword}'");
                yield break;
        }
    }

    // Duplicate items in x-kubernetes-list-type set/map lists (JSON Schema cannot express map-key uniqueness).
    private static IEnumerable<FieldError> ListErrors(JsonNode? node, JsonObject? schema, string path)
    {
        if (schema is null || node is null) yield break;
        if (node is JsonObject obj)
        {
            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (name, child) in obj)
                {
                    foreach (var e in ListErrors(child, properties[name] as JsonObject, Join(path, name))) yield return e;
                }
            }

            yield break;
        }

        if (node is not JsonArray array) yield break;
        var listType = (string?)schema["x-kubernetes-list-type"];
        var keys = schema["x-kubernetes-list-map-keys"]?.AsArray().Select(k => (string)k!).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var identity = listType switch
            {
                "set" => array[i]?.ToJsonString(),
                "map" when keys is not null && array[i] is JsonObject item => string.Join("\u0000", keys.Select(k => item[k]?.ToJsonString() ?? "")),
                _ => null,
            };
            if (identity is not null && !seen.Add(identity))
            {
                var shown = listType == "map" && array[i] is JsonObject item2
                    ? "map[string]interface {}{" + string.Join(", ", keys!.Select(k => $"\"{k}\":{Show(item2[k])}")) + "}"
                    : Show(array[i]);
                yield return new($"{path}[{i}]", "FieldValueDuplicate", $"Duplicate value: {shown}");
            }

            foreach (var e in ListErrors(array[i], schema["items"] as JsonObject, $"{path}[{i}]")) yield return e;
        }
    }

    private static JsonNode? Navigate(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var segment in Segments(pointer))
        {
            node = node switch
            {
                JsonObject o => o[segment],
                JsonArray a when int.TryParse(segment, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    // "/spec/selectors/0/labels/app" → "spec.selectors[0].labels[app]" (map keys in brackets, as the apiserver prints them),
    // with the schema node that governs that location. (JsonSchema.Net's evaluation paths are not stable enough to navigate.)
    private (string Field, JsonObject? Schema) Locate(JsonNode root, string pointer)
    {
        var path = "";
        JsonNode? node = root;
        JsonObject? schema = _schema;
        foreach (var segment in Segments(pointer))
        {
            if (node is JsonArray array && int.TryParse(segment, CultureInfo.InvariantCulture, out var index))
            {
                path += $"[{index}]";
                node = index < array.Count ? array[index] : null;
                schema = schema?["items"] as JsonObject;
            }
            else if (schema?["properties"] is JsonObject)
            {
                path = Join(path, segment);
                node = (node as JsonObject)?[segment];
                schema = Property(schema, segment);
            }
            else
            {
                path += $"[{segment}]";
                node = (node as JsonObject)?[segment];
                schema = schema?["additionalProperties"] as JsonObject;
            }
        }

        return (path, schema);
    }

    private static IEnumerable<string> Segments(string pointer) =>
        pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));

    internal static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    internal static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v => v.ToJsonString(),
        JsonArray a => $"[]interface {{}}{{{string.Join(", ", a.Select(Show))}}}",
        JsonObject => "\"object\"",
        _ => value.ToJsonString(),
    };

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    private static int Count(JsonNode? value) => value switch
    {
        JsonArray a => a.Count,
        JsonObject o => o.Count,
        _ => 0,
    };

    internal static string TypeName(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.ToJsonString().Contains('.', StringComparison.Ordinal) ? "number" : "integer",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };

    // openAPI v3 (structural) → JSON Schema: drop Kubernetes extensions, defaults and formats JsonSchema.Net does not know.
    private static JsonNode ToJsonSchema(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (key.StartsWith("x-kubernetes-", StringComparison.Ordinal) || key is "default" or "description" or "format" or "nullable" || value is null)
                    {
                        continue;
                    }

                    result[key] = key is "properties"
                        ? new JsonObject(value.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ToJsonSchema(p.Value!))))
                        : ToJsonSchema(value);
                }

                if (obj["nullable"]?.GetValue<bool>() == true && obj["type"] is JsonValue type)
                {
                    result["type"] = new JsonArray((JsonNode)type.GetValue<string>(), "null");
                }

                return result;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => item is null ? null : ToJsonSchema(item))]);
            default:
                return node.DeepClone();
        }
    }
}
