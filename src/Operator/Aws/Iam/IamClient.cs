using System.Globalization;
using System.Text;
using System.Xml.Linq;
using EksOperator.Aws.Transport;

namespace EksOperator.Aws.Iam;

/// <summary>awsQuery mapping of <see cref="IIamApi"/>: form-encoded POST /, XML responses (namespaces ignored).</summary>
internal sealed class IamClient(AwsTransport transport) : IIamApi
{
    private const string ApiVersion = "2010-05-08";
    private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    public async Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await CallAsync("GetRole", [new("RoleName", roleName)], cancellationToken);
            return ReadRole(Child(result, "Role"));
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<IamRole> CreateRoleAsync(CreateRoleRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("RoleName", request.RoleName),
            new("AssumeRolePolicyDocument", request.AssumeRolePolicyDocument),
        };
        AddIfSet(parameters, "Path", request.Path);
        AddIfSet(parameters, "Description", request.Description);
        AddIfSet(parameters, "MaxSessionDuration", request.MaxSessionDuration?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(parameters, "PermissionsBoundary", request.PermissionsBoundary);
        if (request.Tags is { Count: > 0 })
        {
            AddTags(parameters, request.Tags);
        }

        var result = await CallAsync("CreateRole", parameters, cancellationToken);
        return ReadRole(Child(result, "Role"));
    }

    public Task TagRoleAsync(string roleName, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var parameters = new List<KeyValuePair<string, string>> { new("RoleName", roleName) };
        AddTags(parameters, tags);
        return CallAsync("TagRole", parameters, cancellationToken);
    }

