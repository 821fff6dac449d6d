using System.Text.Json.Nodes;
using static EksOperator.Simulators.Kubernetes.Json.JsonFields;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>DELETE of one object and of a collection: DeleteOptions, preconditions and dry run; <see cref="Deletions"/> does the deleting.</summary>
internal sealed partial class ApiServer
{
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
                var remaining = _deletions.DeleteLocked(request.Type, request.Namespace, request.Name!, policy);
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
                var remaining = deleteOptions.DryRun ? obj : _deletions.DeleteLocked(request.Type, Str(meta["namespace"]), Str(meta["name"])!, policy);
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
}
