using System.Text.Json.Nodes;
using static EksOperator.Simulators.Kubernetes.Json.JsonFields;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>
/// metadata.managedFields, simplified: which manager sent which fields with which operation, enough for clients that
/// read them and for server-side apply to drop the fields a manager stops applying.
/// </summary>
internal static class ManagedFields
{
    /// <summary>Simplified managedFields: one entry per (manager, operation, subresource) listing the fields it sent.</summary>
    public static void Record(JsonObject obj, string? manager, string operation, string apiVersion, JsonNode? sent, string? subresource, DateTimeOffset now)
    {
        if (manager is null)
        {
            return;
        }

        var metadata = Meta(obj);
        var entries = metadata["managedFields"] as JsonArray ?? [];
        var entry = new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = operation,
            ["apiVersion"] = apiVersion,
            ["time"] = Formats.Time(now),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = FieldSet(sent, top: true, subresource == "status"),
        };
        if (subresource is not null)
        {
            entry["subresource"] = subresource;
        }

        var kept = new JsonArray(entries.Where(e => !(Str(e?["manager"]) == manager && Str(e?["operation"]) == operation && Str(e?["subresource"]) == subresource))
            .Select(e => e?.DeepClone()).ToArray());
        kept.Add(entry);
        metadata["managedFields"] = kept;
    }

    private static JsonObject FieldSet(JsonNode? node, bool top, bool statusOnly)
    {
        var set = new JsonObject();
        if (node is not JsonObject obj)
        {
            return set;
        }

        foreach (var (key, value) in obj)
        {
            if (top && (key is "apiVersion" or "kind" || (statusOnly && key != "status") || (!statusOnly && key == "status")))
            {
                continue;
            }

            if (top && key == "metadata")
            {
                var metadataSet = new JsonObject();
                foreach (var (metaKey, metaValue) in value as JsonObject ?? [])
                {
                    if (metaKey is "labels" or "annotations" or "finalizers" or "ownerReferences")
                    {
                        metadataSet["f:" + metaKey] = FieldSet(metaValue, top: false, statusOnly: false);
                    }
                }

                if (metadataSet.Count > 0)
                {
                    set["f:metadata"] = metadataSet;
                }

                continue;
            }

            set["f:" + key] = FieldSet(value, top: false, statusOnly: false);
        }

        return set;
    }

    /// <summary>Server-side apply drops a field that the same manager applied before and no longer applies, unless
    /// another manager also set it (our simplified managedFields list what each manager sent).</summary>
    public static void RemoveFieldsNoLongerApplied(JsonObject current, JsonObject patched, JsonNode applied, string manager, string? subresource)
    {
        var entries = (current["metadata"]?["managedFields"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        bool Mine(JsonObject e) => Str(e["manager"]) == manager && Str(e["operation"]) == "Apply" && Str(e["subresource"]) == subresource;
        if (entries.FirstOrDefault(Mine)?["fieldsV1"] is not JsonObject before)
        {
            return;
        }

        var now = FieldSet(applied, top: true, statusOnly: subresource == "status");
        var others = entries.Where(e => !Mine(e)).Select(e => e["fieldsV1"] as JsonObject).OfType<JsonObject>().ToList();
        foreach (var path in Leaves(before, []))
        {
            if (Has(now, path) || others.Any(o => Has(o, path)))
            {
                continue;
            }

            JsonNode? parent = patched;
            foreach (var key in path.Take(path.Count - 1))
            {
                parent = parent is JsonObject o && o.TryGetPropertyValue(key[2..], out var child) ? child : null;
            }

            (parent as JsonObject)?.Remove(path[^1][2..]);
        }
    }

    private static IEnumerable<List<string>> Leaves(JsonObject set, List<string> prefix)
    {
        foreach (var (key, child) in set)
        {
            var path = new List<string>(prefix) { key };
            if (child is JsonObject { Count: > 0 } inner)
            {
                foreach (var leaf in Leaves(inner, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    private static bool Has(JsonObject set, List<string> path)
    {
        JsonNode? node = set;
        foreach (var key in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(key, out node))
            {
                return false;
            }
        }

        return true;
    }
}
