using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>A failure that becomes a metav1.Status body with the given HTTP code.</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus() => Status.Failure(Code, Reason, Message, Details);

    public static ApiException NotFound(string qualifiedResource, string name, string group, string plural) =>
        new(404, "NotFound", $"{qualifiedResource} \"{name}\" not found", Status.Details(name, group, plural));

    public static ApiException AlreadyExists(string qualifiedResource, string name, string group, string plural) =>
        new(409, "AlreadyExists", $"{qualifiedResource} \"{name}\" already exists", Status.Details(name, group, plural));

    public static ApiException Conflict(string qualifiedResource, string name, string group, string plural, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {qualifiedResource} \"{name}\": {why}", Status.Details(name, group, plural));

    public static ApiException Modified(string qualifiedResource, string name, string group, string plural) =>
        Conflict(qualifiedResource, name, group, plural, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    /// <summary>422 with causes; the message follows apimachinery's <c>NewInvalid</c>.</summary>
    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<Cause> causes)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var list = causes.Select(c => c.Field.Length == 0 ? c.Message : $"{c.Field}: {c.Message}").ToList();
        var joined = list.Count == 1 ? list[0] : $"[{string.Join(", ", list)}]";
        var details = Status.Details(name, group, kind);
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = c.Reason,
            ["message"] = c.Message,
            ["field"] = c.Field,
        }).ToArray());
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", details);
    }
}

/// <summary>One field-level cause of an Invalid status.</summary>
internal sealed record Cause(string Field, string Reason, string Message);

internal static class Status
{
    public static JsonObject Details(string name, string group, string kind)
    {
        var details = new JsonObject { ["name"] = name };
        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        return details;
    }

    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details.DeepClone();
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(JsonObject details) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = details,
    };
}
