using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Storage;

/// <summary>The core kinds the operator uses; they get basic checks only, no schema.</summary>
internal static class BuiltIns
{
    private static readonly PrinterColumn Age = new("Age", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, ".metadata.creationTimestamp");

    public static IEnumerable<ResourceType> All()
    {
        yield return Core("namespaces", "namespace", "Namespace", namespaced: false, ["ns"], hasStatus: true,
            [new("Status", "string", "", "The phase of the namespace", 0, ".status.phase"), Age]);
        yield return Core("secrets", "secret", "Secret", namespaced: true, [], hasStatus: false,
            [new("Type", "string", "", "The type of the secret", 0, ".type"), Age]);
        yield return Core("configmaps", "configmap", "ConfigMap", namespaced: true, ["cm"], hasStatus: false, [Age]);
        yield return Core("events", "event", "Event", namespaced: true, ["ev"], hasStatus: false, [], EventPrinter.Printer);
        yield return new ResourceType
        {
            Group = "events.k8s.io",
            Plural = "events",
            Singular = "event",
            Kind = "Event",
            Namespaced = true,
            ShortNames = ["ev"],
            StorageKey = "/events",
            ToView = EventViews.CoreToEventsV1,
            FromView = EventViews.EventsV1ToCore,
            // One storage, one internal type, one table: the apiserver prints events.k8s.io Events as core ones.
            Versions = [new ResourceVersion("v1", true, false, [], null, null, []) { Printer = EventPrinter.Printer }],
        };
        yield return new ResourceType
        {
            Group = "coordination.k8s.io",
            Plural = "leases",
            Singular = "lease",
            Kind = "Lease",
            Namespaced = true,
            Versions = [new ResourceVersion("v1", true, false, [new("Holder", "string", "", "Holder identity", 0, ".spec.holderIdentity"), Age], null, null, [])],
        };
        yield return new ResourceType
        {
            Group = "apiextensions.k8s.io",
            Plural = "customresourcedefinitions",
            Singular = "customresourcedefinition",
            Kind = "CustomResourceDefinition",
            Namespaced = false,
            ShortNames = ["crd", "crds"],
            Categories = ["api-extensions"],
            Versions = [new ResourceVersion("v1", true, true, [new("Created At", "date", "", "Creation time", 0, ".metadata.creationTimestamp")], null, null, [])],
        };
    }

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced, IReadOnlyList<string> shortNames, bool hasStatus, IReadOnlyList<PrinterColumn> columns, TablePrinter? printer = null) => new()
    {
        Group = "",
        Plural = plural,
        Singular = singular,
        Kind = kind,
        Namespaced = namespaced,
        ShortNames = shortNames,
        StorageKey = plural == "events" ? "/events" : "",
        Versions = [new ResourceVersion("v1", true, hasStatus, columns, null, null, []) { Printer = printer }],
    };
}

/// <summary>core/v1 and events.k8s.io/v1 are two views of one Event storage (stored in the core form).</summary>
internal static class EventViews
{
    private static readonly (string Core, string EventsV1)[] Renames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
        ("reportingComponent", "reportingController"),
    ];

    public static JsonObject CoreToEventsV1(JsonObject core) => Rename(core, "events.k8s.io/v1", fromCore: true);

    public static JsonObject EventsV1ToCore(JsonObject events) => Rename(events, "v1", fromCore: false);

    private static JsonObject Rename(JsonObject source, string apiVersion, bool fromCore)
    {
        var result = (JsonObject)source.DeepClone();
        result["apiVersion"] = apiVersion;
        foreach (var (core, eventsV1) in Renames)
        {
            var (from, to) = fromCore ? (core, eventsV1) : (eventsV1, core);
            if (result.TryGetPropertyValue(from, out var value))
            {
                result.Remove(from);
                result[to] = value;
            }
        }

        return result;
    }
}
