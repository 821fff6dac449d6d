using System.Collections.Concurrent;
using System.Net;
using EksOperator.Runtime.Cache;
using EksOperator.Runtime.Queue;
using EksOperator.Runtime.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Reconciliation;

/// <summary>Routine retries are one quiet line; real failures keep their level and stack.</summary>
public sealed class ControllerLoggingTests : IAsyncDisposable
{
    private static readonly ObjectKey Key = new("ns", "w");
    private readonly RecordingLogger _log = new();
    private readonly ServiceProvider _services;
    private readonly Controller<TestWidget> _controller;
    private Func<Exception> _failure = () => new InvalidOperationException("boom");

    public ControllerLoggingTests()
    {
        _services = new ServiceCollection().AddSingleton<IReconciler<TestWidget>>(new Failing(() => _failure())).BuildServiceProvider();
        var time = new FakeTimeProvider();
        var queue = new WorkQueue<ObjectKey>(new ItemExponentialRateLimiter<ObjectKey>(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), time);
        _controller = new Controller<TestWidget>(new ControllerSettings("widget", 1, TimeSpan.FromMinutes(10), 0.1), queue, new Store<TestWidget>(),
            _services.GetRequiredService<IServiceScopeFactory>(), time, _log);
    }

    public static TheoryData<string> Routine => ["conflict", "retry-later"];

    [Theory]
    [MemberData(nameof(Routine))]
    public async Task A_routine_retry_is_one_line_without_a_stack_and_still_backs_off(string kind)
    {
        _failure = kind == "conflict"
            ? () => Status(HttpStatusCode.Conflict)
            : () => new RetryLaterException("AWS throttled eks DescribeCluster", new InvalidOperationException("inner"));

        await _controller.ProcessAsync(Key, CancellationToken.None);

        var entries = _log.Entries.Where(e => e.Level >= LogLevel.Information).ToList();
        var entry = Assert.Single(entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Null(entry.Exception);
        Assert.DoesNotContain('\n', entry.Message);
        Assert.Contains("retried", entry.Message, StringComparison.Ordinal);
        Assert.Equal(1, _controller.Queue.NumRequeues(Key));
    }

    [Fact]
    public async Task A_real_failure_is_an_error_with_its_exception()
    {
        await _controller.ProcessAsync(Key, CancellationToken.None);

        var entry = Assert.Single(_log.Entries, e => e.Level >= LogLevel.Information);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Equal(1, _controller.Queue.NumRequeues(Key));
    }

    [Fact]
    public async Task A_404_is_not_mistaken_for_a_routine_conflict()
    {
        _failure = () => Status(HttpStatusCode.NotFound);
        await _controller.ProcessAsync(Key, CancellationToken.None);
        Assert.Equal(LogLevel.Error, Assert.Single(_log.Entries, e => e.Level >= LogLevel.Information).Level);
    }

    // The status-code constructor is internal to the runtime; the tests see internals.
    private static KubernetesApiException Status(HttpStatusCode code) => new(code, null, $"{(int)code}");

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private sealed class Failing(Func<Exception> failure) : IReconciler<TestWidget>
    {
        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => throw failure();
    }

    private sealed class RecordingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
            => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
