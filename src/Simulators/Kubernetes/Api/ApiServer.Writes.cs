using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EksOperator.Simulators.Kubernetes.Json;
using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Http;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>Per-write settings: <c>fieldValidation</c>, <c>dryRun</c>, the field manager and warnings to send back.</summary>
internal sealed record WriteContext(ResourceType Type, ResourceVersion Version, string FieldValidation, bool DryRun, string? FieldManager)
{
    public List<string> Warnings { get; } = [];
}

internal sealed partial class ApiServer
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The write's options from the query (<paramref name="kind"/>: CreateOptions, UpdateOptions or PatchOptions).</summary>
    private static WriteContext Context(ResourceRequest request, string kind, bool apply = false)
    {
        var options = QueryParameters.Write(request.Http.Request.Query, kind, apply);
        return new(
            request.Type,
            request.Version,
            options.FieldValidation is { Length: > 0 } v ? v : "Warn",
            options.DryRun,
            options.FieldManager is { Length: > 0 } m ? m : UserAgentManager(request.Http));
    }

    private static string UserAgentManager(HttpContext http)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        var slash = agent.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? agent[..slash] : agent.Length > 0 ? agent : "unknown";
    }

    private static async Task RespondAsync(ResourceRequest request, WriteContext context, int code, JsonObject body)
    {
        foreach (var warning in context.Warnings)
        {
            request.Http.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        await WriteJsonAsync(request.Http, code, body);
    }

    private static JsonObject Meta(JsonObject obj) => obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private async Task CreateAsync(ResourceRequest request)
    {
        if (request.Subresource is not null)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var body = await ReadBodyAsync(request.Http) as JsonObject ?? throw ApiException.BadRequest("the body of the request is not an object");
        var context = Context(request, "CreateOptions");
        JsonObject stored;
        lock (_store.Gate)
        {
            stored = CreateLocked(context, request.Namespace, body, "Update");
        }

        await RespondAsync(request, context, 201, Present(request, stored));
    }

    /// <summary>Create: name generation, namespace checks, the schema pipeline, then system metadata.</summary>
    private JsonObject CreateLocked(WriteContext context, string? ns, JsonObject body, string operation)
    {
        var type = context.Type;
        var obj = type.FromView is { } fromView ? fromView(body) : (JsonObject)body.DeepClone();
        var metadata = Meta(obj);
        var bodyNamespace = Str(metadata["namespace"]);
        if (type.Namespaced)
        {
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        CheckKind(context, obj);
        var name = Str(metadata["name"]);
        if (string.IsNullOrEmpty(name))
        {
            var prefix = Str(metadata["generateName"]);
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiException.Invalid(type.Kind, type.Group, "", [new("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
            }

            name = prefix + new string(Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)]).ToArray());
            metadata["name"] = name;
        }

        if (type.Namespaced)
        {
            var nsType = _registry.Find("", "v1", "namespaces")!.Value.Type;
            var namespaceObject = _store.Get(nsType.Key, null, ns!) ?? throw ApiException.NotFound("namespaces", ns!, "", "namespaces");
            if (namespaceObject["metadata"]?["deletionTimestamp"] is not null)
            {
                throw new ApiException(403, "Forbidden", $"{type.Plural} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
            }
        }

        if (_store.Get(type.Key, ns, name) is not null)
        {
            throw ApiException.AlreadyExists(type.QualifiedResource, name, type.Group, type.Plural);
        }

        if (context.Version.StatusSubresource)
        {
            obj.Remove("status");
        }

        foreach (var key in new[] { "uid", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "managedFields" })
        {
            metadata.Remove(key);
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Formats.Time(_time.GetUtcNow());
        if (type.IsCustom)
        {
            metadata["generation"] = 1;
        }

        Admit(context, obj, old: null);
        Manage(obj, context.FieldManager, operation, type.ApiVersion(context.Version.Name), body, null);
        if (context.DryRun)
        {
            return obj;
        }

        var stored = _store.Put(type.Key, obj, previous: null);
        AfterWrite(type, stored);
        return stored;
    }

    private static void CheckKind(WriteContext context, JsonObject obj)
    {
        var type = context.Type;
        var kind = Str(obj["kind"]);
        var apiVersion = Str(obj["apiVersion"]);
        var expected = type.FromView is null ? type.ApiVersion(context.Version.Name) : "v1";
        if ((kind is not null && kind != type.Kind) || (apiVersion is not null && apiVersion != expected && type.Group.Length > 0 && !apiVersion.StartsWith(type.Group + "/", StringComparison.Ordinal)))
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expected})");
        }

        obj["apiVersion"] = type.FromView is null ? type.ApiVersion(type.StorageVersion.Name) : "v1";
        obj["kind"] = type.Kind;
    }

    /// <summary>Validation and defaulting: metadata, the CRD schema (prune, default, validate incl. CEL), then per-kind rules.</summary>
    private void Admit(WriteContext context, JsonObject obj, JsonObject? old)
    {
        var type = context.Type;
        var metadata = Meta(obj);
        var name = Str(metadata["name"]) ?? "";
        var causes = new List<Cause>();
        if (old is null)
        {
            ValidateName(type, name, causes);
        }

        ValidateLabels(metadata, causes);
        foreach (var finalizer in (metadata["finalizers"] as JsonArray ?? []).Select(Str))
        {
            if (finalizer is not null && !finalizer.Contains('/', StringComparison.Ordinal) && type.IsCustom)
            {
                context.Warnings.Add($"metadata.finalizers: \"{finalizer}\": prefer a domain-qualified finalizer name including a path (/) to avoid accidental conflicts with other finalizer writers");
            }
        }

        if (old is not null && old["metadata"]?["deletionTimestamp"] is not null)
        {
            var before = (old["metadata"]?["finalizers"] as JsonArray ?? []).Select(Str).ToHashSet();
            var added = (metadata["finalizers"] as JsonArray ?? []).Select(Str).Where(f => !before.Contains(f)).ToList();
            if (added.Count > 0)
            {
                causes.Add(new("metadata.finalizers", "FieldValueForbidden", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(a => $"\"{a}\""))}}}"));
            }
        }

        if (context.Version.Schema is { } schema)
        {
            var unknown = schema.Prune(obj);
            if (unknown.Count > 0)
            {
                switch (context.FieldValidation)
                {
                    case "Strict":
                        throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
                    case "Warn":
                        context.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                        break;
                }
            }

            schema.ApplyDefaults(obj);
            causes.AddRange(schema.Validate(obj, old));
        }

        AdmitBuiltIn(type, obj, old, causes);
        if (causes.Count > 0)
        {
            throw ApiException.Invalid(type.Kind, type.Group, name, causes);
        }
    }

    private static void ValidateName(ResourceType type, string name, List<Cause> causes)
    {
        var label = type.Plural == "namespaces" && type.Group.Length == 0;
        var valid = label
            ? name.Length <= 63 && DnsLabel().IsMatch(name)
            : name.Length <= 253 && DnsSubdomain().IsMatch(name);
        if (!valid)
        {
            causes.Add(new("metadata.name", "FieldValueInvalid", label
                ? $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                : $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
    }

    private static void ValidateLabels(JsonObject metadata, List<Cause> causes)
    {
        foreach (var (key, value) in metadata["labels"] as JsonObject ?? [])
        {
            var text = Str(value);
            if (!LabelKey().IsMatch(key))
            {
                causes.Add(new("metadata.labels", "FieldValueInvalid", $"Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }

            if (text is null || text.Length > 63 || !LabelValue().IsMatch(text))
            {
                causes.Add(new($"metadata.labels", "FieldValueInvalid", $"Invalid value: \"{text}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
            }
        }
    }

    private void AdmitBuiltIn(ResourceType type, JsonObject obj, JsonObject? old, List<Cause> causes)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "secrets"):
                if (obj["stringData"] is JsonObject stringData)
                {
                    var data = obj["data"] as JsonObject ?? (JsonObject)(obj["data"] = new JsonObject());
                    foreach (var (key, value) in stringData)
                    {
                        data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Str(value) ?? ""));
                    }

                    obj.Remove("stringData");
                }

                obj["type"] ??= "Opaque";
                break;
            case ("", "namespaces"):
                obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
                obj["status"] = old?["status"]?.DeepClone() ?? new JsonObject { ["phase"] = "Active" };
                var labels = Meta(obj)["labels"] as JsonObject ?? (JsonObject)(Meta(obj)["labels"] = new JsonObject());
                labels["kubernetes.io/metadata.name"] = Str(Meta(obj)["name"]);
                break;
            case ("", "events"):
                var ns = Str(Meta(obj)["namespace"]);
                var involvedNs = Str(obj["involvedObject"]?["namespace"]);
                if (obj["eventTime"] is null && !string.IsNullOrEmpty(involvedNs) && involvedNs != ns)
                {
                    causes.Add(new("involvedObject.namespace", "FieldValueInvalid", $"Invalid value: \"{involvedNs}\": does not match event.namespace"));
                }

                if (obj["eventTime"] is not null)
                {
                    foreach (var field in new[] { "reportingComponent", "reportingInstance", "action", "reason" })
                    {
                        if (string.IsNullOrEmpty(Str(obj[field])))
                        {
                            causes.Add(new(field, "FieldValueRequired", "Required value"));
                        }
                    }
                }

                break;
            case ("apiextensions.k8s.io", "customresourcedefinitions"):
                causes.AddRange(ResourceRegistry.ValidateCrd(obj));
                if (causes.Count == 0)
                {
                    var spec = obj["spec"]!;
                    obj["status"] = new JsonObject
                    {
                        ["conditions"] = new JsonArray(
                            Condition("NamesAccepted", "NoConflicts", "no conflicts found", Str(Meta(obj)["creationTimestamp"])),
                            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", Str(Meta(obj)["creationTimestamp"]))),
                        ["acceptedNames"] = spec["names"]!.DeepClone(),
                        ["storedVersions"] = new JsonArray(((JsonArray)spec["versions"]!).Where(v => v?["storage"]?.GetValue<bool>() == true)
                            .Select(v => (JsonNode?)JsonValue.Create(Str(v!["name"]))).ToArray()),
                    };
                }

                break;
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string? time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    private void AfterWrite(ResourceType type, JsonObject stored)
    {
        if (type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions")
        {
            _registry.Register(stored);
        }
    }

    /// <summary>Simplified managedFields: one entry per (manager, operation, subresource) listing the fields it sent.</summary>
    private void Manage(JsonObject obj, string? manager, string operation, string apiVersion, JsonNode? sent, string? subresource)
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
            ["time"] = Formats.Time(_time.GetUtcNow()),
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

    private async Task UpdateAsync(ResourceRequest request)
    {
        var body = await ReadBodyAsync(request.Http) as JsonObject ?? throw ApiException.BadRequest("the body of the request is not an object");
        var context = Context(request, "UpdateOptions");
        var bodyName = Str(body["metadata"]?["name"]);
        if (!string.IsNullOrEmpty(bodyName) && bodyName != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({request.Name})");
        }

        JsonObject result;
        var created = false;
        lock (_store.Gate)
        {
            var current = _store.Get(request.Type.Key, request.Namespace, request.Name!);
            if (current is null)
            {
                if (!request.Type.AllowCreateOnUpdate || request.IsStatus)
                {
                    throw NotFound(request, request.Name!);
                }

                Meta(body)["name"] = request.Name;
                result = CreateLocked(context, request.Namespace, body, "Update");
                created = true;
            }
            else
            {
                var incoming = request.Type.FromView is { } fromView ? fromView(body) : (JsonObject)body.DeepClone();
                var rv = Str(incoming["metadata"]?["resourceVersion"]);
                if (string.IsNullOrEmpty(rv) && !request.Type.AllowCreateOnUpdate)
                {
                    throw ApiException.Invalid(request.Type.Kind, request.Group, request.Name!, [new("metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update")]);
                }

                result = UpdateLocked(context, (JsonObject)current.DeepClone(), incoming, request.IsStatus, rvPrecondition: rv, body, "Update");
            }
        }

        await RespondAsync(request, context, created ? 201 : 200, Present(request, result));
    }

    /// <summary>The shared end of PUT and PATCH: preconditions, server-owned fields, generation, no-op detection,
    /// delete-on-last-finalizer.</summary>
    private JsonObject UpdateLocked(WriteContext context, JsonObject current, JsonObject incoming, bool status, string? rvPrecondition, JsonNode? sent, string operation)
    {
        var type = context.Type;
        var currentMeta = Meta(current);
        var name = Str(currentMeta["name"])!;
        if (!string.IsNullOrEmpty(rvPrecondition) && rvPrecondition != Str(currentMeta["resourceVersion"]))
        {
            throw ApiException.Modified(type.QualifiedResource, name, type.Group, type.Plural);
        }

        JsonObject updated;
        if (status)
        {
            updated = (JsonObject)current.DeepClone();
            updated.Remove("status");
            if (incoming["status"] is { } newStatus)
            {
                updated["status"] = newStatus.DeepClone();
            }

            if (incoming["metadata"]?["managedFields"] is JsonArray managed)
            {
                Meta(updated)["managedFields"] = managed.DeepClone();
            }
        }
        else
        {
            updated = incoming;
            CheckKind(context, updated);
            var meta = Meta(updated);
            var newName = Str(meta["name"]);
            if (!string.IsNullOrEmpty(newName) && newName != name)
            {
                throw ApiException.Invalid(type.Kind, type.Group, name, [new("metadata.name", "FieldValueInvalid", $"Invalid value: \"{newName}\": field is immutable")]);
            }

            meta["name"] = name;
            meta["namespace"] = currentMeta["namespace"]?.DeepClone();
            if (!type.Namespaced)
            {
                meta.Remove("namespace");
            }

            var uid = Str(meta["uid"]);
            if (!string.IsNullOrEmpty(uid) && uid != Str(currentMeta["uid"]))
            {
                throw ApiException.Conflict(type.QualifiedResource, name, type.Group, type.Plural,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Str(currentMeta["uid"])}");
            }

            foreach (var key in new[] { "uid", "creationTimestamp", "deletionTimestamp", "generation" })
            {
                meta.Remove(key);
                if (currentMeta[key] is { } value)
                {
                    meta[key] = value.DeepClone();
                }
            }

            if (meta["deletionGracePeriodSeconds"] is null && currentMeta["deletionGracePeriodSeconds"] is { } grace)
            {
                meta["deletionGracePeriodSeconds"] = grace.DeepClone();
            }

            if (meta["managedFields"] is null && currentMeta["managedFields"] is { } managedFields)
            {
                meta["managedFields"] = managedFields.DeepClone();
            }

            meta.Remove("selfLink");
            if (context.Version.StatusSubresource)
            {
                updated.Remove("status");
                if (current["status"] is { } kept)
                {
                    updated["status"] = kept.DeepClone();
                }
            }
        }

        Admit(context, updated, current);
        Meta(updated)["resourceVersion"] = currentMeta["resourceVersion"]?.DeepClone();
        if (!status && currentMeta["generation"] is not null && !SameOutsideMetadata(current, updated, ignoreStatus: context.Version.StatusSubresource))
        {
            Meta(updated)["generation"] = (JsonNumbers.Long(currentMeta["generation"]) ?? 0) + 1;
        }

        if (SameIgnoringManagedFields(current, updated))
        {
            return current;
        }

        Manage(updated, context.FieldManager, operation, type.ApiVersion(context.Version.Name), sent, status ? "status" : null);
        if (context.DryRun)
        {
            return updated;
        }

        var updatedMeta = Meta(updated);
        if (updatedMeta["deletionTimestamp"] is not null && (updatedMeta["finalizers"] as JsonArray ?? []).Count == 0)
        {
            RemoveLocked(type, Str(updatedMeta["namespace"]), name);
            return updated;
        }

        var stored = _store.Put(type.Key, updated, current);
        AfterWrite(type, stored);
        return stored;
    }

    private static bool SameOutsideMetadata(JsonObject a, JsonObject b, bool ignoreStatus)
    {
        var left = (JsonObject)a.DeepClone();
        var right = (JsonObject)b.DeepClone();
        foreach (var key in ignoreStatus ? new[] { "metadata", "status" } : ["metadata"])
        {
            left.Remove(key);
            right.Remove(key);
        }

        return JsonNode.DeepEquals(left, right);
    }

    private static bool SameIgnoringManagedFields(JsonObject a, JsonObject b)
    {
        var left = (JsonObject)a.DeepClone();
        var right = (JsonObject)b.DeepClone();
        Meta(left).Remove("managedFields");
        Meta(right).Remove("managedFields");
        return JsonNode.DeepEquals(left, right);
    }

    private async Task PatchAsync(ResourceRequest request)
    {
        var mediaType = MediaType(request.Http);
        var apply = mediaType == "application/apply-patch+yaml";
        if (mediaType == "application/strategic-merge-patch+json" && request.Type.IsCustom
            || mediaType is not ("application/strategic-merge-patch+json" or "application/merge-patch+json" or "application/json-patch+json" or "application/apply-patch+yaml"))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        var context = Context(request, "PatchOptions", apply);
        var body = await ReadBodyAsync(request.Http, yaml: apply);
        if (body is null)
        {
            throw ApiException.BadRequest("the body of the request was empty");
        }

        JsonObject result;
        var created = false;
        lock (_store.Gate)
        {
            var current = _store.Get(request.Type.Key, request.Namespace, request.Name!);
            if (current is null)
            {
                if (!apply || request.IsStatus)
                {
                    throw NotFound(request, request.Name!);
                }

                var applied = body as JsonObject ?? throw ApiException.BadRequest("apply patch must be an object");
                Meta(applied)["name"] ??= request.Name;
                result = CreateLocked(context, request.Namespace, applied, "Apply");
                created = true;
            }
            else
            {
                var view = Present(request, (JsonObject)current.DeepClone());
                var patched = mediaType switch
                {
                    "application/json-patch+json" => JsonPatchOrThrow(request, view, body),
                    "application/apply-patch+yaml" => JsonPatching.ApplyMerge(view, body, ApplySchema(request)),
                    _ => MergeOrStrategic(mediaType, view, body),
                } as JsonObject ?? throw ApiException.BadRequest("the patch did not produce an object");
                if (apply)
                {
                    RemoveFieldsNoLongerApplied(current, patched, body, context.FieldManager!, request.Subresource);
                }

                var incoming = request.Type.FromView is { } fromView ? fromView(patched) : patched;
                var rv = Str(incoming["metadata"]?["resourceVersion"]);
                result = UpdateLocked(context, (JsonObject)current.DeepClone(), incoming, request.IsStatus, rv, body, apply ? "Apply" : "Update");
            }
        }

        await RespondAsync(request, context, created ? 201 : 200, Present(request, result));
    }

    private static JsonObject? ApplySchema(ResourceRequest request) => request.Version.OpenApiSchema;

    /// <summary>Server-side apply drops a field that the same manager applied before and no longer applies, unless
    /// another manager also set it (our simplified managedFields list what each manager sent).</summary>
    private static void RemoveFieldsNoLongerApplied(JsonObject current, JsonObject patched, JsonNode applied, string manager, string? subresource)
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

    private static JsonNode? MergeOrStrategic(string mediaType, JsonObject view, JsonNode body)
    {
        if (mediaType == "application/strategic-merge-patch+json")
        {
            body = body.DeepClone();
            JsonPatching.StripStrategicDirectives(body);
        }

        return JsonPatching.MergePatch(view, body);
    }

    private static JsonNode? JsonPatchOrThrow(ResourceRequest request, JsonObject view, JsonNode body)
    {
        if (body is not JsonArray operations)
        {
            throw ApiException.BadRequest("the server rejected our request due to an error in our request");
        }

        if (operations.Count > 10000)
        {
            throw new ApiException(413, "RequestEntityTooLarge", $"The request entity is too large: the allowed maximum number of operations in a JSON patch is 10000, got {operations.Count}");
        }

        try
        {
            return JsonPatching.JsonPatch(view, operations);
        }
        catch (JsonPatchException e) when (e.Malformed)
        {
            throw ApiException.BadRequest(e.Message);
        }
        catch (JsonPatchException e)
        {
            throw new ApiException(422, "Invalid", e.Message, Status.Details(request.Name!, request.Group, request.Type.Kind));
        }
    }

    private async Task DeleteAsync(ResourceRequest request)
    {
        if (request.Subresource is not null)
        {
            throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        var body = await ReadDeleteOptionsAsync(request);
        var options = body ?? [];
        var deleteOptions = QueryParameters.Delete(body, request.Http.Request.Query);
        var policy = deleteOptions.EffectivePolicy;
        var dryRun = deleteOptions.DryRun;
        JsonObject response;
        lock (_store.Gate)
        {
            var current = _store.Get(request.Type.Key, request.Namespace, request.Name!) ?? throw NotFound(request, request.Name!);
            var currentMeta = current["metadata"]!;
            var uid = Str(options["preconditions"]?["uid"]);
            if (!string.IsNullOrEmpty(uid) && uid != Str(currentMeta["uid"]))
            {
                throw ApiException.Conflict(request.Type.QualifiedResource, request.Name!, request.Group, request.Type.Plural,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Str(currentMeta["uid"])}");
            }

            var rv = Str(options["preconditions"]?["resourceVersion"]);
            if (!string.IsNullOrEmpty(rv) && rv != Str(currentMeta["resourceVersion"]))
            {
                throw ApiException.Conflict(request.Type.QualifiedResource, request.Name!, request.Group, request.Type.Plural,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Str(currentMeta["resourceVersion"])}");
            }

            if (dryRun)
            {
                response = Present(request, (JsonObject)current.DeepClone());
            }
            else
            {
                var remaining = DeleteLocked(request.Type, request.Namespace, request.Name!, policy);
                response = remaining is not null
                    ? Present(request, remaining)
                    : Status.Success(new JsonObject
                    {
                        ["name"] = request.Name,
                        ["group"] = request.Group,
                        ["kind"] = request.Type.Plural,
                        ["uid"] = Str(currentMeta["uid"]),
                    });
            }
        }

        await WriteJsonAsync(request.Http, 200, response);
    }

    private async Task DeleteCollectionAsync(ResourceRequest request)
    {
        var filter = Filter(request, request.ListOptions());
        var deleteOptions = QueryParameters.Delete(await ReadDeleteOptionsAsync(request), request.Http.Request.Query);
        var policy = deleteOptions.EffectivePolicy;
        var items = new JsonArray();
        lock (_store.Gate)
        {
            foreach (var obj in _store.List(request.Type.Key, request.Namespace).Where(filter).ToList())
            {
                var meta = obj["metadata"]!;
                var remaining = deleteOptions.DryRun ? obj : DeleteLocked(request.Type, Str(meta["namespace"]), Str(meta["name"])!, policy);
                items.Add(Present(request, remaining ?? obj));
            }
        }

        await WriteJsonAsync(request.Http, 200, new JsonObject
        {
            ["apiVersion"] = request.ApiVersion,
            ["kind"] = request.Type.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = RvString(_store.ResourceVersion) },
            ["items"] = items,
        });
    }

    /// <summary>The DeleteOptions body, or null when the request has none (its options are then read from the query).</summary>
    private static async Task<JsonObject?> ReadDeleteOptionsAsync(ResourceRequest request) => await ReadBodyAsync(request.Http) switch
    {
        null => null,
        JsonObject options => options,
        _ => throw ApiException.BadRequest("the body of the request could not be decoded: DeleteOptions must be an object"),
    };

    /// <summary>Deletes or, with finalizers, marks for deletion. Returns the object that remains, or null when removed.
    /// Foreground deletes dependents first and Orphan strips their ownerReferences (this simulator's GC is immediate).</summary>
    internal JsonObject? DeleteLocked(ResourceType type, string? ns, string name, string? policy)
    {
        var current = _store.Get(type.Key, ns, name);
        if (current is null)
        {
            return null;
        }

        var uid = Str(current["metadata"]!["uid"])!;
        if (policy == "Orphan")
        {
            foreach (var (dependentType, dependent) in Dependents(uid))
            {
                var copy = (JsonObject)dependent.DeepClone();
                var refs = (JsonArray)copy["metadata"]!["ownerReferences"]!;
                foreach (var owned in refs.Where(r => Str(r?["uid"]) == uid).ToList())
                {
                    refs.Remove(owned);
                }

                _store.Put(dependentType.Key, copy, dependent);
            }
        }
        else if (policy == "Foreground")
        {
            foreach (var (dependentType, dependent) in Dependents(uid))
            {
                DeleteLocked(dependentType, Str(dependent["metadata"]!["namespace"]), Str(dependent["metadata"]!["name"])!, "Foreground");
            }
        }

        var metadata = current["metadata"]!;
        if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            return DeleteNamespaceLocked(type, current);
        }

        if ((metadata["finalizers"] as JsonArray ?? []).Count > 0)
        {
            if (metadata["deletionTimestamp"] is not null)
            {
                return (JsonObject)current.DeepClone();
            }

            var marked = (JsonObject)current.DeepClone();
            var markedMeta = Meta(marked);
            markedMeta["deletionTimestamp"] = Formats.Time(_time.GetUtcNow());
            markedMeta["deletionGracePeriodSeconds"] = 0;
            if (markedMeta["generation"] is { } generation)
            {
                markedMeta["generation"] = (JsonNumbers.Long(generation) ?? 0) + 1;
            }

            return _store.Put(type.Key, marked, current);
        }

        RemoveLocked(type, ns, name);
        return null;
    }

    private JsonObject? DeleteNamespaceLocked(ResourceType type, JsonObject current)
    {
        var name = Str(current["metadata"]!["name"])!;
        var marked = (JsonObject)current.DeepClone();
        if (marked["metadata"]!["deletionTimestamp"] is null)
        {
            Meta(marked)["deletionTimestamp"] = Formats.Time(_time.GetUtcNow());
            Meta(marked)["deletionGracePeriodSeconds"] = 0;
            marked["status"] = new JsonObject { ["phase"] = "Terminating" };
            marked = _store.Put(type.Key, marked, current);
        }

        foreach (var (contentType, obj) in Contents(name))
        {
            DeleteLocked(contentType, name, Str(obj["metadata"]!["name"])!, "Background");
        }

        if (!Contents(name).Any())
        {
            _store.Remove(type.Key, null, name);
            return null;
        }

        return marked;
    }

    private IEnumerable<(ResourceType Type, JsonObject Object)> Contents(string ns)
    {
        var types = _registry.All.Where(t => t.Namespaced).GroupBy(t => t.Key).Select(g => g.First()).ToList();
        return types.SelectMany(t => _store.List(t.Key, ns).Select(o => (t, o))).ToList();
    }

    private List<(ResourceType Type, JsonObject Object)> Dependents(string ownerUid)
    {
        var typesByKey = _registry.All.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.First());
        return _store.Everything()
            .Where(e => (e.Object["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => Str(r?["uid"]) == ownerUid))
            .Where(e => typesByKey.ContainsKey(e.TypeKey))
            .Select(e => (typesByKey[e.TypeKey], e.Object)).ToList();
    }

    private void RemoveLocked(ResourceType type, string? ns, string name)
    {
        var removed = _store.Remove(type.Key, ns, name);
        if (removed is null)
        {
            return;
        }

        _collector.Enqueue(Str(removed["metadata"]!["uid"])!);
        if (type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions")
        {
            var group = Str(removed["spec"]?["group"]);
            var plural = Str(removed["spec"]?["names"]?["plural"]);
            if (_registry.All.FirstOrDefault(t => t.IsCustom && t.Group == group && t.Plural == plural) is { } crType)
            {
                foreach (var obj in _store.List(crType.Key, null))
                {
                    _store.Remove(crType.Key, Str(obj["metadata"]!["namespace"]), Str(obj["metadata"]!["name"])!);
                }

                _registry.Unregister(crType.Group, crType.Plural);
            }
        }

        if (ns is not null)
        {
            var nsType = _registry.Find("", "v1", "namespaces")!.Value.Type;
            if (_store.Get(nsType.Key, null, ns) is { } namespaceObject && namespaceObject["metadata"]?["deletionTimestamp"] is not null && !Contents(ns).Any())
            {
                _store.Remove(nsType.Key, null, ns);
            }
        }
    }

    /// <summary>Background ownerReference GC: when an owner is gone, dependents with no remaining owner are deleted.</summary>
    internal void CollectGarbage(string ownerUid)
    {
        lock (_store.Gate)
        {
            var living = _store.Everything().Select(e => Str(e.Object["metadata"]?["uid"])).ToHashSet();
            foreach (var (type, dependent) in Dependents(ownerUid))
            {
                var owners = (dependent["metadata"]!["ownerReferences"] as JsonArray ?? []).Select(r => Str(r?["uid"]));
                if (!owners.Any(living.Contains))
                {
                    DeleteLocked(type, Str(dependent["metadata"]!["namespace"]), Str(dependent["metadata"]!["name"])!, "Background");
                }
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")]
    private static partial Regex LabelValue();
}
