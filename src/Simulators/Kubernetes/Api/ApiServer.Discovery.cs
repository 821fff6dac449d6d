using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Kubernetes.Storage;
using Microsoft.AspNetCore.Http;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>Legacy discovery, /version and the minimal /openapi/v3 that kubectl apply and explain need.</summary>
internal sealed partial class ApiServer
{
    private static readonly string[] ResourceVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    private static JsonObject VersionInfo() => new()
    {
        ["major"] = "1",
        ["minor"] = "33",
        ["gitVersion"] = "v1.33.0",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-23T00:00:00Z",
        ["goVersion"] = "go1.24.2",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static JsonObject CoreVersions(HttpContext http) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = http.Request.Host.Value,
        }),
    };

    private JsonObject GroupList() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(_registry.Groups().Select(g => (JsonNode)GroupObject(g.Group, g.Versions, withKind: false)).ToArray()),
    };

    private JsonObject Group(string group)
    {
        var found = _registry.Groups().FirstOrDefault(g => g.Group == group);
        return found.Group is null ? throw NotFoundPath() : GroupObject(found.Group, found.Versions, withKind: true);
    }

    private static JsonObject GroupObject(string group, IReadOnlyList<string> versions, bool withKind)
    {
        var result = new JsonObject();
        if (withKind)
        {
            result["kind"] = "APIGroup";
            result["apiVersion"] = "v1";
        }

        result["name"] = group;
        result["versions"] = new JsonArray(versions.Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v }).ToArray());
        result["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] };
        return result;
    }

    private JsonObject ResourceList(string group, string version)
    {
        var resources = _registry.InGroupVersion(group, version);
        if (resources.Count == 0)
        {
            throw NotFoundPath();
        }

        var list = new JsonArray();
        foreach (var (type, resourceVersion) in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray(ResourceVerbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            };
            if (type.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            }

            if (type.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(type.Categories.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
            }

            list.Add(entry);
            if (resourceVersion.StatusSubresource)
            {
                list.Add(new JsonObject
                {
                    ["name"] = $"{type.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray(StatusVerbs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    private JsonObject OpenApiV3(string[] rest)
    {
        if (rest.Length == 0)
        {
            var paths = new JsonObject();
            foreach (var (gv, document) in GroupVersionDocuments())
            {
                var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
                paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={hash}" };
            }

            return new JsonObject { ["paths"] = paths };
        }

        var wanted = string.Join('/', rest);
        return GroupVersionDocuments().FirstOrDefault(d => d.Path == wanted).Document ?? throw NotFoundPath();
    }

    private IEnumerable<(string Path, JsonObject Document)> GroupVersionDocuments()
    {
        var versions = _registry.All.SelectMany(t => t.Versions.Select(v => (t.Group, v.Name))).Distinct().ToList();
        foreach (var (group, version) in versions)
        {
            var path = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
            yield return (path, GroupVersionDocument(group, version));
        }
    }

    /// <summary>Paths carry <c>x-kubernetes-group-version-kind</c> and the <c>fieldValidation</c> parameter, which is how kubectl
    /// decides that the server validates fields itself; schemas carry the CRD's openAPIV3Schema for <c>kubectl explain</c>.</summary>
    private JsonObject GroupVersionDocument(string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
            ["properties"] = new JsonObject
            {
                ["name"] = new JsonObject { ["type"] = "string", ["description"] = "Name must be unique within a namespace." },
                ["namespace"] = new JsonObject { ["type"] = "string", ["description"] = "Namespace defines the space within which each name must be unique." },
                ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
                ["annotations"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            },
        };
        foreach (var (type, resourceVersion) in _registry.InGroupVersion(group, version))
        {
            var gvk = new JsonObject { ["group"] = group, ["kind"] = type.Kind, ["version"] = version };
            var schemaName = SchemaName(group, version, type.Kind);
            var schema = resourceVersion.OpenApiSchema?.DeepClone() as JsonObject
                ?? new JsonObject { ["type"] = "object", ["description"] = $"{type.Kind} (built-in kind served by the simulator)", ["x-kubernetes-preserve-unknown-fields"] = true };
            var properties = schema["properties"] as JsonObject ?? (JsonObject)(schema["properties"] = new JsonObject());
            properties["apiVersion"] ??= new JsonObject { ["type"] = "string", ["description"] = "APIVersion defines the versioned schema of this representation of an object." };
            properties["kind"] ??= new JsonObject { ["type"] = "string", ["description"] = "Kind is a string value representing the REST resource this object represents." };
            properties.Remove("metadata");
            properties["metadata"] = new JsonObject
            {
                ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }),
                ["description"] = "Standard object's metadata.",
            };
            schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
            schemas[schemaName] = schema;

            var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" };
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", gvk, reference, null),
                ["post"] = Operation("create", gvk, reference, ["application/json"]),
            };
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["get"] = Operation("read", gvk, reference, null),
                ["put"] = Operation("replace", gvk, reference, ["application/json"]),
                // Strategic merge is not advertised, also not for the core kinds: their schemas here are too thin for kubectl to
                // compute a strategic patch from, so kubectl falls back to its compiled-in types (which it would do anyway).
                ["patch"] = Operation("patch", gvk, reference, ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]),
                ["delete"] = Operation("delete", gvk, reference, null),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.33.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string SchemaName(string group, string version, string kind) =>
        group.Length == 0 ? $"io.k8s.api.core.{version}.{kind}" : $"{string.Join('.', group.Split('.').Reverse())}.{version}.{kind}";

    private static JsonObject Operation(string action, JsonObject gvk, JsonObject reference, string[]? requestTypes)
    {
        var operation = new JsonObject
        {
            ["x-kubernetes-action"] = action == "read" ? "get" : action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
            ["parameters"] = new JsonArray(
                new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                new JsonObject { ["name"] = "fieldManager", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } },
                new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = reference.DeepClone() } },
                },
            },
        };
        if (requestTypes is not null)
        {
            var content = new JsonObject();
            foreach (var mediaType in requestTypes)
            {
                content[mediaType] = new JsonObject { ["schema"] = mediaType.Contains("patch", StringComparison.Ordinal) ? new JsonObject { ["type"] = "object" } : reference.DeepClone() };
            }

            operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        }

        return operation;
    }
}
