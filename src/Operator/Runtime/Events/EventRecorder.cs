using System.Globalization;
using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EksOperator.Runtime;

/// <summary>core/v1 Event types.</summary>
public enum EventType
{
    Normal,
    Warning,
}

/// <summary>
/// Writes core/v1 Events about objects (what <c>kubectl describe</c> shows). A repeat of the same event is folded
/// into the existing one (count, lastTimestamp), as client-go's recorder does. Recording never throws: events are
/// best effort and must not fail a reconcile.
/// </summary>
public interface IEventRecorder
{
    Task RecordAsync(IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message, CancellationToken cancellationToken = default);
}

internal sealed partial class EventRecorder(
    KubernetesApi api,
    IOptions<ControllerRuntimeOptions> options,
    TimeProvider time,
    ILogger<EventRecorder> logger) : IEventRecorder
{
    private const int MaxCachedEvents = 4096;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Object, EventType Type, string Reason, string Message), Seen> _seen = [];

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        var meta = regarding.Metadata;
        var eventNamespace = string.IsNullOrEmpty(meta?.NamespaceProperty) ? "default" : meta.NamespaceProperty;
        var objectId = meta?.Uid ?? $"{regarding.Kind}/{meta?.NamespaceProperty}/{meta?.Name}";
        var cacheKey = (objectId, type, reason, message);
        var now = Timestamp();
        Seen? previous;
        lock (_lock)
        {
            _seen.TryGetValue(cacheKey, out previous);
        }

        try
        {
            if (previous is not null)
            {
                var count = previous.Count + 1;
                var patch = new JsonObject { ["count"] = count, ["lastTimestamp"] = now };
                try
                {
                    await api.MergePatchAsync<JsonObject>($"api/v1/namespaces/{Uri.EscapeDataString(eventNamespace)}/events/{Uri.EscapeDataString(previous.Name)}", patch, cancellationToken);
                    Remember(cacheKey, previous with { Count = count });
                    return;
                }
                catch (KubernetesApiException ex) when (ex.IsNotFound)
                {
                    // Expired (events live an hour by default): start a new one.
                }
            }

            var name = $"{meta?.Name}.{time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000:x}";
            var body = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = eventNamespace },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = regarding.ApiVersion,
                    ["kind"] = regarding.Kind,
                    ["name"] = meta?.Name,
                    ["namespace"] = meta?.NamespaceProperty,
                    ["uid"] = meta?.Uid,
                    ["resourceVersion"] = meta?.ResourceVersion,
                },
                ["reason"] = reason,
                ["message"] = message.Length > 1024 ? message[..1024] : message,
                ["type"] = type.ToString(),
                ["source"] = new JsonObject { ["component"] = options.Value.EventSource },
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
            };
            await api.CreateAsync<JsonObject>($"api/v1/namespaces/{Uri.EscapeDataString(eventNamespace)}/events", body, cancellationToken);
            Remember(cacheKey, new Seen(name, 1));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Events are best effort.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogEventFailed(logger, ex, reason, meta?.Name ?? "?");
        }
    }

    private string Timestamp() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private void Remember((string, EventType, string, string) key, Seen seen)
    {
        lock (_lock)
        {
            if (_seen.Count >= MaxCachedEvents && !_seen.ContainsKey(key))
            {
                // Crude bound: forgetting only costs a new Event object instead of a count bump.
                _seen.Clear();
            }

            _seen[key] = seen;
        }
    }

    private sealed record Seen(string Name, int Count);

    [LoggerMessage(LogLevel.Warning, "Could not record event {Reason} for {Name}")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, string reason, string name);
}