    public Task UntagRoleAsync(string roleName, IReadOnlyCollection<string> tagKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tagKeys);
        var parameters = new List<KeyValuePair<string, string>> { new("RoleName", roleName) };
        parameters.AddRange(tagKeys.Order(StringComparer.Ordinal).Select((key, i) => new KeyValuePair<string, string>($"TagKeys.member.{i + 1}", key)));
        return CallAsync("UntagRole", parameters, cancellationToken);
    }

    public Task UpdateAssumeRolePolicyAsync(string roleName, string policyDocument, CancellationToken cancellationToken = default) =>
        CallAsync("UpdateAssumeRolePolicy", [new("RoleName", roleName), new("PolicyDocument", policyDocument)], cancellationToken);

    public Task AttachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default) =>
        CallAsync("AttachRolePolicy", [new("RoleName", roleName), new("PolicyArn", policyArn)], cancellationToken);

    public Task DetachRolePolicyAsync(string roleName, string policyArn, CancellationToken cancellationToken = default) =>
        CallAsync("DetachRolePolicy", [new("RoleName", roleName), new("PolicyArn", policyArn)], cancellationToken);

    public async Task<ListAttachedRolePoliciesResponse> ListAttachedRolePoliciesAsync(string roleName, string? marker = null, int? maxItems = null, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("RoleName", roleName) };
        AddIfSet(parameters, "Marker", marker);
        AddIfSet(parameters, "MaxItems", maxItems?.ToString(CultureInfo.InvariantCulture));
        var result = await CallAsync("ListAttachedRolePolicies", parameters, cancellationToken);
        return new ListAttachedRolePoliciesResponse
        {
            AttachedPolicies = [.. Members(Child(result, "AttachedPolicies")).Select(m => new AttachedPolicy(Text(m, "PolicyName") ?? string.Empty, Text(m, "PolicyArn") ?? string.Empty))],
            IsTruncated = string.Equals(Text(result, "IsTruncated"), "true", StringComparison.OrdinalIgnoreCase),
            Marker = Text(result, "Marker"),
        };
    }

    public Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteRole", [new("RoleName", roleName)], cancellationToken);

    public async Task<IamOidcProvider?> GetOpenIDConnectProviderAsync(string providerArn, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await CallAsync("GetOpenIDConnectProvider", [new("OpenIDConnectProviderArn", providerArn)], cancellationToken);
            return new IamOidcProvider
            {
                Arn = providerArn,
                Url = Text(result, "Url") ?? string.Empty,
                ClientIds = [.. Members(Child(result, "ClientIDList")).Select(m => m.Value)],
                Thumbprints = [.. Members(Child(result, "ThumbprintList")).Select(m => m.Value)],
                Tags = Members(Child(result, "Tags")).ToDictionary(m => Text(m, "Key") ?? string.Empty, m => Text(m, "Value") ?? string.Empty, StringComparer.Ordinal),
            };
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<string> CreateOpenIDConnectProviderAsync(CreateOidcProviderRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = new List<KeyValuePair<string, string>> { new("Url", request.Url) };
        parameters.AddRange(request.ClientIds.Select((id, i) => new KeyValuePair<string, string>($"ClientIDList.member.{i + 1}", id)));
        parameters.AddRange(request.Thumbprints.Select((t, i) => new KeyValuePair<string, string>($"ThumbprintList.member.{i + 1}", t)));
        if (request.Tags is { Count: > 0 })
        {
            AddTags(parameters, request.Tags);
        }

        var result = await CallAsync("CreateOpenIDConnectProvider", parameters, cancellationToken);
        return Text(result, "OpenIDConnectProviderArn")
            ?? throw new AwsApiException("iam", "MalformedResponse", "CreateOpenIDConnectProvider response lacks its ARN", System.Net.HttpStatusCode.OK, null, AwsErrorKind.Transient);
    }

    public Task TagOpenIDConnectProviderAsync(string providerArn, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var parameters = new List<KeyValuePair<string, string>> { new("OpenIDConnectProviderArn", providerArn) };
        AddTags(parameters, tags);
        return CallAsync("TagOpenIDConnectProvider", parameters, cancellationToken);
    }

    public Task DeleteOpenIDConnectProviderAsync(string providerArn, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteOpenIDConnectProvider", [new("OpenIDConnectProviderArn", providerArn)], cancellationToken);

    /// <summary>Form body per awsQuery: Action, Version, then the parameters, RFC 3986 encoded.</summary>
    internal static byte[] FormBody(string action, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var body = new StringBuilder("Action=").Append(Uri.EscapeDataString(action)).Append("&Version=").Append(ApiVersion);
        foreach (var (name, value) in parameters)
        {
            body.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return Encoding.UTF8.GetBytes(body.ToString());
    }

    internal static IamRole ReadRole(XElement? role)
    {
        if (role is null)
        {
            throw new AwsApiException("iam", "MalformedResponse", "IAM response lacks its Role", System.Net.HttpStatusCode.OK, null, AwsErrorKind.Transient);
        }

        var created = Text(role, "CreateDate");
        var maxSession = Text(role, "MaxSessionDuration");
        var policy = Text(role, "AssumeRolePolicyDocument");
        return new IamRole
        {
            RoleName = Text(role, "RoleName") ?? string.Empty,
            Arn = Text(role, "Arn") ?? string.Empty,
            Path = Text(role, "Path") ?? "/",
            RoleId = Text(role, "RoleId"),
            CreateDate = created is null ? null : DateTimeOffset.Parse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            AssumeRolePolicyDocument = policy is null ? null : DecodePolicy(policy),
            Description = Text(role, "Description"),
            MaxSessionDuration = maxSession is null ? null : int.Parse(maxSession, CultureInfo.InvariantCulture),
            PermissionsBoundaryArn = Text(Child(role, "PermissionsBoundary"), "PermissionsBoundaryArn"),
            Tags = Members(Child(role, "Tags")).ToDictionary(m => Text(m, "Key") ?? string.Empty, m => Text(m, "Value") ?? string.Empty, StringComparer.Ordinal),
        };
    }

    /// <summary>IAM returns policy documents URL-encoded (RFC 3986). A document that is already JSON is left alone.</summary>
    internal static string DecodePolicy(string document)
    {
        var trimmed = document.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[') ? document : Uri.UnescapeDataString(document);
    }

    private static void AddTags(List<KeyValuePair<string, string>> parameters, IReadOnlyDictionary<string, string> tags)
    {
        var index = 1;
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            parameters.Add(new($"Tags.member.{index}.Key", key));
            parameters.Add(new($"Tags.member.{index}.Value", value));
            index++;
        }
    }

    private static void AddIfSet(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (value is not null)
        {
            parameters.Add(new(name, value));
        }
    }

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    private static IEnumerable<XElement> Members(XElement? list) => list?.Elements().Where(e => e.Name.LocalName == "member") ?? [];

    /// <summary>Sends the action and returns its <c>&lt;{Action}Result&gt;</c> element (null for actions without output).</summary>
    private async Task<XElement?> CallAsync(string action, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var response = await transport.SendAsync(
            new AwsRequest(action, HttpMethod.Post, "/") { Body = FormBody(action, parameters), ContentType = FormContentType },
            cancellationToken);
        if (response.Body.Length == 0)
        {
            return null;
        }

        try
        {
            return XmlResponses.Load(response.Body).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == action + "Result");
        }
        catch (System.Xml.XmlException e)
        {
            throw new AwsApiException("iam", "MalformedResponse", $"{action}: {e.Message}", response.Status, response.RequestId, AwsErrorKind.Transient, e);
        }
    }
}
