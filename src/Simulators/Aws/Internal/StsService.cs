using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// STS (awsQuery, XML, reference §8): AssumeRole across the simulator's accounts with trust-policy evaluation,
/// GetCallerIdentity and GetAccessKeyInfo. Temporary keys are kept in the <see cref="Tenancy"/> key table.
/// </summary>
internal sealed partial class StsService(Tenancy tenancy)
{
    private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>A chained session (assumed with assumed-role credentials) lasts at most an hour, whatever the role allows.</summary>
    private const int ChainedSessionLimit = 3600;

    private const int PackedPolicyLimit = 2048;

    public static readonly HashSet<string> Operations = new(StringComparer.Ordinal) { "AssumeRole", "GetCallerIdentity", "GetAccessKeyInfo" };

    public string Handle(string action, IReadOnlyDictionary<string, string> p, Principal caller, string requestId)
    {
        var result = action switch
        {
            "AssumeRole" => AssumeRole(p, caller),
            "GetCallerIdentity" => new StringBuilder().Element("Arn", caller.Arn).Element("UserId", caller.UserId).Element("Account", caller.Account).ToString(),
            "GetAccessKeyInfo" => GetAccessKeyInfo(p),
            _ => throw AwsErrorException.Query(400, "InvalidAction", $"Could not find operation {action} for version 2011-06-15"),
        };

        return $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{Namespace}\"><{action}Result>{result}</{action}Result>"
            + $"<ResponseMetadata><RequestId>{requestId}</RequestId></ResponseMetadata></{action}Response>";
    }

    public static string ErrorXml(AwsErrorException e, string requestId) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>{(e.Status >= 500 ? "Receiver" : "Sender")}</Type>"
        + $"<Code>{QueryXml.Esc(e.Code)}</Code><Message>{QueryXml.Esc(e.Message)}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>";

    private string AssumeRole(IReadOnlyDictionary<string, string> p, Principal caller)
    {
        var request = Validate(p, caller);

        // A role that does not exist, is in an account not simulated here, or has not propagated yet is refused like an
        // untrusting one: STS does not disclose which.
        var denied = AwsErrorException.Query(403, "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {request.RoleArn}");
        var target = tenancy.Find(request.RoleAccount, tenancy.Options.Region) ?? throw denied;
        string roleId, roleArn, trust;
        int maxSession;
        lock (target.World.Gate)
        {
            if (!target.World.Roles.TryGetValue(request.RoleName, out var role) || role.Arn != request.RoleArn || tenancy.Now < role.UsableAt)
            {
                throw denied;
            }

            (roleId, roleArn, trust, maxSession) = (role.Id, role.Arn, role.AssumeRolePolicyDocument, role.MaxSessionDuration);
        }

        if (request.Duration > maxSession)
        {
            throw Validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }

        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["sts:RoleSessionName"] = request.SessionName,
            ["aws:PrincipalArn"] = caller.RoleArn ?? caller.Arn,
            ["aws:PrincipalAccount"] = caller.Account,
            ["aws:MultiFactorAuthPresent"] = "false",
        };
        if (request.ExternalId is not null)
        {
            context["sts:ExternalId"] = request.ExternalId;
        }

        if (request.SourceIdentity is not null)
        {
            context["sts:SourceIdentity"] = request.SourceIdentity;
        }

        foreach (var (key, value) in request.Tags)
        {
            context["aws:RequestTag/" + key] = value;
        }

        var asks = new List<string> { "sts:AssumeRole" };
        if (request.Tags.Count > 0)
        {
            asks.Add("sts:TagSession");
        }

        if (request.SourceIdentity is not null)
        {
            asks.Add("sts:SetSourceIdentity");
        }

        foreach (var action in asks)
        {
            if (!AssumeRoleTrust.Allows(trust, new TrustRequest(caller.Account, caller.Arn, caller.RoleArn, action, context)))
            {
                throw action == "sts:AssumeRole" ? denied
                    : AwsErrorException.Query(403, "AccessDenied", $"User: {caller.Arn} is not authorized to perform: {action} on resource: {request.RoleArn}");
            }
        }

