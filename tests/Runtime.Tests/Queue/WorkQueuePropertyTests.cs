using CsCheck;
using EksOperator.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Runtime.Tests.Queue;

/// <summary>The queue's two promises, checked over generated schedules: single flight per key, and no lost change.</summary>
public sealed class WorkQueuePropertyTests
{
    private const int Keys = 5;
    private const int Workers = 3;

    private static WorkQueue<int> NewQueue(TimeProvider time)
        => new(new ItemExponentialRateLimiter<int>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1)), time);

    /// <summary>
    /// A model-checked interleaving of adds, delayed adds, takes and completions by several workers: no key is ever
    /// held by two workers, and every add is followed by a processing of that key.
    /// </summary>
    [Fact]
    public void No_key_is_processed_concurrently_and_no_add_is_lost()
    {
        var ops = Gen.Select(Gen.Int[0, 3], Gen.Int[0, Keys - 1], Gen.Int[0, Workers - 1]).Array[0, 250];
        ops.Sample(schedule =>
        {
            var time = new FakeTimeProvider();
            using var queue = NewQueue(time);
            var held = new int?[Workers];
            var step = 0;
            var lastAdd = new int[Keys];
            var lastStart = new int[Keys];
            Array.Fill(lastAdd, -1);
            Array.Fill(lastStart, -1);

            void Take(int worker)
            {
                var task = queue.GetAsync(CancellationToken.None);
                Assert.True(task.IsCompletedSuccessfully, "a queued key must be handed out at once");
                var (ok, key) = task.Result;
                Assert.True(ok);
                Assert.DoesNotContain(held, k => k == key);
                held[worker] = key;
                lastStart[key] = ++step;
            }

            foreach (var (op, key, worker) in schedule)
            {
                switch (op)
                {
                    case 0:
                        lastAdd[key] = ++step;
                        queue.Add(key);
                        break;
                    case 1:
                        lastAdd[key] = ++step;
                        queue.AddAfter(key, TimeSpan.FromMilliseconds(1 + worker));
                        time.Advance(TimeSpan.FromMilliseconds(1));
                        break;
                    case 2 when held[worker] is null && queue.Length > 0:
                        Take(worker);
                        break;
                    case 3 when held[worker] is { } done:
                        held[worker] = null;
                        queue.Done(done);
                        break;
                }
            }

            // Let every worker finish and the delayed adds fire, then drain: each add must have been processed.
            for (var w = 0; w < Workers; w++)
            {
                if (held[w] is { } done)
                {
                    held[w] = null;
                    queue.Done(done);
                }
            }

            time.Advance(TimeSpan.FromSeconds(1));
            while (queue.Length > 0)
            {
                Take(0);
                queue.Done(held[0]!.Value);
                held[0] = null;
            }

            for (var k = 0; k < Keys; k++)
            {
                Assert.True(lastAdd[k] < 0 || lastStart[k] > lastAdd[k], $"key {k} added at step {lastAdd[k]} but last processed at {lastStart[k]}");
            }
        }, iter: 400);
    }

    /// <summary>Real threads: workers and a producer race; a key's in-flight count must never exceed one.</summary>
    [Fact]
    public async Task Concurrent_workers_never_share_a_key()
    {
        var gen = Gen.Select(Gen.Int[1, 6], Gen.Int[0, Keys - 1].Array[1, 200]);
        await gen.SampleAsync(async (workers, adds) =>
        {
            using var queue = NewQueue(TimeProvider.System);
            var inFlight = new int[Keys];
            var violations = 0;
            var lastAdd = new long[Keys];
            var lastStart = new long[Keys];
            long clock = 0;

            async Task Work()
            {
                while (true)
                {
                    var (ok, key) = await queue.GetAsync(CancellationToken.None);
                    if (!ok)
                    {
                        return;
                    }

                    Interlocked.Exchange(ref lastStart[key], Interlocked.Increment(ref clock));
                    if (Interlocked.Increment(ref inFlight[key]) != 1)
                    {
                        Interlocked.Increment(ref violations);
                    }

                    await Task.Yield();
                    Interlocked.Decrement(ref inFlight[key]);
                    queue.Done(key);
                }
            }

            var running = Enumerable.Range(0, workers).Select(_ => Task.Run(Work)).ToArray();
            await Task.Run(async () =>
            {
                foreach (var key in adds)
                {
                    Interlocked.Exchange(ref lastAdd[key], Interlocked.Increment(ref clock));
                    queue.Add(key);
                    await Task.Yield();
                }
            });

            // Settled = every key's last add was followed by a start, and nothing is in flight. Length and InFlight alone
            // are two reads: between them a finished dirty key can move back into the queue, so "both zero" may be seen
            // while an add is still owed. Once settled it stays so (no adds are left to make a key dirty again).
            // Bounded so a lost add fails instead of hanging.
            bool Settled() =>
                Enumerable.Range(0, Keys).All(k => Interlocked.Read(ref lastAdd[k]) == 0 || Interlocked.Read(ref lastStart[k]) > Interlocked.Read(ref lastAdd[k]))
                && queue.InFlight == 0 && queue.Length == 0;
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (!Settled())
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, "the queue never settled: an add was lost or a key stayed in flight");
                await Task.Yield();
            }

            queue.ShutDown();
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, violations);
            for (var k = 0; k < Keys; k++)
            {
                Assert.True(lastAdd[k] == 0 || lastStart[k] > lastAdd[k], $"key {k} lost an add");
            }
        }, iter: 100, threads: 1);
    }
}
