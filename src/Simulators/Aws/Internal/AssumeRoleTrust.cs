using System.Text.Json;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// Who asks to assume a role, as a trust policy sees it (reference §8.6): the caller's account, its ARN (the user, or the
/// assumed-role session), the role ARN behind a session, and the request's condition keys (sts:ExternalId,
/// sts:RoleSessionName, aws:PrincipalArn, …; looked up case-insensitively, as IAM does).
/// </summary>
internal sealed record TrustRequest(string CallerAccount, string CallerArn, string? CallerRoleArn, string Action, IReadOnlyDictionary<string, string> Context);

/// <summary>
/// Evaluates a role's trust policy for an AWS principal: an explicit Deny wins, else some Allow must name the caller
/// (account id, <c>arn:aws:iam::ACCT:root</c>, the user or role ARN, the session ARN, or "*"), cover the action and
/// satisfy every condition. Operators: String(Not)Equals(IgnoreCase), String(Not)Like, Bool, Null, each with IfExists;
/// anything else (ForAnyValue:…, NotPrincipal, NotAction, ARN and numeric operators) does not match, so it fails closed.
/// </summary>
internal static class AssumeRoleTrust
{
    public static bool Allows(string document, TrustRequest request)
    {
        try
        {
            using var doc = JsonDocument.Parse(document);
            if (!doc.RootElement.TryGetProperty("Statement", out var statements))
            {
                return false;
            }

            var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
            var matching = list.Where(s => s.ValueKind == JsonValueKind.Object && Matches(s, request)).ToList();
            return !matching.Exists(s => Effect(s) == "Deny") && matching.Exists(s => Effect(s) == "Allow");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Effect(JsonElement statement) =>
        statement.TryGetProperty("Effect", out var effect) && effect.ValueKind == JsonValueKind.String ? effect.GetString() : null;

    private static bool Matches(JsonElement statement, TrustRequest request) =>
        NamesCaller(statement, request) && TrustPolicy.CoversAction(statement, request.Action) && ConditionsHold(statement, request.Context);

    private static bool NamesCaller(JsonElement statement, TrustRequest request)
    {
        if (!statement.TryGetProperty("Principal", out var principal))
        {
            return false;
        }

        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*";
        }

        if (principal.ValueKind != JsonValueKind.Object || !principal.TryGetProperty("AWS", out var aws))
        {
            return false;
        }

        return TrustPolicy.Strings(aws).Any(v => v == "*" || v == request.CallerAccount || v == $"arn:aws:iam::{request.CallerAccount}:root"
            || v == request.CallerArn || (request.CallerRoleArn is not null && v == request.CallerRoleArn));
    }

    private static bool ConditionsHold(JsonElement statement, IReadOnlyDictionary<string, string> context)
    {
        if (!statement.TryGetProperty("Condition", out var condition))
        {
            return true;
        }

        if (condition.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var op in condition.EnumerateObject())
        {
            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                var present = context.TryGetValue(key.Name, out var actual);
                if (!Holds(op.Name, present ? actual : null, [.. TrustPolicy.Strings(key.Value)]))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Holds(string op, string? actual, List<string> expected)
    {
        var ifExists = op.EndsWith("IfExists", StringComparison.Ordinal);
        var name = ifExists ? op[..^"IfExists".Length] : op;
        if (name == "Null")
        {
            // {"Null": {"key": "true"}}: the key is absent.
            return expected.Exists(e => string.Equals(e, actual is null ? "true" : "false", StringComparison.OrdinalIgnoreCase));
        }

        if (actual is null)
        {
            // Negated operators match an absent key; the others need it, unless IfExists.
            return ifExists || name.Contains("Not", StringComparison.Ordinal);
        }

        return name switch
        {
            "StringEquals" => expected.Contains(actual, StringComparer.Ordinal),
            "StringNotEquals" => !expected.Contains(actual, StringComparer.Ordinal),
            "StringEqualsIgnoreCase" => expected.Contains(actual, StringComparer.OrdinalIgnoreCase),
            "StringNotEqualsIgnoreCase" => !expected.Contains(actual, StringComparer.OrdinalIgnoreCase),
            "StringLike" => expected.Exists(e => Like(e, actual)),
            "StringNotLike" => !expected.Exists(e => Like(e, actual)),
            "Bool" => expected.Contains(actual, StringComparer.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>IAM's wildcards: * any run, ? one character, case-sensitive.</summary>
    private static bool Like(string pattern, string value) =>
        Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
}
