using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// IAM (awsQuery, XML): the role calls the operator makes, the read calls a person uses to look at its roles, and the
/// OpenID Connect providers of IRSA (IamService.OidcProviders.cs).
/// </summary>
internal sealed partial class IamService(World world)
{
    private const string Namespace = "https://iam.amazonaws.com/doc/2010-05-08/";
    private const int MaxPoliciesPerRole = 10;
    private const int MaxRoles = 1000;

    private const int MaxInlinePolicyCharacters = 10240;

    public static readonly HashSet<string> Operations = new(StringComparer.Ordinal)
    {
        "GetRole", "CreateRole", "TagRole", "UntagRole", "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies", "DeleteRole",
        "ListRoles", "ListRoleTags", "ListRolePolicies", "GetRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "ListInstanceProfilesForRole",
        "UpdateAssumeRolePolicy",
        "CreateOpenIDConnectProvider", "GetOpenIDConnectProvider", "DeleteOpenIDConnectProvider", "ListOpenIDConnectProviders",
        "TagOpenIDConnectProvider", "UntagOpenIDConnectProvider", "ListOpenIDConnectProviderTags",
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
                "UpdateAssumeRolePolicy" => UpdateAssumeRolePolicy(p),
                "DetachRolePolicy" => DetachRolePolicy(p),
                "ListAttachedRolePolicies" => ListAttachedRolePolicies(p),
                "DeleteRole" => DeleteRole(p),
                "ListRoles" => ListRoles(p),
                "ListRoleTags" => ListRoleTags(p),
                "ListRolePolicies" => ListRolePolicies(p),
                "GetRolePolicy" => GetRolePolicy(p),
                "PutRolePolicy" => PutRolePolicy(p),
                "DeleteRolePolicy" => DeleteRolePolicy(p),
                "ListInstanceProfilesForRole" => ListInstanceProfilesForRole(p),
                "CreateOpenIDConnectProvider" => CreateOpenIdConnectProvider(p),
                "GetOpenIDConnectProvider" => GetOpenIdConnectProvider(p),
                "DeleteOpenIDConnectProvider" => DeleteOpenIdConnectProvider(p),
                "ListOpenIDConnectProviders" => ListOpenIdConnectProviders(),
                "TagOpenIDConnectProvider" => TagOpenIdConnectProvider(p),
                "UntagOpenIDConnectProvider" => UntagOpenIdConnectProvider(p),
                "ListOpenIDConnectProviderTags" => ListOpenIdConnectProviderTags(p),
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

    private string? UpdateAssumeRolePolicy(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var document = Required(p, "PolicyDocument");
        CheckPolicyDocument(document);
        role.AssumeRolePolicyDocument = document;
        return null;
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
        var all = role.AttachedPolicies.Where(a => PolicyPath(a).StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return Paged(all, "AttachedPolicies", p, (sb, arn) => sb.Append("<member>").Element("PolicyName", arn[(arn.LastIndexOf('/') + 1)..]).Element("PolicyArn", arn).Append("</member>"));
    }

    private string ListRoles(IReadOnlyDictionary<string, string> p)
    {
        var prefix = p.GetValueOrDefault("PathPrefix") ?? "/";
        if (prefix.Length is 0 or > 512 || !PathPrefixPattern().IsMatch(prefix))
        {
            throw Invalid($"1 validation error detected: Value '{prefix}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
        }

        // Roles are kept sorted by name, as IAM lists them; listing leaves out boundary, tags and last use (M-IAM ListRoles).
        var all = world.Roles.Values.Where(r => r.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return Paged(all, "Roles", p, (sb, role) => AppendRole(sb.Append("<member>"), role, listing: true).Append("</member>"));
    }

    private string ListRoleTags(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var sorted = role.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        return Paged(sorted, "Tags", p, (sb, tag) => sb.Append("<member>").Element("Key", tag.Key).Element("Value", tag.Value).Append("</member>"));
    }

    private string ListRolePolicies(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        return Paged([.. role.InlinePolicies.Keys], "PolicyNames", p, (sb, name) => sb.Element("member", name));
    }

    private string ListInstanceProfilesForRole(IReadOnlyDictionary<string, string> p)
    {
        // The simulator has no instance profiles (the operator never makes one; EKS managed node groups make their own).
        GetRole(Required(p, "RoleName"));
        return Paged(new List<string>(), "InstanceProfiles", p, (sb, _) => sb);
    }

    private string GetRolePolicy(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var name = Required(p, "PolicyName");
        CheckPolicyName(name);
        if (!role.InlinePolicies.TryGetValue(name, out var document))
        {
            throw AwsErrorException.Query(404, "NoSuchEntity", $"The role policy with name {name} cannot be found.");
        }

        // Like GetRole's trust policy, the document travels URL-encoded (RFC 3986); clients decode it.
        var stored = role.InlinePolicies.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        return new StringBuilder().Element("RoleName", role.Name).Element("PolicyName", stored).Element("PolicyDocument", Uri.EscapeDataString(document)).ToString();
    }

    private string? PutRolePolicy(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var name = Required(p, "PolicyName");
        CheckPolicyName(name);
        var document = Required(p, "PolicyDocument");
        CheckPolicyDocument(document);

        // IAM's quota counts the role's inline policies together, without whitespace.
        var others = role.InlinePolicies.Where(kv => !string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase)).Sum(kv => NonWhitespace(kv.Value));
        if (others + NonWhitespace(document) > MaxInlinePolicyCharacters)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", $"Maximum policy size of {MaxInlinePolicyCharacters} bytes exceeded for role {role.Name}");
        }

        role.InlinePolicies.Remove(name);
        role.InlinePolicies[name] = document;
        return null;
    }

    private string? DeleteRolePolicy(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        var name = Required(p, "PolicyName");
        CheckPolicyName(name);
        if (!role.InlinePolicies.Remove(name))
        {
            throw AwsErrorException.Query(404, "NoSuchEntity", $"The role policy with name {name} cannot be found.");
        }

        return null;
    }

    /// <summary>
    /// One page of an IAM list: MaxItems (1–1000, default 100), IsTruncated and an opaque Marker (the next index,
    /// base64) that the next request sends back. The list element is always present, empty or not (it is required).
    /// </summary>
    private static string Paged<T>(IReadOnlyList<T> all, string listElement, IReadOnlyDictionary<string, string> p, Func<StringBuilder, T, StringBuilder> member)
    {
        var maxItems = 100;
        if (p.TryGetValue("MaxItems", out var mi) && (!int.TryParse(mi, NumberStyles.None, CultureInfo.InvariantCulture, out maxItems) || maxItems is < 1 or > 1000))
        {
            throw Invalid($"1 validation error detected: Value '{mi}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000");
        }

        var start = p.TryGetValue("Marker", out var marker) ? MarkerIndex(marker) : 0;
        var sb = new StringBuilder().Append('<').Append(listElement).Append('>');
        foreach (var item in all.Skip(start).Take(maxItems))
        {
            member(sb, item);
        }

        var truncated = start + maxItems < all.Count;
        sb.Append("</").Append(listElement).Append('>').Element("IsTruncated", truncated);
        if (truncated)
        {
            sb.Element("Marker", Convert.ToBase64String(Encoding.UTF8.GetBytes((start + maxItems).ToString(CultureInfo.InvariantCulture))));
        }

        return sb.ToString();
    }

    private static int MarkerIndex(string marker)
    {
        try
        {
            if (int.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(marker)), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return index;
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw Invalid("Invalid Marker.");
    }

    private static int NonWhitespace(string text) => text.Count(c => !char.IsWhiteSpace(c));

    private string? DeleteRole(IReadOnlyDictionary<string, string> p)
    {
        var role = GetRole(Required(p, "RoleName"));
        if (role.AttachedPolicies.Count > 0)
        {
            throw AwsErrorException.Query(409, "DeleteConflict", "Cannot delete entity, must detach all policies first.");
        }

        if (role.InlinePolicies.Count > 0)
        {
            throw AwsErrorException.Query(409, "DeleteConflict", "Cannot delete entity, must delete policies first.");
        }

        world.Roles.Remove(role.Name);
        return null;
    }

    private Role GetRole(string name)
    {
        CheckRoleName(name);
        return world.Roles.TryGetValue(name, out var role) ? role : throw AwsErrorException.Query(404, "NoSuchEntity", $"The role with name {name} cannot be found.");
    }

    private static string RoleResult(Role role) => AppendRole(new StringBuilder("<Role>"), role, listing: false).Append("</Role>").ToString();

    /// <summary>The Role shape's members; list calls leave out PermissionsBoundary, Tags and RoleLastUsed (M-IAM ListRoles).</summary>
    private static StringBuilder AppendRole(StringBuilder sb, Role role, bool listing)
    {
        sb.Element("Path", role.Path).Element("RoleName", role.Name).Element("RoleId", role.Id).Element("Arn", role.Arn)
            .Element("CreateDate", QueryXml.Iso(role.CreateDate))
            .Element("AssumeRolePolicyDocument", Uri.EscapeDataString(role.AssumeRolePolicyDocument))
            .Element("Description", role.Description)
            .Element("MaxSessionDuration", role.MaxSessionDuration);
        if (listing)
        {
            return sb;
        }

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

        return sb.Append("<RoleLastUsed/>");
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

    private static void CheckPolicyName(string name)
    {
        if (name.Length is 0 or > 128 || !RoleNamePattern().IsMatch(name))
        {
            throw Invalid($"1 validation error detected: Value '{name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
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

    [GeneratedRegex(@"^/[\u0021-\u007F]*$")]
    private static partial Regex PathPrefixPattern();

    [GeneratedRegex(@"^arn:aws:iam::(?<owner>aws|\d{12}):policy/([\w+=,.@/-]+)$")]
    private static partial Regex PolicyArnPattern();
}
