using System.Net;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace EksOperator.Aws.Transport;

/// <summary>Reads AWS error responses of each protocol into <see cref="AwsApiException"/>.</summary>
internal static class AwsErrorReaders
{
    /// <summary>
    /// restJson1 (EKS): code from the body's <c>__type</c>, else the <c>x-amzn-ErrorType</c> header, else the body's <c>code</c>;
    /// any <c>namespace#</c> prefix and <c>:suffix</c> are dropped; message from <c>x-amzn-error-message</c> or the body's <c>message</c>.
    /// </summary>
    public static AwsApiException RestJson(string service, HttpResponseMessage response, byte[] body)
    {
        string? type = null, bodyCode = null, message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    switch (property.Name)
                    {
                        case "__type":
                            type = property.Value.GetString();
                            break;
                        case "code" or "Code":
                            bodyCode = property.Value.GetString();
                            break;
                        case "message" or "Message" or "errorMessage":
                            message = property.Value.GetString();
                            break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, an empty 503): the status decides.
        }

        var header = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        var code = Normalise(type) ?? Normalise(header) ?? Normalise(bodyCode) ?? FallbackCode(response.StatusCode);
        if (response.Headers.TryGetValues("x-amzn-error-message", out var messages))
        {
            message = messages.FirstOrDefault() ?? message;
        }

        return Create(service, code, message, response);
    }

    /// <summary>awsQuery (IAM): <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>; namespaces ignored.</summary>
    public static AwsApiException QueryXml(string service, HttpResponseMessage response, byte[] body)
    {
        string? code = null, message = null, requestId = null;
        try
        {
            var root = XmlResponses.Load(body).Root;
            var error = root?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            message = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
            requestId = root?.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID")?.Value;
        }
        catch (XmlException)
        {
            // Not XML: the status decides.
        }

        return Create(service, string.IsNullOrEmpty(code) ? FallbackCode(response.StatusCode) : code, message, response, requestId);
    }

    private static AwsApiException Create(string service, string code, string? message, HttpResponseMessage response, string? requestId = null) =>
        new(
            service,
            code,
            message ?? string.Empty,
            response.StatusCode,
            AwsTransport.RequestIdOf(response) ?? requestId,
            AwsErrorClassifier.Classify(code, response.StatusCode, message));

    private static string? Normalise(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return (colon >= 0 ? code[..colon] : code).Trim();
    }

    private static string FallbackCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "NotFound",
        HttpStatusCode.TooManyRequests => "Throttling",
        HttpStatusCode.ServiceUnavailable => "ServiceUnavailable",
        HttpStatusCode.Forbidden => "AccessDenied",
        _ when (int)status >= 500 => "InternalFailure",
        _ => $"Http{(int)status}",
    };
}

/// <summary>Safe XML loading for service responses (no DTDs, no external entities).</summary>
internal static class XmlResponses
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    public static XDocument Load(byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        using var reader = XmlReader.Create(stream, Settings);
        return XDocument.Load(reader);
    }
}
