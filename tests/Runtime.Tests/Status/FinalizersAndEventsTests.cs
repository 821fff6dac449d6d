using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Status;

public sealed class FinalizersAndEventsTests : IDisposable
{
    private readonly RecordingHandler _handler = new();
    private readonly KubernetesApi _api;

    public FinalizersAndEventsTests() => _api = new KubernetesApi(_handler.Client(), new Uri("http://fake/"));

    private static TestWidget Widget(params string[] finalizers) => new()
    {
        Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "ns", Uid = "uid-1", ResourceVersion = "7", Finalizers = finalizers },
    };

    [Fact]
    public async Task Ensure_adds_with_a_resource_version_guard_and_keeps_other_finalizers()
    {
        _handler.Respond = _ => (HttpStatusCode.OK, """{"metadata":{"resourceVersion":"8"}}""");
        var finalizers = new Finalizers(_api, new ResourceTypes());
        var widget = Widget("other.io/keep");

        Assert.True(await finalizers.EnsureAsync(widget, "test.example.com/cleanup", CancellationToken.None));
        Assert.False(await finalizers.EnsureAsync(widget, "test.example.com/cleanup", CancellationToken.None));

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("/apis/test.example.com/v1/namespaces/ns/widgets/w", request.Path);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"metadata":{"resourceVersion":"7","finalizers":["other.io/keep","test.example.com/cleanup"]}}"""),
            JsonNode.Parse(request.Body!)));
        Assert.Equal("8", widget.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Remove_takes_only_ours_and_a_conflict_surfaces()
    {
        var finalizers = new Finalizers(_api, new ResourceTypes());
        _handler.Respond = _ => (HttpStatusCode.Conflict, """{"kind":"Status","code":409,"reason":"Conflict"}""");

        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => finalizers.RemoveAsync(Widget("a", "mine"), "mine", CancellationToken.None));
        Assert.True(ex.IsConflict);
        Assert.Contains("\"finalizers\":[\"a\"]", _handler.Requests[0].Body, StringComparison.Ordinal);
        Assert.False(await finalizers.RemoveAsync(Widget("a"), "mine", CancellationToken.None));
    }

    [Fact]
    public async Task Events_are_created_once_then_counted()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var recorder = new EventRecorder(_api, Options.Create(new ControllerRuntimeOptions { EventSource = "test-operator" }), time, NullLogger<EventRecorder>.Instance);
        var widget = Widget();

        await recorder.RecordAsync(widget, EventType.Warning, "Failed", "boom");
        time.Advance(TimeSpan.FromSeconds(30));
        await recorder.RecordAsync(widget, EventType.Warning, "Failed", "boom");
        await recorder.RecordAsync(widget, EventType.Normal, "Created", "done");

        Assert.Equal(["POST", "PATCH", "POST"], _handler.Requests.Select(r => r.Method));
        var created = JsonNode.Parse(_handler.Requests[0].Body!)!;
        Assert.Equal("/api/v1/namespaces/ns/events", _handler.Requests[0].Path);
        Assert.Equal("Widget", created["involvedObject"]!["kind"]!.GetValue<string>());
        Assert.Equal("uid-1", created["involvedObject"]!["uid"]!.GetValue<string>());
        Assert.Equal("test-operator", created["source"]!["component"]!.GetValue<string>());
        Assert.Equal("Warning", created["type"]!.GetValue<string>());
        Assert.Equal(1, created["count"]!.GetValue<int>());

        var name = created["metadata"]!["name"]!.GetValue<string>();
        Assert.StartsWith("w.", name, StringComparison.Ordinal);
        Assert.Equal($"/api/v1/namespaces/ns/events/{name}", _handler.Requests[1].Path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"count":2,"lastTimestamp":"2026-03-04T05:06:37Z"}"""), JsonNode.Parse(_handler.Requests[1].Body!)));
    }

    [Fact]
    public async Task Event_failures_never_throw()
    {
        _handler.Respond = _ => (HttpStatusCode.Forbidden, """{"kind":"Status","code":403}""");
        var recorder = new EventRecorder(_api, Options.Create(new ControllerRuntimeOptions()), TimeProvider.System, NullLogger<EventRecorder>.Instance);

        await recorder.RecordAsync(Widget(), EventType.Normal, "X", "y");

        Assert.Single(_handler.Requests);
    }

    public void Dispose() => _handler.Dispose();
}
