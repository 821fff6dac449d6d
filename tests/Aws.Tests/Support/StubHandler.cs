using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace EksOperator.Aws.Tests.Support;

/// <summary>A request as the handler saw it (body read eagerly, since the message is disposed after sending).</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : throw new KeyNotFoundException(name);
}

/// <summary>Answers from a script of responses (the last one repeats) and records every request.</summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<RecordedRequest, HttpResponseMessage>> _script = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _gate = new();
    private Func<RecordedRequest, HttpResponseMessage>? _last;
    private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public RecordedRequest Single => Assert.Single(Requests);

    public StubHandler Respond(Func<RecordedRequest, HttpResponseMessage> response)
    {
        _script.Enqueue(response);
        return this;
    }

    public StubHandler Respond(HttpStatusCode status, string body, string contentType = "application/json", params (string Name, string Value)[] headers) =>
        Respond(_ => Response(status, body, contentType, headers));

    public static HttpResponseMessage Response(HttpStatusCode status, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>Completes when the handler has been called at least <paramref name="count"/> times.</summary>
    public async Task WaitForCallsAsync(int count)
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_requests.Count >= count)
                {
                    return;
                }

                next = _called.Task;
            }

            await next.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = string.Join(",", values);
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name.ToLowerInvariant()] = string.Join(",", values);
            }
        }

        headers["host"] = request.RequestUri!.IsDefaultPort ? request.RequestUri.Host : $"{request.RequestUri.Host}:{request.RequestUri.Port}";
        var recorded = new RecordedRequest(request.Method, request.RequestUri, headers, body);
        TaskCompletionSource called;
        lock (_gate)
        {
            _requests.Add(recorded);
            called = _called;
            _called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        called.SetResult();
        if (_script.TryDequeue(out var next))
        {
            _last = next;
        }

        return (_last ?? throw new InvalidOperationException("no response scripted"))(recorded);
    }
}
