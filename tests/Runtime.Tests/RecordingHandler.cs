using System.Net;
using System.Text;

namespace EksOperator.Runtime.Tests;

/// <summary>Records requests (method, path, content type, body) and answers with a callback.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];

    public Func<RecordedRequest, (HttpStatusCode Status, string Body)> Respond { get; set; } = r => (HttpStatusCode.OK, r.Body ?? "{}");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public HttpClient Client() => new(this);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!.AbsolutePath, request.Content?.Headers.ContentType?.MediaType, body);
        lock (_lock)
        {
            _requests.Add(recorded);
        }

        var (status, responseBody) = Respond(recorded);
        return new HttpResponseMessage(status) { Content = new StringContent(responseBody, Encoding.UTF8, "application/json") };
    }
}

internal sealed record RecordedRequest(string Method, string Path, string? ContentType, string? Body);
