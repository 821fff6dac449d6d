using System.Text.Json.Nodes;

namespace EksOperator.TestSupport;

public enum KStatusResult
{
    InProgress,
    Failed,
    Current,
    Terminating,
}

/// <summary>
/// The generic kstatus computation (cli-utils pkg/kstatus/status, as summarised in the Kubernetes reference §6.2) that
/// Flux's health checks and `kubectl`-based tooling apply to custom resources. Independent of the Lua script on purpose.
/// </summary>
public static class KStatus
{
    public static (KStatusResult Status, string Message) Compute(JsonNode obj)
    {
        var metadata = obj["metadata"];
        if (metadata?["deletionTimestamp"] is not null)
        {
            return (KStatusResult.Terminating, "Resource scheduled for deletion");
        }

        var status = obj["status"];
        var generation = Integer(metadata?["generation"]);
        var observed = Integer(status?["observedGeneration"]);
        // Only a present observedGeneration can be "behind"; a missing one is not checked (kstatus' generic rule).
        if (observed is { } seen && generation is { } wanted && seen != wanted)
        {
            return (KStatusResult.InProgress, $"{(string?)obj["kind"]} generation is {wanted}, but latest observed generation is {seen}");
        }

        var reconciling = Condition(status, "Reconciling");
        if (reconciling is not null && IsTrue(reconciling))
        {
            return (KStatusResult.InProgress, (string?)reconciling["message"] ?? "");
        }

        var stalled = Condition(status, "Stalled");
        if (stalled is not null && IsTrue(stalled))
        {
            return (KStatusResult.Failed, (string?)stalled["message"] ?? "");
        }

        var ready = Condition(status, "Ready");
        if (ready is not null)
        {
            return IsTrue(ready)
                ? (KStatusResult.Current, (string?)ready["message"] ?? "")
                : (KStatusResult.InProgress, (string?)ready["message"] ?? "");
        }

        // No Ready condition at all, including no status: kstatus calls it Current (cli-utils #632).
        return (KStatusResult.Current, "Resource is current");
    }

    private static JsonNode? Condition(JsonNode? status, string type) =>
        status?["conditions"]?.AsArray().FirstOrDefault(c => string.Equals((string?)c?["type"], type, StringComparison.Ordinal));

    /// <summary>An integer however the node stores it (parsed JSON or a value set in code).</summary>
    private static long? Integer(JsonNode? node) =>
        node is null ? null : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsTrue(JsonNode condition) => string.Equals((string?)condition["status"], "True", StringComparison.Ordinal);
}
