using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EksOperator.Aws.Transport;

namespace EksOperator.Aws.Eks;

/// <summary>
/// restJson1 over <see cref="AwsTransport"/> for the EKS clients (clusters, node groups, access entries, Pod Identity,
/// add-ons): path labels, query, paging, JSON bodies read with the caller's source-generated metadata.
/// </summary>
internal sealed class EksRest(AwsTransport transport)
{
    private const string Json = "application/json";

    /// <summary>A DELETE whose answer is read as <typeparamref name="TResponse"/>.</summary>
    public Task<TResponse> DeleteAsync<TResponse>(
        string operation,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> labels,
        IReadOnlyList<KeyValuePair<string, List<string>>> query,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken) =>
        SendAsync(new AwsRequest(operation, HttpMethod.Delete, path) { PathLabels = labels, Query = query }, responseType, cancellationToken);

    public static KeyValuePair<string, string> Label(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return new("{" + name + "}", value);
    }

    public static KeyValuePair<string, List<string>> Query(string name, string value) => new(name, [value]);

    public static List<KeyValuePair<string, List<string>>> Paging(int? maxResults, string? nextToken)
    {
        var query = new List<KeyValuePair<string, List<string>>>();
        if (maxResults is { } max)
        {
            query.Add(Query("maxResults", max.ToString(CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrEmpty(nextToken))
        {
            query.Add(Query("nextToken", nextToken));
        }

        return query;
    }

    /// <summary>The next page's token, or null at the end; a token sent back unchanged would loop for ever.</summary>
    public static string? NextPage(string? received, string? sent, string operation)
    {
        if (string.IsNullOrEmpty(received)) return null;
        return received != sent
            ? received
            : throw new AwsApiException("eks", "MalformedResponse", $"{operation} returned the nextToken it was sent", System.Net.HttpStatusCode.OK, null, AwsErrorKind.Transient);
    }

    public static T Required<T>(T? value)
        where T : class =>
        value ?? throw new AwsApiException("eks", "MalformedResponse", $"EKS response lacks its {typeof(T).Name}", System.Net.HttpStatusCode.OK, null, AwsErrorKind.Transient);

    public Task<TResponse> PostAsync<TBody, TResponse>(
        string operation,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> labels,
        TBody body,
        JsonTypeInfo<TBody> bodyType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SendAsync(
            new AwsRequest(operation, HttpMethod.Post, path)
            {
                PathLabels = labels,
                Body = JsonSerializer.SerializeToUtf8Bytes(body, bodyType),
                ContentType = Json,
            },
            responseType,
            cancellationToken);
    }

    public Task<TResponse> GetAsync<TResponse>(
        string operation,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> labels,
        IReadOnlyList<KeyValuePair<string, List<string>>> query,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken) =>
        SendAsync(new AwsRequest(operation, HttpMethod.Get, path) { PathLabels = labels, Query = query }, responseType, cancellationToken);

    public async Task<TResponse?> GetOrNullAsync<TResponse>(
        string operation,
        string path,
        IReadOnlyList<KeyValuePair<string, string>> labels,
        IReadOnlyList<KeyValuePair<string, List<string>>> query,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TResponse : class
    {
        try
        {
            return await GetAsync(operation, path, labels, query, responseType, cancellationToken);
        }
        catch (AwsApiException e) when (e.Kind == AwsErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<TResponse> SendAsync<TResponse>(AwsRequest request, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var response = await transport.SendAsync(request, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(response.Body.Length == 0 ? "{}"u8 : response.Body, responseType)
                ?? throw new JsonException("null body");
        }
        catch (JsonException e)
        {
            throw new AwsApiException("eks", "MalformedResponse", $"{request.Operation}: {e.Message}", response.Status, response.RequestId, AwsErrorKind.Transient, e);
        }
    }
}
