using System.Net;

namespace EksOperator.Aws.Transport;

/// <summary>A protocol-level request before signing: path template with labels, query (multi-valued) and body.</summary>
internal sealed record AwsRequest(string Operation, HttpMethod Method, string ResourcePath)
{
    /// <summary>Values of <c>{label}</c>s in <see cref="AwsRequest.ResourcePath"/>; AWSSDK.Core percent-encodes them as single segments.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> PathLabels { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, List<string>>> Query { get; init; } = [];

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }
}

/// <summary>A successful (2xx) response.</summary>
internal sealed record AwsResponse(HttpStatusCode Status, byte[] Body, string? RequestId);

/// <summary>Turns a non-2xx response into an exception; one per protocol (restJson1, awsQuery XML).</summary>
internal delegate AwsApiException AwsErrorReader(string service, HttpResponseMessage response, byte[] body);
