using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Client request tokens (a retried call gets the first outcome) and nextToken paging.</summary>
internal sealed partial class EksService
{
    private static string Fingerprint(JsonObject? body)
    {
        if (body is null)
        {
            return string.Empty;
        }

        var copy = (JsonObject)body.DeepClone();
        copy.Remove("clientRequestToken");
        return copy.ToJsonString();
    }

    /// <summary>Same token and same request: the original outcome; same token, other request: an error.</summary>
    private JsonObject? Replay(string operation, string scope, string? token, JsonObject? body)
    {
        if (token is null || !world.Tokens.TryGetValue($"{operation}|{scope}|{token}", out var record))
        {
            return null;
        }

        if (record.Fingerprint != Fingerprint(body))
        {
            throw AwsErrorException.InvalidParameter($"The clientRequestToken {token} has already been used with different parameters", scope.Split('/')[0]);
        }

        return (JsonObject?)record.Replay();
    }

    private void Remember(string operation, string scope, string? token, JsonObject? body, JsonObject original, Func<JsonObject?> current)
    {
        if (token is null)
        {
            return;
        }

        var snapshot = original.DeepClone();
        world.Tokens[$"{operation}|{scope}|{token}"] = new IdempotencyRecord(Fingerprint(body), () => current() ?? snapshot.DeepClone());
    }

    private static (List<string> Page, string? NextToken) Page(List<string> all, IReadOnlyDictionary<string, List<string>> query)
    {
        var max = 100;
        if (query.TryGetValue("maxResults", out var m))
        {
            if (!int.TryParse(m[0], NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > 100)
            {
                throw AwsErrorException.InvalidParameter("maxResults must be between 1 and 100");
            }
        }

        var start = 0;
        if (query.TryGetValue("nextToken", out var t))
        {
            try
            {
                start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(t[0])), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw AwsErrorException.InvalidParameter("The nextToken provided is invalid");
            }
        }

        var page = all.Skip(start).Take(max).ToList();
        var next = start + max < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((start + max).ToString(CultureInfo.InvariantCulture))) : null;
        return (page, next);
    }
}
