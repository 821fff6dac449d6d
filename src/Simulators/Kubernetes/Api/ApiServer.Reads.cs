using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Json;
using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Http;
using static EksOperator.Simulators.Kubernetes.Json.JsonFields;

namespace EksOperator.Simulators.Kubernetes.Api;

internal sealed partial class ApiServer
{
    private static readonly string[] EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
    ];

    private ApiException NotFound(ResourceRequest request, string name) =>
        ApiException.NotFound(request.Type.QualifiedResource, name, request.Group, request.Type.Plural);

    private JsonObject Load(ResourceRequest request)
    {
        var stored = _store.Get(request.Type.Key, request.Namespace, request.Name!);
        return stored is null ? throw NotFound(request, request.Name!) : (JsonObject)stored.DeepClone();
    }

    private async Task GetAsync(ResourceRequest request)
    {
        var obj = Present(request, Load(request));
        if (WantsTable(request.Http))
        {
            await WriteJsonAsync(request.Http, 200, Table(request, [obj], RvString(_store.ResourceVersion), null));
            return;
        }

        await WriteJsonAsync(request.Http, 200, obj);
    }

    private static bool WantsTable(HttpContext http) =>
        http.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private bool FieldSupported(ResourceType type, ResourceVersion version, string field) =>
        field is "metadata.name" or "metadata.namespace"
        || (type.Key == "/events" && (EventFields.Contains(field) || field is "regarding.name" or "regarding.kind" or "regarding.namespace" or "regarding.uid"))
        || (type.Plural == "secrets" && type.Group.Length == 0 && field == "type")
        || (type.Plural == "namespaces" && type.Group.Length == 0 && field == "status.phase")
        || version.SelectableFields.Contains(field);

    private Func<JsonObject, bool> Filter(ResourceRequest request, ListQuery options)
    {
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fieldText = options.FieldSelector;
        var fields = FieldSelector.Parse(fieldText, f => FieldSupported(request.Type, request.Version, f));
        var ns = request.Namespace;
        // Field selectors on events.k8s.io name fields of its own view; match them against that view.
        var toView = request.Type.ToView;
        return obj => (ns is null || obj["metadata"]?["namespace"]?.GetValue<string>() == ns)
            && labels.Matches(obj)
            && (fieldText is null || fields.Matches(toView is null ? obj : toView(obj)));
    }

    private async Task ListAsync(ResourceRequest request)
    {
        var options = request.ListOptions();
        var filter = Filter(request, options);
        long listRv;
        string? after = null;
        if (options.Continue is { Length: > 0 } token)
        {
            (listRv, after) = DecodeContinue(token);
        }
        else
        {
            listRv = _store.ResourceVersion;
        }

        // A limit of zero or below means no limit, as the apiserver's storage takes it.
        var limit = options.Limit is > 0 and < int.MaxValue ? (int)options.Limit : int.MaxValue;
        var page = new List<JsonObject>();
        string? next = null;
        foreach (var obj in _store.List(request.Type.Key, request.Namespace))
        {
            var key = $"{obj["metadata"]?["namespace"]?.GetValue<string>()}\0{obj["metadata"]!["name"]!.GetValue<string>()}";
            if (after is not null && string.CompareOrdinal(key, after) <= 0)
            {
                continue;
            }

            if (!filter(obj))
            {
                continue;
            }

            if (page.Count == limit)
            {
                next = EncodeContinue(listRv, $"{page[^1]["metadata"]?["namespace"]?.GetValue<string>()}\0{page[^1]["metadata"]!["name"]!.GetValue<string>()}");
                break;
            }

            page.Add(obj);
        }

        if (WantsTable(request.Http))
        {
            await WriteTableAsync(request, page, RvString(listRv), next);
            return;
        }

        await WriteListAsync(request, page, RvString(listRv), next);
    }

    /// <summary>Streams a list without copying the items: stored objects are immutable, so they are written as they are
    /// unless the requested version or view differs from the stored form.</summary>
    private static async Task WriteListAsync(ResourceRequest request, List<JsonObject> items, string resourceVersion, string? next)
    {
        var http = request.Http;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var body = http.Response.BodyWriter;
        var apiVersion = request.ApiVersion;
        await using (var writer = new Utf8JsonWriter(body, WriterOptions(http)))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", apiVersion);
            writer.WriteString("kind", request.Type.ListKind);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion);
            if (next is not null)
            {
                writer.WriteString("continue", next);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                var asStored = request.Type.ToView is null && Str(item["apiVersion"]) == apiVersion && Str(item["kind"]) == request.Type.Kind;
                (asStored ? item : Present(request, item)).WriteTo(writer);
                if (writer.BytesPending > 32 * 1024)
                {
                    await writer.FlushAsync(http.RequestAborted);
                    await body.FlushAsync(http.RequestAborted);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(http.RequestAborted);
        }

        await body.FlushAsync(http.RequestAborted);
    }

    private static string EncodeContinue(long rv, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = rv, ["start"] = lastKey }.ToJsonString()));

    private static (long Rv, string After) DecodeContinue(string token)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)))!;
            return (JsonNumbers.Long(node["rv"]) ?? 0, node["start"]!.GetValue<string>());
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }

    /// <summary>The Table form of a list, streamed like <see cref="WriteListAsync"/>: cells are computed from the stored
    /// objects and row metadata is written from them directly.</summary>
    private async Task WriteTableAsync(ResourceRequest request, List<JsonObject> items, string resourceVersion, string? next)
    {
        var http = request.Http;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        var body = http.Response.BodyWriter;
        var include = request.Query("includeObject") ?? "Metadata";
        var version = request.Version;
        var now = _time.GetUtcNow();
        await using (var writer = new Utf8JsonWriter(body, WriterOptions(http)))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Table");
            writer.WriteString("apiVersion", "meta.k8s.io/v1");
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", resourceVersion);
            if (next is not null)
            {
                writer.WriteString("continue", next);
            }

            writer.WriteEndObject();
            writer.WritePropertyName("columnDefinitions");
            ColumnDefinitions(version).WriteTo(writer);
            writer.WriteStartArray("rows");
            foreach (var stored in items)
            {
                var obj = request.Type.ToView is null ? stored : Present(request, stored);
                writer.WriteStartObject();
                writer.WritePropertyName("cells");
                Cells(obj, version, now).WriteTo(writer);
                if (include == "Object")
                {
                    writer.WritePropertyName("object");
                    Present(request, stored).WriteTo(writer);
                }
                else if (include != "None")
                {
                    writer.WriteStartObject("object");
                    writer.WriteString("kind", "PartialObjectMetadata");
                    writer.WriteString("apiVersion", "meta.k8s.io/v1");
                    writer.WritePropertyName("metadata");
                    obj["metadata"]!.WriteTo(writer);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                if (writer.BytesPending > 32 * 1024)
                {
                    await writer.FlushAsync(http.RequestAborted);
                    await body.FlushAsync(http.RequestAborted);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(http.RequestAborted);
        }

        await body.FlushAsync(http.RequestAborted);
    }

    private static JsonArray Cells(JsonObject obj, ResourceVersion version, DateTimeOffset now)
    {
        if (version.Printer is { } printer)
        {
            return printer.Row(obj, now);
        }

        var columns = version.PrinterColumns;
        var cells = new JsonArray(JsonValue.Create(obj["metadata"]!["name"]!.GetValue<string>()));
        foreach (var column in columns)
        {
            cells.Add(Cell(obj, column, now));
        }

        return cells;
    }

    private static JsonArray ColumnDefinitions(ResourceVersion version)
    {
        if (version.Printer is { } printer)
        {
            return [.. printer.Columns.Select(Definition)];
        }

        var columns = version.PrinterColumns;
        var definitions = new JsonArray(new JsonObject
        {
            ["name"] = "Name",
            ["type"] = "string",
            ["format"] = "name",
            ["description"] = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
            ["priority"] = 0,
        });
        foreach (var column in columns)
        {
            definitions.Add(Definition(column));
        }

        return definitions;
    }

    private static JsonObject Definition(PrinterColumn column) => new()
    {
        ["name"] = column.Name,
        ["type"] = column.Type,
        ["format"] = column.Format,
        ["description"] = column.Description,
        ["priority"] = column.Priority,
    };

    private JsonObject Table(ResourceRequest request, IReadOnlyList<JsonObject> objects, string resourceVersion, string? next)
    {
        var version = request.Version;
        var include = request.Query("includeObject") ?? "Metadata";
        var now = _time.GetUtcNow();
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = Cells(obj, version, now) };
            if (include == "Object")
            {
                row["object"] = obj.DeepClone();
            }
            else if (include != "None")
            {
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]!.DeepClone(),
                };
            }

            rows.Add(row);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = ColumnDefinitions(version),
            ["rows"] = rows,
        };
    }

    private static JsonNode? Cell(JsonObject obj, PrinterColumn column, DateTimeOffset now)
    {
        IReadOnlyList<JsonNode?> values;
        try
        {
            values = JsonPathLite.Evaluate(obj, column.JsonPath);
        }
        catch (FormatException)
        {
            return null;
        }

        if (values.Count == 0 || values[0] is not { } value)
        {
            return null;
        }

        var kind = value.GetValueKind();
        switch (column.Type)
        {
            case "integer" when kind == JsonValueKind.Number:
                return JsonValue.Create(JsonNumbers.Long(value));
            case "number" when kind == JsonValueKind.Number:
                return JsonValue.Create(JsonNumbers.Double(value));
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(value.GetValue<bool>());
            case "date" when kind == JsonValueKind.String:
                return DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? Formats.HumanDuration(now - at)
                    : "<unknown>";
            default:
                return values.Count == 1 ? JsonPathLite.Text(value) : string.Join(",", values.Select(JsonPathLite.Text));
        }
    }

    private async Task WatchAsync(ResourceRequest request)
    {
        var options = request.ListOptions();
        var filter = Filter(request, options);
        var http = request.Http;
        var rvText = options.ResourceVersion;
        var bookmarks = options.AllowWatchBookmarks;
        var sendInitial = options.SendInitialEvents == true;
        var table = WantsTable(http);
        long? from = null;
        if (!string.IsNullOrEmpty(rvText) && rvText != "0")
        {
            from = long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw ApiException.BadRequest($"invalid resource version: {rvText}");
        }

        if (request.Name is not null)
        {
            // Legacy /watch/namespaces/ns/plural/name: a watch on one object.
            var name = request.Name;
            var inner = filter;
            filter = o => o["metadata"]?["name"]?.GetValue<string>() == name && inner(o);
        }

        var initial = from is null || sendInitial
            ? (Func<IEnumerable<JsonObject>, IEnumerable<WatchEvent>>)(objects =>
                objects.Select(o => new WatchEvent(request.Type.Key, "ADDED", o, null, 0)).ToList())
            : null;
        var subscription = _store.Subscribe(request.Type.Key, sendInitial ? null : from, bookmarks, initial, out var oldest);

        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-cache, private";
        await http.Response.StartAsync(http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);

        if (subscription is null)
        {
            var status = Status.Failure(410, "Expired", $"too old resource version: {from} ({oldest})");
            await WriteEventAsync(http, new JsonObject { ["type"] = "ERROR", ["object"] = status });
            return;
        }

        // timeoutSeconds=0 or absent: the server's own limit (the apiserver's is 30 to 60 minutes); below zero the
        // watch ends at once, as a context with a negative timeout does.
        var timeout = options.TimeoutSeconds switch
        {
            null or 0 => TimeSpan.FromMinutes(30),
            < 0 => TimeSpan.Zero,
            var seconds => TimeSpan.FromSeconds(Math.Min(seconds.Value, (long)TimeSpan.FromDays(1).TotalSeconds)),
        };
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, http.RequestAborted);
        // Periodic bookmarks come from the simulator-wide timer (ObjectStore.BookmarkAll) every BookmarkInterval.
        if (sendInitial || bookmarks)
        {
            // An early bookmark marks the end of the initial events (sendInitialEvents) and lets clients that wait for a
            // first line (the C# client) start at once; the apiserver may send bookmarks at any time.
            _store.Bookmark(subscription);
        }

        var initialEnd = sendInitial;
        try
        {
            await foreach (var change in subscription.Events.Reader.ReadAllAsync(linked.Token))
            {
                var line = Translate(request, change, filter, table, ref initialEnd);
                if (line is not null)
                {
                    await WriteEventAsync(http, line);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested || http.RequestAborted.IsCancellationRequested)
        {
            // timeoutSeconds elapsed or the client left: end the stream cleanly.
        }
        finally
        {
            _store.Unsubscribe(subscription);
        }
    }

    private JsonObject? Translate(ResourceRequest request, WatchEvent change, Func<JsonObject, bool> filter, bool table, ref bool initialEnd)
    {
        if (change.Type == "BOOKMARK")
        {
            var metadata = new JsonObject { ["resourceVersion"] = RvString(change.ResourceVersion) };
            if (initialEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
                initialEnd = false;
            }

            return new JsonObject
            {
                ["type"] = "BOOKMARK",
                ["object"] = new JsonObject { ["kind"] = request.Type.Kind, ["apiVersion"] = request.ApiVersion, ["metadata"] = metadata },
            };
        }

        var nowMatches = change.Object is not null && filter(change.Object);
        var wasMatching = change.Previous is not null && filter(change.Previous);
        var type = change.Type switch
        {
            "ADDED" => nowMatches ? "ADDED" : null,
            "DELETED" => wasMatching ? "DELETED" : null,
            _ => (wasMatching, nowMatches) switch
            {
                (true, true) => "MODIFIED",
                (false, true) => "ADDED",
                (true, false) => "DELETED",
                _ => null,
            },
        };
        if (type is null)
        {
            return null;
        }

        // An object that stopped matching leaves as the apiserver's cacher sends it: DELETED with its previous content
        // (which the selector matched) at the resourceVersion of the change that moved it out.
        var leaving = type == "DELETED" && change.Type != "DELETED" && change.Previous is not null;
        var obj = Present(request, leaving ? AtVersion(change.Previous!, change.Object!) : change.Object!);
        return new JsonObject
        {
            ["type"] = type,
            ["object"] = table ? Table(request, [obj], obj["metadata"]!["resourceVersion"]!.GetValue<string>(), null) : obj,
        };
    }

    private static JsonObject AtVersion(JsonObject previous, JsonObject current)
    {
        var copy = (JsonObject)previous.DeepClone();
        copy["metadata"]!["resourceVersion"] = current["metadata"]?["resourceVersion"]?.DeepClone();
        return copy;
    }

    private static async Task WriteEventAsync(HttpContext http, JsonObject line)
    {
        await http.Response.WriteAsync(line.ToJsonString() + "\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }
}
