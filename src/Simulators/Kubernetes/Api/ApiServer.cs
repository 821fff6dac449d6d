using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Http;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>Routes Kubernetes REST requests to the store. Split in partial files: routing (here), reads and watch,
/// writes, deletes, discovery and OpenAPI, and the simulator-control endpoints; admission, managed fields and
/// deletion with garbage collection are classes of their own (<see cref="WriteAdmission"/>, <see cref="ManagedFields"/>,
/// <see cref="Api.Deletions"/>).</summary>
internal sealed partial class ApiServer
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly ResourceRegistry _registry;
    private readonly ObjectStore _store;
    private readonly KubernetesFaults _faults;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ApiAccess, byte> _accesses = new();
    private readonly ConcurrentDictionary<(string Client, ApiAccess Access), byte> _accessesByClient = new();
    private readonly GarbageCollector _collector = new();
    private readonly Deletions _deletions;

    public ApiServer(KubernetesSimulatorOptions options, ResourceRegistry registry, ObjectStore store, KubernetesFaults faults)
    {
        _registry = registry;
        _store = store;
        _faults = faults;
        _time = options.TimeProvider;
        _deletions = new Deletions(registry, store, _time, _collector);
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            var type = registry.Find("", "v1", "namespaces")!.Value.Type;
            _store.Put(type.Key, NewNamespace(ns), previous: null);
        }
    }

    public IReadOnlyCollection<ApiAccess> Accesses => [.. _accesses.Keys];

    /// <summary>The accesses of requests whose User-Agent starts with the product <paramref name="client"/> (e.g. "kubectl").</summary>
    public IReadOnlyCollection<ApiAccess> AccessesBy(string client) =>
        [.. _accessesByClient.Keys.Where(k => string.Equals(k.Client, client, StringComparison.OrdinalIgnoreCase)).Select(k => k.Access)];

    public GarbageCollector Collector => _collector;

    public Deletions Deletions => _deletions;

    private JsonObject NewNamespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["uid"] = Guid.NewGuid().ToString(),
            ["creationTimestamp"] = Formats.Time(_time.GetUtcNow()),
            ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name },
        },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    public async Task HandleAsync(HttpContext http)
    {
        try
        {
            var segments = (http.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments is ["_sim", ..])
            {
                await HandleSimulatorControlAsync(http, segments[1..]);
                return;
            }

            if (_faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(_faults.Latency, _time, http.RequestAborted);
            }

            switch (segments)
            {
                case []:
                    await WriteJsonAsync(http, 200, new JsonObject { ["paths"] = new JsonArray("/api", "/apis", "/openapi/v3", "/version") });
                    return;
                case ["version"]:
                    await WriteJsonAsync(http, 200, VersionInfo());
                    return;
                case ["healthz" or "readyz" or "livez", ..]:
                    http.Response.ContentType = "text/plain";
                    await http.Response.WriteAsync("ok");
                    return;
                case ["api"]:
                    await WriteJsonAsync(http, 200, CoreVersions(http));
                    return;
                case ["api", var version]:
                    await WriteJsonAsync(http, 200, ResourceList("", version));
                    return;
                case ["apis"]:
                    await WriteJsonAsync(http, 200, GroupList());
                    return;
                case ["apis", var group]:
                    await WriteJsonAsync(http, 200, Group(group));
                    return;
                case ["apis", var group, var version]:
                    await WriteJsonAsync(http, 200, ResourceList(group, version));
                    return;
                case ["openapi", "v3", .. var rest]:
                    await WriteJsonAsync(http, 200, OpenApiV3(rest));
                    return;
                case ["api", var version, .. var rest]:
                    await HandleResourceAsync(http, "", version, rest);
                    return;
                case ["apis", var group, var version, .. var rest]:
                    await HandleResourceAsync(http, group, version, rest);
                    return;
                default:
                    throw NotFoundPath();
            }
        }
        catch (ApiException e)
        {
            await WriteJsonAsync(http, e.Code, e.ToStatus());
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            // A simulator bug must still look like an apiserver failure to the client, with enough detail to find it.
            await WriteJsonAsync(http, 500, Status.Failure(500, "InternalError", $"Internal error occurred: {e}"));
        }
    }

    private static ApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private async Task HandleResourceAsync(HttpContext http, string group, string version, string[] rest)
    {
        var watchPath = false;
        if (rest is ["watch", ..])
        {
            watchPath = true;
            rest = rest[1..];
        }

        string? ns = null;
        if (rest is ["namespaces", _, var next, ..] && next is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3 || _registry.Find(group, version, rest[0]) is not { } found)
        {
            throw NotFoundPath();
        }

        var (type, resourceVersion) = found;
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if ((ns is not null && !type.Namespaced) || (subresource is not null && (subresource != "status" || !resourceVersion.StatusSubresource)))
        {
            throw NotFoundPath();
        }

        if (type.Namespaced && ns is null && name is not null)
        {
            throw NotFoundPath();
        }

        var request = new ResourceRequest(type, resourceVersion, ns, name, subresource, watchPath, http);
        var method = http.Request.Method;
        var verb = (method, name) switch
        {
            ("GET", null) => watchPath || QueryParameters.Bool(http.Request.Query["watch"]) ? "watch" : "list",
            ("GET", _) => watchPath ? "watch" : "get",
            ("POST", null) => "create",
            ("PUT", not null) => "update",
            ("PATCH", not null) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource"),
        };
        var access = new ApiAccess(verb, group, type.Plural, subresource ?? "");
        _accesses.TryAdd(access, 0);
        var agent = http.Request.Headers.UserAgent.ToString();
        _accessesByClient.TryAdd((agent.Split('/', ' ')[0], access), 0);

        if (verb is "create" or "update" or "patch" or "delete" or "deletecollection" && _faults.TakeWriteFailure() is { } failure)
        {
            throw failure == 409
                ? ApiException.Modified(type.QualifiedResource, name ?? "", group, type.Plural)
                : new ApiException(500, "InternalError", "Internal error occurred: injected fault");
        }

        switch (verb)
        {
            case "get":
                await GetAsync(request);
                break;
            case "list":
                await ListAsync(request);
                break;
            case "watch":
                await WatchAsync(request);
                break;
            case "create":
                await CreateAsync(request);
                break;
            case "update":
                await UpdateAsync(request);
                break;
            case "patch":
                await PatchAsync(request);
                break;
            case "delete":
                await DeleteAsync(request);
                break;
            default:
                await DeleteCollectionAsync(request);
                break;
        }
    }

    /// <summary>The stored object as the requested version and view shows it.</summary>
    private static JsonObject Present(ResourceRequest request, JsonObject stored) => Present(request.Type, request.Version.Name, stored);

    private static JsonObject Present(ResourceType type, string version, JsonObject stored)
    {
        var view = type.ToView is { } toView ? toView(stored) : (JsonObject)stored.DeepClone();
        view["apiVersion"] = type.ApiVersion(version);
        view["kind"] = type.Kind;
        return view;
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext http, bool yaml = false)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = yaml ? Admission.YamlJson.Parse(text) : JsonNode.Parse(text);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException or InvalidCastException or FormatException)
        {
            throw ApiException.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }

        try
        {
            // Parsed nodes build their children lazily; building them now surfaces duplicate keys as a 400 here.
            Walk(node);
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest($"strict decoding error: duplicate field: {e.Message}");
        }

        return node;

        static void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (_, child) in o)
                    {
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Walk(child);
                    }

                    break;
            }
        }
    }

    private static string MediaType(HttpContext http)
    {
        var contentType = http.Request.ContentType ?? "application/json";
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
    }

    internal static async Task WriteJsonAsync(HttpContext http, int code, JsonNode body)
    {
        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(QueryParameters.Pretty(http.Request) ? Indented : null), http.RequestAborted);
    }

    private static JsonWriterOptions WriterOptions(HttpContext http) => new() { Indented = QueryParameters.Pretty(http.Request) };

    private static string RvString(long rv) => rv.ToString(CultureInfo.InvariantCulture);
}
