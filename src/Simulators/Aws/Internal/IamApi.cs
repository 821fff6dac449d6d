using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>IAM (awsQuery, XML) for the role calls the operator makes.</summary>
internal sealed partial class IamApi(World world)
{
    private const string Namespace = "https://iam.amazonaws.com/doc/2010-05-08/";
    private const int MaxPoliciesPerRole = 10;
    private const int MaxRoles = 1000;

    public static readonly HashSet<string> Operations = new(StringComparer.Ordinal)
    {
        "GetRole", "CreateRole", "TagRole", "UntagRole", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies", "DeleteRole",
    };

    public static bool IsMutating(string action) => !action.StartsWith("Get", StringComparison.Ordinal) && !action.StartsWith("List", StringComparison.Ordinal);

    /// <summary>Returns the full XML document for a successful call.</summary>
    public string Handle(string action, IReadOnlyDictionary<string, string> p, string requestId)
    {
        lock (world.Gate)
        {
            world.Tick();
            var result = action switch
            {
                "GetRole" => RoleResult(GetRole(Required(p, "RoleName"))),
                "CreateRole" => CreateRole(p),
                "TagRole" => TagRole(p),
                "UntagRole" => UntagRole(p),
                "AttachRolePolicy" => AttachRolePolicy(p),
                "DetachRolePolicy" => DetachRolePolicy(p),
                "ListAttachedRolePolicies" => ListAttachedRolePolicies(p),
                "DeleteRole" => DeleteRole(p),
                _ => throw AwsErrorException.Query(400, "InvalidAction", $"Could not find operation {action} for version 2010-05-08"),
            };

            var sb = new StringBuilder(1024);
            sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            sb.Append('<').Append(action).Append("Response xmlns=\"").Append(Namespace).Append("\">");
            if (result is not null)
            {
                sb.Append('<').Append(action).Append("Result>").Append(result).Append("</").Append(action).Append("Result>");
            }

            sb.Append("<ResponseMetadata><RequestId>").Append(requestId).Append("</RequestId></ResponseMetadata>");
            sb.Append("</").Append(action).Append("Response>");
            return sb.ToString();
        }
    }

    public static string ErrorXml(AwsErrorException e, string requestId) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>{(e.Status >= 500 ? "Receiver" : "Sender")}</Type>"
        + $"<Code>{QueryXml.Esc(e.Code)}</Code><Message>{QueryXml.Esc(e.Message)}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>";

    private string CreateRole(IReadOnlyDictionary<string, string> p)
    {
        var name = Required(p, "RoleName");
        CheckRoleName(name);
        var path = p.GetValueOrDefault("Path") ?? "/";
        if (path.Length > 512 || !RolePathPattern().IsMatch(path))
        {
            throw Invalid($"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
        }

        var document = Required(p, "AssumeRolePolicyDocument");
        if (document.Length > 131072)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048");
        }

        CheckPolicyDocument(document);
        var description = p.GetValueOrDefault("Description");
        if (description?.Length > 1000)
        {
            throw Invalid("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000");
        }

        var maxSession = 3600;
        if (p.TryGetValue("MaxSessionDuration", out var ms)
            && (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out maxSession) || maxSession is < 3600 or > 43200))
        {
            throw Invalid($"1 validation error detected: Value '{ms}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
        }

        var tags = ParseTags(p);
        if (world.Roles.ContainsKey(name))
        {
            throw AwsErrorException.Query(409, "EntityAlreadyExists", $"Role with name {name} already exists.");
        }

        if (world.Roles.Count >= MaxRoles)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", $"Cannot exceed quota for RolesPerAccount: {MaxRoles}");
        }

