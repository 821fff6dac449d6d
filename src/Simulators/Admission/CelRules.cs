using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;

namespace EksOperator.Simulators.Kubernetes.Admission;

/// <summary>
/// The x-kubernetes-validations of a schema, compiled once. Rules run with <c>self</c> bound to their node; a rule
/// that mentions <c>oldSelf</c> is a transition rule and runs only on update, where the node exists in both objects.
/// </summary>
internal sealed class CelRules
{
    private static readonly CelEnvironment Environment = CreateEnvironment();
    private readonly Dictionary<JsonObject, IReadOnlyList<CompiledRule>> _bySchema = new(ReferenceEqualityComparer.Instance);
    private readonly JsonObject _root;

    public CelRules(JsonObject root)
    {
        _root = root;
        Compile(root);
    }

    public int Count => _bySchema.Values.Sum(r => r.Count);

    public IEnumerable<FieldError> Evaluate(JsonObject obj, JsonObject? oldObj)
    {
        var errors = new List<FieldError>();
        Walk(obj, oldObj, _root, "", oldObj is not null, errors);
        return errors;
    }

    private void Compile(JsonObject schema)
    {
        if (schema["x-kubernetes-validations"] is JsonArray validations)
        {
            var compiled = new List<CompiledRule>();
            foreach (var validation in validations.OfType<JsonObject>())
            {
                var rule = (string)validation["rule"]!;
                CelProgramDelegate program;
                try
                {
                    program = Environment.Compile(rule);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new InvalidOperationException($"CEL rule does not compile: {rule}: {e.Message}", e);
                }

                compiled.Add(new CompiledRule(rule, (string?)validation["message"] ?? $"failed rule: {rule}",
                    (string?)validation["fieldPath"], rule.Contains("oldSelf", StringComparison.Ordinal), program));
            }

            _bySchema[schema] = compiled;
        }

        foreach (var child in Children(schema)) Compile(child);
    }

    private static IEnumerable<JsonObject> Children(JsonObject schema)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (_, p) in properties)
            {
                if (p is JsonObject o) yield return o;
            }
        }

        if (schema["items"] is JsonObject items) yield return items;
        if (schema["additionalProperties"] is JsonObject values) yield return values;
    }

    private void Walk(JsonNode? node, JsonNode? oldNode, JsonObject schema, string path, bool isUpdate, List<FieldError> errors)
    {
        if (node is null) return;
        if (_bySchema.TryGetValue(schema, out var rules))
        {
            foreach (var rule in rules)
            {
                if (rule.IsTransition && (!isUpdate || oldNode is null)) continue;
                var failure = Run(rule, node, oldNode);
                if (failure is not null)
                {
                    var field = rule.FieldPath is null ? path : path + rule.FieldPath;
                    errors.Add(new FieldError(field, "FieldValueInvalid", $"Invalid value: \"{CrdSchema.TypeName(node)}\": {failure}"));
                }
            }
        }

        switch (node)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, child) in obj)
                {
                    if (properties[name] is JsonObject childSchema)
                    {
                        Walk(child, (oldNode as JsonObject)?[name], childSchema, CrdSchema.Join(path, name), isUpdate, errors);
                    }
                }

                break;
            case JsonObject obj when schema["additionalProperties"] is JsonObject valueSchema:
                foreach (var (key, child) in obj)
                {
                    Walk(child, (oldNode as JsonObject)?[key], valueSchema, $"{path}[{key}]", isUpdate, errors);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                var keys = (string?)schema["x-kubernetes-list-type"] == "map"
                    ? schema["x-kubernetes-list-map-keys"]?.AsArray().Select(k => (string)k!).ToList()
                    : null;
                for (var i = 0; i < array.Count; i++)
                {
                    // Old items correlate only in map lists (by key); elsewhere item rules see no oldSelf.
                    var oldItem = keys is null ? null : FindByKeys(oldNode as JsonArray, array[i] as JsonObject, keys);
                    Walk(array[i], oldItem, itemSchema, $"{path}[{i}]", isUpdate, errors);
                }

                break;
        }
    }

    private static JsonNode? FindByKeys(JsonArray? oldArray, JsonObject? item, List<string> keys) =>
        oldArray is null || item is null
            ? null
            : oldArray.OfType<JsonObject>().FirstOrDefault(o => keys.All(k => JsonNode.DeepEquals(o[k], item[k])));

    private static string? Run(CompiledRule rule, JsonNode node, JsonNode? oldNode)
    {
        var variables = new Dictionary<string, object?> { ["self"] = ToCel(node) };
        if (rule.IsTransition) variables["oldSelf"] = ToCel(oldNode);
        try
        {
            return rule.Program(variables) is true ? null : rule.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The apiserver reports an evaluation error as a validation failure of the node.
            return $"{rule.Message} (rule evaluation error: {e.Message})";
        }
    }

    /// <summary>JSON → the values the Cel package evaluates: maps, lists, long, double, string, bool.</summary>
    internal static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToCel(p.Value)),
        JsonArray a => a.Select(ToCel).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
            JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    private static CelEnvironment CreateEnvironment() => new(null, null);

    private sealed record CompiledRule(string Rule, string Message, string? FieldPath, bool IsTransition, CelProgramDelegate Program);
}
