using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Authentication;
using k8s.Models;

namespace EksOperator.Runtime.Client;

/// <summary>
/// Raw HTTP to the API server through the KubernetesClient's own HttpClient and credentials. Raw because the
/// generated client cannot list core and custom kinds alike by (group, version, plural), and its watch helpers hide
/// ERROR events in a callback and throw EndOfStreamException when an idle watch closes; here a watch is plain lines.
/// </summary>
internal sealed class KubernetesApi(HttpClient http, Uri baseUri, ServiceClientCredentials? credentials = null)
{
    private static readonly MediaTypeHeaderValue MergePatch = new("application/merge-patch+json");
    private static readonly MediaTypeHeaderValue JsonPatch = new("application/json-patch+json");
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Uri _baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");

    public static KubernetesApi From(Kubernetes client) => new(client.HttpClient, client.BaseUri, client.Credentials);

    public async Task<JsonDocument> GetJsonAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUri, pathAndQuery));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, default, cancellationToken);
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(path, cancellationToken);
        return KubernetesJson.Deserialize<T>(document);
    }

    /// <summary>Opens a watch; the caller reads lines from the response and disposes it.</summary>
    public async Task<HttpResponseMessage> OpenWatchAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseUri, pathAndQuery));
        return await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public Task<T> MergePatchAsync<T>(string path, JsonNode patch, CancellationToken cancellationToken)
        => SendBodyAsync<T>(HttpMethod.Patch, path, patch.ToJsonString(), MergePatch, cancellationToken);

    public Task<T> JsonPatchAsync<T>(string path, JsonArray patch, CancellationToken cancellationToken)
        => SendBodyAsync<T>(HttpMethod.Patch, path, patch.ToJsonString(), JsonPatch, cancellationToken);

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_baseUri, path));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    public Task<T> CreateAsync<T>(string collectionPath, T body, CancellationToken cancellationToken)
        => SendBodyAsync<T>(HttpMethod.Post, collectionPath, KubernetesJson.Serialize(body!), Json, cancellationToken);

    private async Task<T> SendBodyAsync<T>(HttpMethod method, string path, string body, MediaTypeHeaderValue contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, path))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType.MediaType!),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return KubernetesJson.Deserialize<T>(stream);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (credentials is not null)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        var response = await http.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw CreateException(response.StatusCode, text, $"{request.Method} {request.RequestUri?.AbsolutePath}");
        }
    }

    internal static KubernetesApiException CreateException(HttpStatusCode statusCode, string body, string what)
    {
        V1Status? status = null;
        try
        {
            status = body.Length > 0 ? KubernetesJson.Deserialize<V1Status>(body) : null;
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's HTML page, say); the status code still classifies the error.
        }

        var message = status?.Message is { Length: > 0 } m ? m : body.Length > 200 ? body[..200] : body;
        return new KubernetesApiException(statusCode, status, $"{what}: {(int)statusCode} {status?.Reason} {message}".Trim());
    }
}
