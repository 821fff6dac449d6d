using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using System.Web;

namespace EksOperator.Runtime.Tests.Cache;

/// <summary>
/// An HttpMessageHandler that plays the API server: lists are answered by a callback; each watch request becomes a
/// <see cref="FakeWatch"/> the test writes lines to and closes, or leaves silent.
/// </summary>
internal sealed class FakeApiServer : HttpMessageHandler
{
    private readonly Channel<FakeWatch> _watches = Channel.CreateUnbounded<FakeWatch>();
    private readonly Lock _lock = new();
    private readonly List<Uri> _requests = [];

    /// <summary>Answers list requests (not watches): (status, body).</summary>
    public Func<Uri, (HttpStatusCode Status, string Body)> OnList { get; set; } = _ => (HttpStatusCode.OK, """{"metadata":{"resourceVersion":"1"},"items":[]}""");

    /// <summary>When set, a watch request gets this answer instead of a stream.</summary>
    public Func<Uri, (HttpStatusCode Status, string Body)?> OnWatch { get; set; } = _ => null;

    public IReadOnlyList<Uri> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public int ListCount => Requests.Count(u => !IsWatch(u));

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://fake/") };

    public async Task<FakeWatch> NextWatchAsync() => await _watches.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    private static bool IsWatch(Uri uri) => HttpUtility.ParseQueryString(uri.Query)["watch"] == "true";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        lock (_lock)
        {
            _requests.Add(uri);
        }

        if (!IsWatch(uri))
        {
            var (status, body) = OnList(uri);
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }

        if (OnWatch(uri) is { } answer)
        {
            return Task.FromResult(new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body, Encoding.UTF8, "application/json") });
        }

        var watch = new FakeWatch(uri);
        _watches.Writer.TryWrite(watch);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(watch.Pipe.Reader.AsStream()) });
    }
}

internal sealed class FakeWatch(Uri uri)
{
    public Uri Uri { get; } = uri;

    public Pipe Pipe { get; } = new();

    public string? Query(string name) => HttpUtility.ParseQueryString(Uri.Query)[name];

    public async Task SendAsync(string type, string objectJson)
        => await Pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes($$"""{"type":"{{type}}","object":{{objectJson}}}""" + "\n"));

    public Task CloseAsync() => Pipe.Writer.CompleteAsync().AsTask();
}

/// <summary>ConfigMap JSON for tests.</summary>
internal static class Objects
{
    public static string ConfigMap(string name, string resourceVersion, string value = "v", string ns = "default", string? cluster = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["resourceVersion"] = resourceVersion };
        if (cluster is not null)
        {
            metadata["labels"] = new JsonObject { ["cluster"] = cluster };
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = metadata,
            ["data"] = new JsonObject { ["k"] = value },
        }.ToJsonString();
    }

    public static string List(string resourceVersion, string? continueToken, params string[] items)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "ConfigMapList",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. items.Select(i => JsonNode.Parse(i))]),
        }.ToJsonString();
    }
}
