namespace EksOperator.Runtime.Queue;

/// <summary>Observes a queue for metrics; the default does nothing.</summary>
internal interface IWorkQueueMetrics
{
    void DepthChanged(int depth);

    void Waited(TimeSpan timeInQueue);

    void Retried();
}

internal sealed class NoWorkQueueMetrics : IWorkQueueMetrics
{
    public static readonly NoWorkQueueMetrics Instance = new();

    public void DepthChanged(int depth)
    {
    }

    public void Waited(TimeSpan timeInQueue)
    {
    }

    public void Retried()
    {
    }
}

/// <summary>
/// client-go's rate-limiting work queue for keys:
/// <list type="bullet">
/// <item>a key waiting in the queue is held once however often it is added (dirty set);</item>
/// <item>a key handed to a worker is not handed out again until <see cref="Done"/> (processing set);</item>
/// <item>a key added while it is processed is queued again by <see cref="Done"/>, so no change is lost;</item>
/// <item>delayed adds keep the earliest due time per key; rate-limited adds ask the <see cref="IRateLimiter{TKey}"/>.</item>
/// </list>
/// </summary>
internal sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, long> _addedAt = [];
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> _waiting = [];
    private readonly Queue<TaskCompletionSource<bool>> _getters = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IRateLimiter<TKey> _rateLimiter;
    private readonly TimeProvider _time;
    private readonly IWorkQueueMetrics _metrics;
    private bool _shuttingDown;

    public WorkQueue(IRateLimiter<TKey> rateLimiter, TimeProvider time, IWorkQueueMetrics? metrics = null)
    {
        _rateLimiter = rateLimiter;
        _time = time;
        _metrics = metrics ?? NoWorkQueueMetrics.Instance;
    }

    /// <summary>Keys waiting to be handed out (not counting delayed or in-flight keys).</summary>
    public int Length
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Keys currently handed to a worker.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _processing.Count;
            }
        }
    }

    /// <summary>Keys scheduled for later.</summary>
    public int Delayed
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_lock)
        {
            AddLocked(key);
        }
    }

    /// <summary>Adds <paramref name="key"/> once <paramref name="delay"/> has passed; an earlier pending add wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }

                existing.Timer.Dispose();
            }

            var timer = _time.CreateTimer(static state => ((WorkQueue<TKey>)((object[])state!)[0]).Fire((TKey)((object[])state!)[1]), new object[] { this, key }, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = (due, timer);
        }
    }

    /// <summary>Adds the key after the delay its rate limiter decides (a failed item's retry).</summary>
    public void AddRateLimited(TKey key)
    {
        _metrics.Retried();
        AddAfter(key, _rateLimiter.When(key));
    }

    /// <summary>Clears the key's failure history (the item succeeded).</summary>
    public void Forget(TKey key) => _rateLimiter.Forget(key);

    public int NumRequeues(TKey key) => _rateLimiter.NumRequeues(key);

    /// <summary>
    /// Waits for a key and marks it in flight. Returns <c>default</c> with <c>ok=false</c> once the queue shuts down.
    /// Every key returned must be given back with <see cref="Done"/>.
    /// </summary>
    public async Task<(bool Ok, TKey Key)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource<bool> signal;
            lock (_lock)
            {
                if (_shuttingDown)
                {
                    return (false, default!);
                }

                if (_queue.First is { } first)
                {
                    var key = first.Value;
                    _queue.RemoveFirst();
                    _dirty.Remove(key);
                    _processing.Add(key);
                    if (_addedAt.Remove(key, out var addedAt))
                    {
                        _metrics.Waited(_time.GetElapsedTime(addedAt));
                    }

                    _metrics.DepthChanged(_queue.Count);
                    return (true, key);
                }

                signal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _getters.Enqueue(signal);
            }

            await using (cancellationToken.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetCanceled(), signal))
            {
                await signal.Task;
            }
        }
    }

    /// <summary>The worker finished the key; if it changed meanwhile it is queued again.</summary>
    public void Done(TKey key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shuttingDown)
            {
                Enqueue(key);
            }

            if (_shuttingDown && _processing.Count == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Stops handing out keys; adds are ignored from now on. In-flight keys finish normally.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            _shuttingDown = true;
            foreach (var (_, (_, timer)) in _waiting)
            {
                timer.Dispose();
            }

            _waiting.Clear();
            while (_getters.TryDequeue(out var getter))
            {
                getter.TrySetResult(false);
            }

            if (_processing.Count == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>Completes when shut down and no key is in flight.</summary>
    public Task Drained => _drained.Task;

    public void Dispose() => ShutDown();

    private void Fire(TKey key)
    {
        lock (_lock)
        {
            if (_waiting.Remove(key, out var entry))
            {
                entry.Timer.Dispose();
                AddLocked(key);
            }
        }
    }

    private void AddLocked(TKey key)
    {
        if (_shuttingDown || !_dirty.Add(key))
        {
            return;
        }

        // A plain add makes a pending delayed add of the same key pointless.
        if (_waiting.Remove(key, out var waiting))
        {
            waiting.Timer.Dispose();
        }

        if (_processing.Contains(key))
        {
            return;
        }

        Enqueue(key);
    }

    private void Enqueue(TKey key)
    {
        _queue.AddLast(key);
        _addedAt.TryAdd(key, _time.GetTimestamp());
        _metrics.DepthChanged(_queue.Count);
        while (_getters.TryDequeue(out var getter))
        {
            if (getter.TrySetResult(true))
            {
                break;
            }
        }
    }
}
