using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Json;
using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Http;
using static EksOperator.Simulators.Kubernetes.Json.JsonFields;

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

        WriteAdmission.Admit(context, obj, old: null);
        ManagedFields.Record(obj, context.FieldManager, operation, type.ApiVersion(context.Version.Name), body, null, _time.GetUtcNow());
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

    private void AfterWrite(ResourceType type, JsonObject stored)
    {
        if (type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions")
        {
            _registry.Register(stored);
        }
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

        WriteAdmission.Admit(context, updated, current);
        Meta(updated)["resourceVersion"] = currentMeta["resourceVersion"]?.DeepClone();
        if (!status && currentMeta["generation"] is not null && !SameOutsideMetadata(current, updated, ignoreStatus: context.Version.StatusSubresource))
        {
            Meta(updated)["generation"] = (JsonNumbers.Long(currentMeta["generation"]) ?? 0) + 1;
        }

        if (SameIgnoringManagedFields(current, updated))
        {
            return current;
        }

        ManagedFields.Record(updated, context.FieldManager, operation, type.ApiVersion(context.Version.Name), sent, status ? "status" : null, _time.GetUtcNow());
        if (context.DryRun)
        {
            return updated;
        }

        var updatedMeta = Meta(updated);
        if (updatedMeta["deletionTimestamp"] is not null && (updatedMeta["finalizers"] as JsonArray ?? []).Count == 0)
        {
            _deletions.RemoveLocked(type, Str(updatedMeta["namespace"]), name);
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
                    ManagedFields.RemoveFieldsNoLongerApplied(current, patched, body, context.FieldManager!, request.Subresource);
                }

                var incoming = request.Type.FromView is { } fromView ? fromView(patched) : patched;
                var rv = Str(incoming["metadata"]?["resourceVersion"]);
                result = UpdateLocked(context, (JsonObject)current.DeepClone(), incoming, request.IsStatus, rv, body, apply ? "Apply" : "Update");
            }
        }

        await RespondAsync(request, context, created ? 201 : 200, Present(request, result));
    }

    private static JsonObject? ApplySchema(ResourceRequest request) => request.Version.OpenApiSchema;

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
}