        var session = tenancy.Mint(request.RoleAccount, roleArn, $"arn:aws:sts::{request.RoleAccount}:assumed-role/{request.RoleName}/{request.SessionName}",
            $"{roleId}:{request.SessionName}", tenancy.Now.AddSeconds(request.Duration));
        var sb = new StringBuilder(1024);
        sb.Append("<Credentials>").Element("AccessKeyId", session.AccessKeyId).Element("SecretAccessKey", session.Secret)
            .Element("SessionToken", session.SessionToken).Element("Expiration", QueryXml.Iso(session.Expiration!.Value)).Append("</Credentials>");
        sb.Append("<AssumedRoleUser>").Element("AssumedRoleId", session.UserId).Element("Arn", session.Arn).Append("</AssumedRoleUser>");
        sb.Element("PackedPolicySize", request.PackedPolicySize);
        sb.Element("SourceIdentity", request.SourceIdentity);
        return sb.ToString();
    }

    private string GetAccessKeyInfo(IReadOnlyDictionary<string, string> p)
    {
        var key = p.GetValueOrDefault("AccessKeyId");
        var errors = new List<string>();
        Check(errors, "accessKeyId", key, 16, 128, AccessKeyPattern(), "[\\w]*");
        if (errors.Count > 0)
        {
            throw Validation(errors);
        }

        // AWS answers for keys of any account; the simulator knows only its own (unconfirmed what AWS says for a deleted key).
        var account = tenancy.Resolve(key!)?.Account
            ?? throw AwsErrorException.Query(400, "ValidationError", $"The access key {key} is not one of this simulator's accounts or sessions.");
        return new StringBuilder().Element("Account", account).ToString();
    }

    private static AssumeRoleRequest Validate(IReadOnlyDictionary<string, string> p, Principal caller)
    {
        var errors = new List<string>();
        var roleArn = p.GetValueOrDefault("RoleArn");
        var sessionName = p.GetValueOrDefault("RoleSessionName");
        var externalId = p.GetValueOrDefault("ExternalId");
        var sourceIdentity = p.GetValueOrDefault("SourceIdentity");
        Check(errors, "roleArn", roleArn, 20, 2048, null, null);
        Check(errors, "roleSessionName", sessionName, 2, 64, NamePattern(), "[\\w+=,.@-]*");
        if (externalId is not null)
        {
            Check(errors, "externalId", externalId, 2, 1224, ExternalIdPattern(), "[\\w+=,.@:\\/-]*");
        }

        if (sourceIdentity is not null)
        {
            Check(errors, "sourceIdentity", sourceIdentity, 2, 64, NamePattern(), "[\\w+=,.@-]*");
        }

        var duration = 3600;
        if (p.TryGetValue("DurationSeconds", out var raw))
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out duration))
            {
                errors.Add($"Value '{raw}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer");
            }
            else if (duration < 900)
            {
                errors.Add($"Value '{raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
            }
            else if (duration > 43200)
            {
                errors.Add($"Value '{raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
            }
        }

        var tags = new List<KeyValuePair<string, string>>();
        for (var i = 1; p.TryGetValue($"Tags.member.{i}.Key", out var key); i++)
        {
            tags.Add(new(key, p.GetValueOrDefault($"Tags.member.{i}.Value") ?? string.Empty));
        }

        if (tags.Count > 50)
        {
            errors.Add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
        }

        if (errors.Count > 0)
        {
            throw Validation(errors);
        }

        if (sourceIdentity?.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw Validation("SourceIdentity cannot start with the reserved prefix 'aws:'.");
        }

        var arn = RoleArnPattern().Match(roleArn!);
        if (!arn.Success)
        {
            throw Validation($"{roleArn} is invalid");
        }

        if (caller.IsSession && duration > ChainedSessionLimit)
        {
            throw Validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
        }

        var policy = p.GetValueOrDefault("Policy");
        if (policy is not null)
        {
            try
            {
                using var _ = JsonDocument.Parse(policy);
            }
            catch (JsonException e)
            {
                throw AwsErrorException.Query(400, "MalformedPolicyDocument", e.Message);
            }
        }

        // The packed size is opaque in AWS; a share of a 2,048-character budget for policy and tags is close enough.
        var packed = (int)Math.Ceiling(((policy?.Length ?? 0) + tags.Sum(t => t.Key.Length + t.Value.Length)) * 100.0 / PackedPolicyLimit);
        if (packed > 100)
        {
            throw AwsErrorException.Query(400, "PackedPolicyTooLarge", $"Packed policy consumes {packed}% of allotted space, please use smaller policy for session.");
        }

        return new AssumeRoleRequest(roleArn!, arn.Groups[1].Value, arn.Groups[2].Value, sessionName!, duration, externalId, sourceIdentity, tags, packed);
    }

    private static void Check(List<string> errors, string member, string? value, int min, int max, Regex? pattern, string? patternText)
    {
        if (value is null)
        {
            errors.Add($"Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }
        else if (value.Length < min)
        {
            errors.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        }
        else if (value.Length > max)
        {
            errors.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }
        else if (pattern is not null && !pattern.IsMatch(value))
        {
            errors.Add($"Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: {patternText}");
        }
    }

    private static AwsErrorException Validation(List<string> errors) =>
        Validation($"{errors.Count} validation error{(errors.Count == 1 ? string.Empty : "s")} detected: {string.Join("; ", errors)}");

    private static AwsErrorException Validation(string message) => AwsErrorException.Query(400, "ValidationError", message);

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@:/-]*$")]
    private static partial Regex ExternalIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_]*$")]
    private static partial Regex AccessKeyPattern();

    [GeneratedRegex(@"^arn:aws:iam::(\d{12}):role/(?:[\u0021-\u007E]*/)?([A-Za-z0-9_+=,.@-]{1,64})$")]
    private static partial Regex RoleArnPattern();

    private sealed record AssumeRoleRequest(
        string RoleArn,
        string RoleAccount,
        string RoleName,
        string SessionName,
        int Duration,
        string? ExternalId,
        string? SourceIdentity,
        List<KeyValuePair<string, string>> Tags,
        int PackedPolicySize);
}
