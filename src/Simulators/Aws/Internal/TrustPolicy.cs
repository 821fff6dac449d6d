using System.Text.Json;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Reads an IAM trust policy far enough to tell whether it lets a service principal call an STS action.</summary>
internal static class TrustPolicy
{
    /// <summary>
    /// True when some Allow statement names <paramref name="service"/> (or "*") as principal and covers <paramref name="action"/>
    /// (exactly, as sts:*, or as *). Conditions and Deny statements are not evaluated: EKS's create-time check is this coarse too.
    /// </summary>
    public static bool Allows(string document, string service, string action)
    {
        try
        {
            using var doc = JsonDocument.Parse(document);
            if (!doc.RootElement.TryGetProperty("Statement", out var statements))
            {
                return false;
            }

            var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
            return list.Exists(s => s.ValueKind == JsonValueKind.Object
                && s.TryGetProperty("Effect", out var effect) && effect.ValueKind == JsonValueKind.String && effect.GetString() == "Allow"
                && NamesService(s, service) && CoversAction(s, action));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool NamesService(JsonElement statement, string service)
    {
        if (!statement.TryGetProperty("Principal", out var principal))
        {
            return false;
        }

        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*";
        }

        return principal.ValueKind == JsonValueKind.Object && principal.TryGetProperty("Service", out var services)
            && Strings(services).Contains(service, StringComparer.Ordinal);
    }

    internal static bool CoversAction(JsonElement statement, string action)
    {
        var prefix = action[..(action.IndexOf(':', StringComparison.Ordinal) + 1)];
        return statement.TryGetProperty("Action", out var actions)
            && Strings(actions).Any(a => a == "*" || string.Equals(a, action, StringComparison.OrdinalIgnoreCase) || string.Equals(a, prefix + "*", StringComparison.OrdinalIgnoreCase));
    }

    internal static IEnumerable<string> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!),
        _ => [],
    };
}
