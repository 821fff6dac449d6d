using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s.Models;

namespace EksOperator.CrdGen;

/// <summary>Turns C# types into a structural openAPIV3Schema with CEL rules.</summary>
internal sealed class SchemaBuilder(XmlDocs docs)
{
    public Node ObjectSchema(Type type, string path)
    {
        var schema = new Node { ["type"] = "object" };
        if (docs.Of(type) is { } description) schema["description"] = description;

        if (type == typeof(V1ObjectMeta))
        {
            return schema;
        }

        if (type == typeof(V1Condition))
        {
            return ConditionSchema();
        }

        var properties = new Node();
        var required = new List<object>();
        var rules = new List<object>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.CanWrite && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                     .OrderBy(p => DeclarationOrder(type, p)))
        {
            var name = JsonName(property);
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            properties[name] = PropertySchema(property, fieldPath);
            if (name == "spec" && type.GetCustomAttribute<SpecDescriptionAttribute>() is { } spec)
            {
                ((Node)properties[name]!)["description"] = spec.Description;
            }
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }

            if (property.GetCustomAttribute<ImmutableAttribute>() is { FreezePresence: true })
            {
                rules.Add(Rule($"has(self.{name}) == has(oldSelf.{name})",
                    $"{fieldPath} cannot be added or removed after creation", $".{name}"));
            }
        }

        foreach (var rule in type.GetCustomAttributes<RuleAttribute>())
        {
            rules.Add(Rule(rule.Rule, rule.Message, rule.FieldPath));
        }

        schema["properties"] = properties;
        if (required.Count > 0) schema["required"] = required;
        if (rules.Count > 0) schema["x-kubernetes-validations"] = rules;
        return schema;
    }

    // Base-class properties first, then each class's own in source order.
    private static int DeclarationOrder(Type type, PropertyInfo property)
    {
        var depth = 0;
        for (var t = type; t is not null && t != property.DeclaringType; t = t.BaseType) depth++;
        return ((100 - depth) * 10_000) + property.MetadataToken % 10_000;
    }

    private Node PropertySchema(PropertyInfo property, string fieldPath)
    {
        var schema = TypeSchema(property.PropertyType, fieldPath);
        if (docs.Of(property) is { } description) schema["description"] = description;
        if (EnumOf(property.PropertyType) is { } enumType)
        {
            // kubectl explain shows a field's description but not its items' enum: name the values (and what each
            // means) in the one description, instead of repeating the type's summary on the items.
            schema["description"] = $"{(string?)schema["description"] ?? docs.Of(enumType)} {ValuesText(enumType)}".Trim();
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern) schema["pattern"] = pattern.Pattern;
        if (property.GetCustomAttribute<FormatAttribute>() is { } format) schema["format"] = format.Format;
        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            schema["minLength"] = length.Min;
            schema["maxLength"] = length.Max;
        }

        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema["minimum"] = range.Min;
            schema["maximum"] = range.Max;
        }

        if (property.GetCustomAttribute<ItemsAttribute>() is { } items)
        {
            schema["minItems"] = items.Min;
            schema["maxItems"] = items.Max;
        }

        if (property.GetCustomAttribute<ItemPatternAttribute>() is { } itemPattern && schema["items"] is Node itemSchema)
        {
            itemSchema["pattern"] = itemPattern.Pattern;
        }

        if (property.GetCustomAttribute<MaxPropertiesAttribute>() is { } maxProperties) schema["maxProperties"] = maxProperties.Max;
        if (property.GetCustomAttribute<ListSetAttribute>() is not null) schema["x-kubernetes-list-type"] = "set";
        if (property.GetCustomAttribute<ListMapAttribute>() is { } listMap)
        {
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = listMap.Keys.Cast<object>().ToList();
        }

        if (property.GetCustomAttribute<DefaultAttribute>() is { } @default) schema["default"] = JsonValue(@default.Value);

        var rules = new List<object>();
        if (property.GetCustomAttribute<ImmutableAttribute>() is not null)
        {
            rules.Add(Rule("self == oldSelf", $"{fieldPath} is immutable", null));
        }

        rules.AddRange(property.GetCustomAttributes<RuleAttribute>().Select(r => Rule(r.Rule, r.Message, r.FieldPath)));
        if (rules.Count > 0)
        {
            var existing = schema["x-kubernetes-validations"] as List<object> ?? [];
            schema["x-kubernetes-validations"] = rules.Concat(existing).ToList();
        }

        return schema;
    }

    private Node TypeSchema(Type type, string fieldPath)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return new Node { ["type"] = "string" };
        if (type == typeof(bool)) return new Node { ["type"] = "boolean" };
        if (type == typeof(int)) return new Node { ["type"] = "integer", ["format"] = "int32" };
        if (type == typeof(long)) return new Node { ["type"] = "integer", ["format"] = "int64" };
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return new Node { ["type"] = "string", ["format"] = "date-time" };

        // Free-form JSON (an add-on's configurationValues): kept as written, checked by the operator, not the schema.
        if (type == typeof(System.Text.Json.Nodes.JsonObject)) return new Node { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        if (type.IsEnum)
        {
            return new Node { ["type"] = "string", ["enum"] = EnumValues(type).Cast<object>().ToList() };
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new Node { ["type"] = "object", ["additionalProperties"] = TypeSchema(valueType, fieldPath + "[*]") };
        }

        if (ListItemType(type) is { } itemType)
        {
            return new Node { ["type"] = "array", ["items"] = TypeSchema(itemType, fieldPath + "[*]") };
        }

        return ObjectSchema(type, fieldPath);
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>))
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ListItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(IList<>) || d == typeof(List<>) || d == typeof(IReadOnlyList<>))
            ? type.GetGenericArguments()[0]
            : null;

    private static Type? EnumOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var item = ListItemType(type) is { } listed ? Nullable.GetUnderlyingType(listed) ?? listed : type;
        return item.IsEnum ? item : null;
    }

    private string ValuesText(Type enumType)
    {
        var values = enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f =>
        {
            var name = f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name;
            return docs.Of(f) is { } meaning ? $"{name} ({meaning.TrimEnd('.')})" : name;
        });
        return $"Values: {string.Join(", ", values)}.";
    }

    public static IEnumerable<string> EnumValues(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

    private static object JsonValue(object value) => value switch
    {
        Enum e => EnumValues(e.GetType()).ElementAt(Array.IndexOf(Enum.GetValues(e.GetType()), e)),
        _ => value,
    };

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static Node Rule(string rule, string message, string? fieldPath)
    {
        var node = new Node { ["rule"] = rule, ["message"] = message };
        if (fieldPath is not null) node["fieldPath"] = fieldPath;
        return node;
    }

    private static Node ConditionSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "Condition of the resource (metav1.Condition).",
        ["required"] = new List<object> { "type", "status", "lastTransitionTime", "reason", "message" },
        ["properties"] = new Node
        {
            ["type"] = new Node { ["type"] = "string", ["description"] = "Condition type: Ready, Reconciling or Stalled.", ["maxLength"] = 316 },
            ["status"] = new Node { ["type"] = "string", ["enum"] = new List<object> { "True", "False", "Unknown" } },
            ["observedGeneration"] = new Node { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
            ["lastTransitionTime"] = new Node { ["type"] = "string", ["format"] = "date-time" },
            ["reason"] = new Node { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 1024, ["description"] = "PascalCase reason." },
            ["message"] = new Node { ["type"] = "string", ["maxLength"] = 32768, ["description"] = "Human-readable details." },
        },
    };
}
