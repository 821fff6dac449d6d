using System.Text;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>
/// IAM OpenID Connect providers (M-IAM *OpenIDConnectProvider*): one per URL and account, the ARN
/// <c>arn:aws:iam::{account}:oidc-provider/{url without https://}</c>, GetOpenIDConnectProvider's Url without the scheme
/// (as IAM answers), at most 100 per account (the default quota), 5 thumbprints of 40 hex characters, 100 client ids.
/// </summary>
internal sealed partial class IamService
{
    private const int MaxOidcProviders = 100;
    private const int MaxThumbprints = 5;
    private const int MaxClientIds = 100;

    private string CreateOpenIdConnectProvider(IReadOnlyDictionary<string, string> p)
    {
        var url = Required(p, "Url");
        var address = OidcAddress(url);
        var clientIds = QueryXml.List(p, "ClientIDList.member");
        var thumbprints = QueryXml.List(p, "ThumbprintList.member");
        if (thumbprints.Find(t => t.Length != 40) is { } bad)
        {
            throw Invalid($"1 validation error detected: Value '[{bad}]' at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]");
        }

        if (thumbprints.Count > MaxThumbprints)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", $"Thumbprint list must contain fewer than {MaxThumbprints + 1} entries.");
        }

        if (clientIds.Count > MaxClientIds || clientIds.Exists(c => c.Length is 0 or > 255))
        {
            throw AwsErrorException.Query(409, "LimitExceeded", $"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {MaxClientIds}");
        }

        var tags = ParseTags(p);
        var arn = $"arn:aws:iam::{world.Account}:oidc-provider/{address}";
        if (world.OidcProviders.ContainsKey(arn))
        {
            throw AwsErrorException.Query(409, "EntityAlreadyExists", $"Provider with url {url} already exists.");
        }

        if (world.OidcProviders.Count >= MaxOidcProviders)
        {
            throw AwsErrorException.Query(409, "LimitExceeded", $"Cannot exceed quota for OpenIdIdpsPerAccount: {MaxOidcProviders}");
        }

        var provider = new OidcProvider { Arn = arn, Url = address, CreateDate = world.Now };
        provider.ClientIds.AddRange(clientIds.Distinct(StringComparer.Ordinal));
        provider.Thumbprints.AddRange(thumbprints.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal));
        provider.Tags.AddRange(tags);
        world.OidcProviders[arn] = provider;
        return AppendTags(new StringBuilder().Element("OpenIDConnectProviderArn", arn), provider.Tags).ToString();
    }

    private string GetOpenIdConnectProvider(IReadOnlyDictionary<string, string> p)
    {
        var provider = FindOidcProvider(p);
        var sb = new StringBuilder().Element("Url", provider.Url).Append("<ClientIDList>");
        foreach (var id in provider.ClientIds) sb.Element("member", id);
        sb.Append("</ClientIDList><ThumbprintList>");
        foreach (var thumbprint in provider.Thumbprints) sb.Element("member", thumbprint);
        sb.Append("</ThumbprintList>").Element("CreateDate", QueryXml.Iso(provider.CreateDate));
        return AppendTags(sb, provider.Tags).ToString();
    }

    /// <summary>Idempotent (M-IAM): a provider that does not exist is no error.</summary>
    private string? DeleteOpenIdConnectProvider(IReadOnlyDictionary<string, string> p)
    {
        var arn = Required(p, "OpenIDConnectProviderArn");
        if (!OidcProviderArnPattern().IsMatch(arn)) throw Invalid($"ARN {arn} is not valid.");
        world.OidcProviders.Remove(arn);
        return null;
    }

    private string ListOpenIdConnectProviders()
    {
        var sb = new StringBuilder("<OpenIDConnectProviderList>");
        foreach (var arn in world.OidcProviders.Keys) sb.Append("<member>").Element("Arn", arn).Append("</member>");
        return sb.Append("</OpenIDConnectProviderList>").ToString();
    }

    private string? TagOpenIdConnectProvider(IReadOnlyDictionary<string, string> p)
    {
        var provider = FindOidcProvider(p);
        var tags = ParseTags(p);
        var merged = provider.Tags.Where(t => !tags.Exists(n => string.Equals(n.Key, t.Key, StringComparison.OrdinalIgnoreCase))).Concat(tags).ToList();
        if (merged.Count > 50) throw AwsErrorException.Query(409, "LimitExceeded", "The number of tags has reached the maximum limit.");
        provider.Tags.Clear();
        provider.Tags.AddRange(merged);
        return null;
    }

    private string? UntagOpenIdConnectProvider(IReadOnlyDictionary<string, string> p)
    {
        var provider = FindOidcProvider(p);
        var keys = QueryXml.List(p, "TagKeys.member");
        provider.Tags.RemoveAll(t => keys.Contains(t.Key, StringComparer.OrdinalIgnoreCase));
        return null;
    }

    private string ListOpenIdConnectProviderTags(IReadOnlyDictionary<string, string> p)
    {
        var provider = FindOidcProvider(p);
        var sorted = provider.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToList();
        return Paged(sorted, "Tags", p, (sb, tag) => sb.Append("<member>").Element("Key", tag.Key).Element("Value", tag.Value).Append("</member>"));
    }

    private OidcProvider FindOidcProvider(IReadOnlyDictionary<string, string> p)
    {
        var arn = Required(p, "OpenIDConnectProviderArn");
        if (!OidcProviderArnPattern().IsMatch(arn)) throw Invalid($"ARN {arn} is not valid.");
        return world.OidcProviders.TryGetValue(arn, out var provider)
            ? provider
            : throw AwsErrorException.Query(404, "NoSuchEntity", $"OpenIDConnect Provider not found for arn {arn}");
    }

    /// <summary>The URL as IAM keeps it: https only, no query, no port (the scheme is dropped; a trailing slash too).</summary>
    private static string OidcAddress(string url)
    {
        if (url.Length > 255 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Query.Length > 0 || !uri.IsDefaultPort)
        {
            throw Invalid("Invalid URL: it must begin with https://, without a port or a query string.");
        }

        return (uri.Host + uri.AbsolutePath).TrimEnd('/');
    }

    private static StringBuilder AppendTags(StringBuilder sb, List<KeyValuePair<string, string>> tags)
    {
        if (tags.Count == 0) return sb;
        sb.Append("<Tags>");
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal)) sb.Append("<member>").Element("Key", key).Element("Value", value).Append("</member>");
        return sb.Append("</Tags>");
    }

    [GeneratedRegex(@"^arn:aws:iam::\d{12}:oidc-provider/[^\s]+$")]
    private static partial Regex OidcProviderArnPattern();
}
