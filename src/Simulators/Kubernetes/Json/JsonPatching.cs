using System.Globalization;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Json;

/// <summary>RFC 7386 merge patch, RFC 6902 JSON patch and the simplified server-side-apply merge.</summary>
internal static class JsonPatching
{
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            result.TryGetPropertyValue(key, out var existing);
            result.Remove(key);
            result[key] = MergePatch(existing, value);
        }

        return result;
    }

    /// <summary>Strategic merge patch directives ($patch, $setElementOrder/…, $retainKeys, …) are dropped so a core-kind
    /// strategic merge patch can be applied as a merge patch; the core kinds served here have no merge-keyed lists that matter.</summary>
    public static void StripStrategicDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, v) in o)
                {
                    StripStrategicDirectives(v);
                }

                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    StripStrategicDirectives(v);
                }

                break;
        }
    }

    /// <summary>Applies an RFC 6902 patch to a copy of the document.</summary>
    /// <exception cref="JsonPatchException">Malformed (<c>BadRequest</c>) or failing (<c>Invalid</c>) operations.</exception>
    public static JsonNode? JsonPatch(JsonNode? document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document?.DeepClone() };
        foreach (var opNode in operations)
        {
            if (opNode is not JsonObject op || op["op"]?.GetValue<string>() is not { } kind || op["path"]?.GetValue<string>() is not { } path)
            {
                throw new JsonPatchException("the server rejected our request due to an error in our request", malformed: true);
            }

            switch (kind)
            {
                case "add":
                    Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw new JsonPatchException("missing from", malformed: true);
                        var moved = Remove(root, from);
                        Add(root, path, moved);
                        break;
                    }

                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw new JsonPatchException("missing from", malformed: true);
                        Add(root, path, Resolve(root, from)?.DeepClone());
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), op["value"]))
                    {
                        throw new JsonPatchException($"the server rejected our request due to an error in our request: testing value {path} failed", malformed: false);
                    }

                    break;
                default:
                    throw new JsonPatchException($"Unexpected kind: {kind}", malformed: true);
            }
        }

        var result = root["doc"];
        root.Remove("doc");
        return result;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw new JsonPatchException("missing value", malformed: true);

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return ["doc"];
        }

        if (pointer[0] != '/')
        {
            throw new JsonPatchException($"invalid path {pointer}", malformed: true);
        }

        var tokens = new List<string> { "doc" };
        tokens.AddRange(pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)));
        return tokens;
    }

    private static JsonNode? Resolve(JsonObject root, string pointer)
    {
        JsonNode? current = root;
        foreach (var token in Tokens(pointer))
        {
            current = current switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var v) => v,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw new JsonPatchException($"the server rejected our request due to an error in our request: path {pointer} not found", malformed: false),
            };
        }

        return current;
    }

    private static (JsonNode Parent, string Last) Parent(JsonObject root, string pointer)
    {
        var tokens = Tokens(pointer);
        JsonNode? current = root;
        foreach (var token in tokens.Take(tokens.Count - 1))
        {
            current = current switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var v) => v,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            } ?? throw new JsonPatchException($"the server rejected our request due to an error in our request: doc is missing path: {pointer}", malformed: false);
        }

        return (current!, tokens[^1]);
    }

    private static void Add(JsonObject root, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new JsonPatchException($"the server rejected our request due to an error in our request: cannot add at {pointer}", malformed: false);
        }
    }

    private static JsonNode? Remove(JsonObject root, string pointer)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var v):
                o.Remove(last);
                return v;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                var item = a[i];
                a.RemoveAt(i);
                return item;
            default:
                throw new JsonPatchException($"the server rejected our request due to an error in our request: unable to remove nonexistent key: {last}: missing value", malformed: false);
        }
    }

    /// <summary>Simplified server-side apply: objects merge recursively, lists marked <c>x-kubernetes-list-type: map</c> merge
    /// by their keys, <c>set</c> lists are unioned, other lists and scalars are replaced. No conflict detection.</summary>
    public static JsonNode? ApplyMerge(JsonNode? live, JsonNode? applied, JsonObject? schema)
    {
        if (applied is JsonObject appliedObject)
        {
            var result = live is JsonObject liveObject ? (JsonObject)liveObject.DeepClone() : [];
            foreach (var (key, value) in appliedObject)
            {
                if (value is null)
                {
                    result.Remove(key);
                    continue;
                }

                result.TryGetPropertyValue(key, out var existing);
                result.Remove(key);
                result[key] = ApplyMerge(existing, value, ChildSchema(schema, key));
            }

            return result;
        }

        if (applied is JsonArray appliedArray && live is JsonArray liveArray && schema is not null)
        {
            var listType = schema["x-kubernetes-list-type"]?.GetValue<string>();
            var itemSchema = schema["items"] as JsonObject;
            if (listType == "map" && schema["x-kubernetes-list-map-keys"] is JsonArray keyNodes)
            {
                var keys = keyNodes.Select(k => k!.GetValue<string>()).ToList();
                var result = new JsonArray(liveArray.Select(i => i?.DeepClone()).ToArray());
                foreach (var item in appliedArray)
                {
                    var match = result.FirstOrDefault(existing => keys.All(k => JsonNode.DeepEquals(existing?[k], item?[k])));
                    if (match is null)
                    {
                        result.Add(item?.DeepClone());
                    }
                    else
                    {
                        var index = result.IndexOf(match);
                        result[index] = ApplyMerge(match.DeepClone(), item, itemSchema);
                    }
                }

                return result;
            }

            if (listType == "set")
            {
                var result = new JsonArray(liveArray.Select(i => i?.DeepClone()).ToArray());
                foreach (var item in appliedArray.Where(item => !result.Any(e => JsonNode.DeepEquals(e, item))))
                {
                    result.Add(item?.DeepClone());
                }

                return result;
            }
        }

        return applied?.DeepClone();
    }

    private static JsonObject? ChildSchema(JsonObject? schema, string key) =>
        schema?["properties"]?[key] as JsonObject ?? schema?["additionalProperties"] as JsonObject;
}

internal sealed class JsonPatchException(string message, bool malformed) : Exception(message)
{
    public bool Malformed { get; } = malformed;
}
