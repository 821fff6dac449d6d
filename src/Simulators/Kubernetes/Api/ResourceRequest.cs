using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Http;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>A request addressed to a resource collection, an object or its status subresource.</summary>
internal sealed record ResourceRequest(ResourceType Type, ResourceVersion Version, string? Namespace, string? Name, string? Subresource, bool WatchPath, HttpContext Http)
{
    public string Group => Type.Group;

    public string ApiVersion => Type.ApiVersion(Version.Name);

    /// <summary>The first value of a string parameter, or null when absent; typed options come from <see cref="QueryParameters"/>.</summary>
    public string? Query(string key) => QueryParameters.String(Http.Request.Query[key]);

    /// <summary>ListOptions of a list, watch or deletecollection (400 or 422 when the query is not valid).</summary>
    public ListQuery ListOptions() => QueryParameters.List(Http.Request.Query);

    public bool IsStatus => Subresource == "status";
}
