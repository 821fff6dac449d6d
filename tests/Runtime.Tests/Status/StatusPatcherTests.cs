using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Runtime.Client;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Status;

public sealed class StatusPatcherTests : IDisposable
{
    private readonly RecordingHandler _handler = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));
    private readonly StatusPatcher _patcher;

    public StatusPatcherTests()
    {
        _patcher = new StatusPatcher(new KubernetesApi(_handler.Client(), new Uri("http://fake/")), new ResourceTypes(), NullLogger<StatusPatcher>.Instance);
    }

    private static TestWidget Widget(long generation = 3, WidgetStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "ns", Generation = generation, ResourceVersion = "7" },
        Spec = new WidgetSpec { Size = 2 },
        Status = status,
    };

    private JsonObject OnlyPatch()
    {
        var request = Assert.Single(_handler.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/apis/test.example.com/v1/namespaces/ns/widgets/w/status", request.Path);
        Assert.Equal("application/merge-patch+json", request.ContentType);
        return JsonNode.Parse(request.Body!)!.AsObject();
    }

    [Fact]
    public async Task Writes_only_the_changed_fields_and_the_observed_generation()
    {
        var cached = Widget(status: new WidgetStatus { ObservedGeneration = 2, Phase = "Old", SeenSize = 1 });

        var result = await _patcher.RunAsync(cached, (w, _) =>
        {
            w.Status!.Phase = "New";
            return Task.FromResult(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(5)));
        }, CancellationToken.None);

        Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":{"observedGeneration":3,"phase":"New"}}"""), OnlyPatch()));
        Assert.Equal("Old", cached.Status!.Phase);
    }

    [Fact]
    public async Task An_unchanged_pass_writes_nothing()
    {
        var cached = Widget(status: new WidgetStatus { ObservedGeneration = 3, Phase = "Same" });

        await _patcher.RunAsync(cached, (w, _) =>
        {
            w.Status!.Phase = "Same";
            return Task.FromResult(ReconcileResult.Done);
        }, CancellationToken.None);

        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task A_throwing_pass_writes_its_changes_without_observed_generation_and_rethrows()
    {
        var cached = Widget(status: new WidgetStatus { ObservedGeneration = 2 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => _patcher.RunAsync<TestWidget>(cached, (w, _) =>
        {
            w.Status!.Conditions = [];
            w.Status.Conditions.Set("Ready", ConditionStatus.False, "Failed", "boom", 3, _time);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));

        var patch = OnlyPatch();
        Assert.False(patch["status"]!.AsObject().ContainsKey("observedGeneration"));
        Assert.Equal("2026-01-02T03:04:05Z", patch["status"]!["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>().Replace(".000000", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task First_status_is_written_whole_and_removed_fields_become_null()
    {
        await _patcher.RunAsync(Widget(status: null), (w, _) =>
        {
            w.Status = new WidgetStatus { Phase = "Creating" };
            return Task.FromResult(ReconcileResult.Done);
        }, CancellationToken.None);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":{"phase":"Creating","observedGeneration":3}}"""), OnlyPatch()));
    }

    [Fact]
    public void Merge_patch_diff_nulls_removed_keys_and_replaces_arrays_whole()
    {
        var before = JsonNode.Parse("""{"a":1,"b":{"c":2,"d":3},"list":[1,2],"gone":true}""");
        var after = JsonNode.Parse("""{"a":1,"b":{"c":2,"d":4},"list":[1,2,3]}""");

        Assert.True(MergePatch.TryDiff(before, after, out var patch));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"b":{"d":4},"list":[1,2,3],"gone":null}"""), patch));
        Assert.False(MergePatch.TryDiff(before, before!.DeepClone(), out _));
    }

    [Fact]
    public async Task Conflicts_are_retried_then_surface()
    {
        var calls = 0;
        _handler.Respond = _ => Interlocked.Increment(ref calls) < 3
            ? (HttpStatusCode.Conflict, """{"kind":"Status","code":409,"reason":"Conflict"}""")
            : (HttpStatusCode.OK, "{}");

        await _patcher.RunAsync(Widget(), (w, _) =>
        {
            w.Status = new WidgetStatus { Phase = "x" };
            return Task.FromResult(ReconcileResult.Done);
        }, CancellationToken.None);
        Assert.Equal(3, calls);

        _handler.Respond = _ => (HttpStatusCode.Conflict, """{"kind":"Status","code":409,"reason":"Conflict"}""");
        var ex = await Assert.ThrowsAsync<KubernetesApiException>(() => _patcher.RunAsync(Widget(), (w, _) =>
        {
            w.Status = new WidgetStatus { Phase = "y" };
            return Task.FromResult(ReconcileResult.Done);
        }, CancellationToken.None));
        Assert.True(ex.IsConflict);
    }

    [Fact]
    public async Task A_vanished_object_is_not_an_error()
    {
        _handler.Respond = _ => (HttpStatusCode.NotFound, """{"kind":"Status","code":404,"reason":"NotFound"}""");

        var result = await _patcher.RunAsync(Widget(), (w, _) =>
        {
            w.Status = new WidgetStatus { Phase = "x" };
            return Task.FromResult(ReconcileResult.Done);
        }, CancellationToken.None);

        Assert.Equal(ReconcileResult.Done, result);
    }

    public void Dispose() => _handler.Dispose();
}
