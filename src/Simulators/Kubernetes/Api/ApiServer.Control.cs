using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>Simulator control under <c>/_sim/</c> (a prefix no Kubernetes API path can take) for out-of-process users.</summary>
internal sealed partial class ApiServer
{
    private async Task HandleSimulatorControlAsync(HttpContext http, string[] path)
    {
        var query = http.Request.Query;
        int Int(string key, int fallback) => int.TryParse(query[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
        switch (http.Request.Method, path)
        {
            case ("POST", ["faults", "drop-watches"]):
                _faults.DropAllWatches();
                break;
            case ("POST", ["faults", "expire-history"]):
                _faults.ExpireHistory();
                break;
            case ("POST", ["faults", "fail-writes"]):
                var code = Int("code", 500);
                if (code is not (409 or 500))
                {
                    throw ApiException.BadRequest("code must be 409 or 500");
                }

                _faults.FailNextWrites(Int("count", 1), code);
                break;
            case ("POST", ["faults", "latency"]):
                _faults.Latency = TimeSpan.FromMilliseconds(Int("ms", 0));
                break;
            case ("GET", ["accesses"]):
                await WriteJsonAsync(http, 200, new JsonArray(Accesses
                    .OrderBy(a => a.Group, StringComparer.Ordinal).ThenBy(a => a.Resource, StringComparer.Ordinal).ThenBy(a => a.Verb, StringComparer.Ordinal)
                    .Select(a => (JsonNode)new JsonObject
                    {
                        ["verb"] = a.Verb,
                        ["group"] = a.Group,
                        ["resource"] = a.Resource,
                        ["subresource"] = a.Subresource,
                    }).ToArray()));
                return;
            case ("GET", ["stats"]):
                await WriteJsonAsync(http, 200, new JsonObject
                {
                    ["objects"] = _store.Count,
                    ["watchers"] = _store.WatcherCount,
                    ["resourceVersion"] = RvString(_store.ResourceVersion),
                });
                return;
            default:
                throw NotFoundPath();
        }

        await WriteJsonAsync(http, 200, new JsonObject { ["ok"] = true });
    }
}