        var role = world.AddRole(name, path, document, description, maxSession, world.Now + world.Scaled(world.Options.Durations.RolePropagation));
        role.PermissionsBoundary = p.GetValueOrDefault("PermissionsBoundary");
        role.Tags.AddRange(tags);
        return RoleResult(role);
    }

    private string? TagRole(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var tags = ParseTags(p);
        var merged = role.Tags.Where(t => !tags.Exists(n => string.Equals(n.Key, t.Key, StringComparison.OrdinalIgnoreCase))).Concat(tags).ToList();
        if (merged.Count > 50)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", "The number of tags has reached the maximum limit.");
        }

        role.Tags.Clear();
        role.Tags.AddRange(merged);
        return null;
    }

    private string? UntagRole(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var keys = QueryXml.List(p, "TagKeys.member");
        role.Tags.RemoveAll(t => keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase));
        return null;
    }

    private string? AttachRolePolicy(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var arn = Required(p, "PolicyArn");
        CheckPolicyArn(arn);
        if (role.AttachedPolicies.Contains(arn))
        {
            return null;
        }

        if (role.AttachedPolicies.Count >= MaxPoliciesPerRole)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", $"Cannot exceed quota for PoliciesPerRole: {MaxPoliciesPerRole}");
        }

        role.AttachedPolicies.Add(arn);
        return null;
    }

    private string? DetachRolePolicy(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var arn = Required(p, "PolicyArn");
        CheckPolicyArn(arn);
        if (!role.AttachedPolicies.Remove(arn))
        {
            throw AwsErrorException.Query(404, "NoSuchEntity", $"Policy {arn} was not found.");
        }

        return null;
    }

    private string ListAttachedRolePolicies(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var prefix = p.GetValueOrDefault("PathPrefix") ?? "/";
        var maxItems = 100;
        if (p.TryGetValue("MaxItems", out var mi) && (!int.TryParse(mi, NumberStyles.None, CultureInfo.InvariantCulture, out maxItems) || maxItems is < 1 or > 1000))
        {
            throw Invalid($"1 validation error detected: Value '{mi}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
        }

        var start = 0;
        if (p.TryGetValue("Marker", out var marker) && !int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out start))
        {
            throw Invalid("Invalid Marker.");
        }

        var all = role.AttachedPolicies.Where(a => PolicyPath(a).StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var page = all.Skip(start).Take(maxItems).ToList();
        var truncated = start + maxItems < all.Count;
        var sb = new StringBuilder("<AttachedPolicies>");
        foreach (var arn in page)
        {
            sb.Append("<member>").Element("PolicyName", arn[(arn.LastIndexOf('/') + 1)..]).Element("PolicyArn", arn).Append("</member>");
        }

        sb.Append("</AttachedPolicies>").Element("IsTruncated", truncated);
        if (truncated)
        {
            sb.Element("Marker", (start + maxItems).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private string? DeleteRole(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        if (role.AttachedPolicies.Count > 0)
        {
            throw AwsErrorException.Query(409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
        }

        world.Roles.Remove(role.Name);
        return null;
    }

    private Role GetRole(string name)
    {
        CheckRoleName(name);
        return world.Roles.TryGetValue(name, out var role) ? role : throw AwsErrorException.Query(404, "NoSuchEntity", $"The role with name {name} cannot be found.");
    }

    private static string RoleResult(Role role)
    {
        var sb = new StringBuilder("<Role>");
        sb.Element("Path", role.Path).Element("RoleName", role.Name).Element("RoleId", role.Id).Element("Arn", role.Arn)
            .Element("CreateDate", QueryXml.Iso(role.CreateDate))
            .Element("AssumeRolePolicyDocument", Uri.EscapeDataString(role.AssumeRolePolicyDocument))
            .Element("Description", role.Description)
            .Element("MaxSessionDuration", role.MaxSessionDuration);
        if (role.PermissionsBoundary is { } boundary)
        {
            sb.Append("<PermissionsBoundary>").Element("PermissionsBoundaryType", "Policy").Element("PermissionsBoundaryArn", boundary).Append("</PermissionsBoundary>");
        }

        if (role.Tags.Count > 0)
        {
            sb.Append("<Tags>");
            foreach (var (k, v) in role.Tags)
            {
                sb.Append("<member>").Element("Key", k).Element("Value", v).Append("</member>");
            }

            sb.Append("</Tags>");
        }

        sb.Append("<RoleLastUsed/></Role>");
        return sb.ToString();
    }

    private static List<KeyValuePair<string, string>> ParseTags(IReadOnlyDictionary<string, string> p)
    {
        var tags = new List<KeyValuePair<string, string>>();
        for (var i = 1; p.TryGetValue($"Tags.member.{i}.Key", out var key); i++)
        {
            var value = p.GetValueOrDefault($"Tags.member.{i}.Value") ?? string.Empty;
            if (key.Length is 0 or > 128 || value.Length > 256)
            {
                throw Invalid($"1 validation error detected: Value '{key}' at 'tags.{i}.member.key' failed to satisfy constraint: Member must have length between 1 and 128");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("User-defined tag keys can't start with 'aws:'.");
            }

            tags.RemoveAll(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase));
            tags.Add(new(key, value));
        }

        if (tags.Count > 50)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", "The number of tags has reached the maximum limit.");
        }

        return tags;
    }

    private static void CheckPolicyDocument(string document)
    {
        try
        {
            using var doc = JsonDocument.Parse(document);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("Statement", out _))
            {
                throw AwsErrorException.Query(400, "MalformedPolicyDocument", "Syntax errors in policy.");
            }
        }
        catch (JsonException)
        {
            throw AwsErrorException.Query(400, "MalformedPolicyDocument", "This policy contains invalid Json");
        }
    }

    private void CheckPolicyArn(string arn)
    {
        var m = PolicyArnPattern().Match(arn);
        if (!m.Success)
        {
            throw Invalid($"ARN {arn} is not valid.");
        }

        var owner = m.Groups["owner"].Value;
        if (owner != "aws" && owner != world.Account)
        {
            throw AwsErrorException.Query(404, "NoSuchEntity", $"Policy {arn} does not exist or is not attachable.");
        }
    }

    private static string PolicyPath(string arn)
    {
        var resource = arn[(arn.IndexOf(":policy", StringComparison.Ordinal) + ":policy".Length)..];
        return resource[..(resource.LastIndexOf('/') + 1)];
    }

    private static void CheckRoleName(string name)
    {
        if (name.Length is 0 or > 64 || !RoleNamePattern().IsMatch(name))
        {
            throw Invalid($"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
    }

    private static string Required(IReadOnlyDictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var v) && v.Length > 0 ? v : throw Invalid($"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    private static AwsErrorException Invalid(string message) =>
        AwsErrorException.Query(400, message.StartsWith("1 validation", StringComparison.Ordinal) ? "ValidationError" : "InvalidInput", message);

    [GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"^/([\u0021-\u007E]*/)?$")]
    private static partial Regex RolePathPattern();

    [GeneratedRegex(@"^arn:aws:iam::(?<owner>aws|\d{12}):policy/([\w+=,.@/-]+)$")]
    private static partial Regex PolicyArnPattern();
}
