using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Http;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>A request addressed to a resource collection, an object or its status subresource.</summary>
internal sealed record ResourceRequest(ResourceType Type, ResourceVersion Version, string? Namespace, string? Name, string? Subresource, bool WatchPath, HttpContext Http)
{
    public string Group => Type.Group;

    public string ApiVersion => Type.ApiVersion(Version.Name);

    public string? Query(string key) => Http.Request.Query.TryGetValue(key, out var v) ? v.ToString() : null;

    public bool Flag(string key) => Query(key) is "true" or "1";

    public bool DryRun => Http.Request.Query.TryGetValue("dryRun", out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]);

    public bool IsStatus => Subresource == "status";
}
