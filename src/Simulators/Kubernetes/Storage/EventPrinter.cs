using System.Globalization;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Api;

namespace EksOperator.Simulators.Kubernetes.Storage;

/// <summary>A built-in kind's own table printer (the apiserver's, not printer columns): its full column list, with no
/// implied Name column first, and the cells of one object at a given time.</summary>
internal sealed record TablePrinter(IReadOnlyList<PrinterColumn> Columns, Func<JsonObject, DateTimeOffset, JsonArray> Row);

/// <summary>The apiserver's Event table (its internal printer, shared by core/v1 and events.k8s.io/v1, which serve one
/// storage): <c>LAST SEEN TYPE REASON OBJECT MESSAGE</c>, the rest for <c>-o wide</c>. OBJECT is the lowercased kind and
/// the name of the object the Event is about (<c>managednodegroup/demo-general</c>).</summary>
internal static class EventPrinter
{
    public static TablePrinter Printer { get; } = new(
    [
        new("Last Seen", "string", "", "The time at which the most recent occurrence of this event was recorded.", 0, ""),
        new("Type", "string", "", "Type of this event (Normal, Warning), new types could be added in the future", 0, ""),
        new("Reason", "string", "", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.", 0, ""),
        new("Object", "string", "", "The object that this event is about.", 0, ""),
        new("Subobject", "string", "", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.", 1, ""),
        new("Source", "string", "", "The component reporting this event. Should be a short machine understandable string.", 1, ""),
        new("Message", "string", "", "A human-readable description of the status of this operation.", 0, ""),
        new("First Seen", "string", "", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1, ""),
        new("Count", "string", "", "The number of times this event has occurred.", 1, ""),
        new("Name", "string", "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 1, ""),
    ], Row);

    /// <summary>One row, from either view: core/v1 field names or their events.k8s.io/v1 renames.</summary>
    private static JsonArray Row(JsonObject e, DateTimeOffset now)
    {
        var regarding = (e["involvedObject"] ?? e["regarding"]) as JsonObject ?? [];
        var source = (e["source"] ?? e["deprecatedSource"]) as JsonObject ?? [];
        var first = Since(Text(e["firstTimestamp"] ?? e["deprecatedFirstTimestamp"]), now) ?? Since(Text(e["eventTime"]), now) ?? "<unknown>";
        var last = Since(Text(e["lastTimestamp"] ?? e["deprecatedLastTimestamp"]), now) ?? first;
        var count = Long(e["count"] ?? e["deprecatedCount"]);
        if (e["series"] is JsonObject series)
        {
            last = Since(Text(series["lastObservedTime"]), now) ?? "<unknown>";
            count = Long(series["count"]);
        }
        else if (count == 0)
        {
            // Singleton events carry no count in the events.k8s.io API.
            count = 1;
        }

        var kind = Text(regarding["kind"]).ToLowerInvariant();
        var name = Text(regarding["name"]);
        var component = First(Text(source["component"]), Text(e["reportingComponent"] ?? e["reportingController"]));
        var instance = First(Text(source["host"]), Text(e["reportingInstance"]));
        return new JsonArray(
            last,
            Text(e["type"]),
            Text(e["reason"]),
            name.Length > 0 ? $"{kind}/{name}" : kind,
            Text(regarding["fieldPath"]),
            component.Length == 0 ? "<unknown>" : instance.Length == 0 ? component : $"{component}, {instance}",
            Text(e["message"] ?? e["note"]).Trim(),
            first,
            count,
            Text(e["metadata"]?["name"]));
    }

    private static string First(string a, string b) => a.Length > 0 ? a : b;

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static long Long(JsonNode? node) => Json.JsonNumbers.Long(node) ?? 0;

    /// <summary>kubectl's translateTimestampSince: the age of a set timestamp, or null when it is unset.</summary>
    private static string? Since(string timestamp, DateTimeOffset now) =>
        timestamp.Length > 0 && DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Formats.HumanDuration(now - at)
            : null;
}
