using k8s.Models;

namespace EksOperator.Runtime;

/// <summary>Condition status values of metav1.Condition.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}

/// <summary>
/// metav1.Condition helpers over a status' condition list, treated as a map keyed by type.
/// <c>lastTransitionTime</c> moves only when the status flips, so an unchanged pass writes nothing.
/// </summary>
public static class Conditions
{
    /// <summary>The condition of <paramref name="type"/>, or null (which means Unknown).</summary>
    public static V1Condition? Find(this IEnumerable<V1Condition>? conditions, string type)
        => conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    public static bool IsTrue(this IEnumerable<V1Condition>? conditions, string type)
        => conditions.Find(type)?.Status == ConditionStatus.True;

    public static bool IsFalse(this IEnumerable<V1Condition>? conditions, string type)
        => conditions.Find(type)?.Status == ConditionStatus.False;

    /// <summary>
    /// Sets a condition. Returns true when anything changed. The transition time is taken from
    /// <paramref name="time"/> (truncated to seconds, as metav1.Time) only for a new condition or a status flip.
    /// </summary>
    public static bool Set(
        this IList<V1Condition> conditions,
        string type,
        string status,
        string reason,
        string? message,
        long? observedGeneration,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentNullException.ThrowIfNull(time);
        if (status is not (ConditionStatus.True or ConditionStatus.False or ConditionStatus.Unknown))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Condition status must be True, False or Unknown.");
        }

        message ??= string.Empty;
        var existing = conditions.Find(type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = Now(time),
            });
            return true;
        }

        var changed = false;
        if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = Now(time);
            changed = true;
        }

        if (existing.Reason != reason)
        {
            existing.Reason = reason;
            changed = true;
        }

        if (existing.Message != message)
        {
            existing.Message = message;
            changed = true;
        }

        if (existing.ObservedGeneration != observedGeneration)
        {
            existing.ObservedGeneration = observedGeneration;
            changed = true;
        }

        return changed;
    }

    /// <summary>Removes a condition; true when it was present.</summary>
    public static bool Remove(this IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = conditions.Find(type);
        return existing is not null && conditions.Remove(existing);
    }

    private static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
