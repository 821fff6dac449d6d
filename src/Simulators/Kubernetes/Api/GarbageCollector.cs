using System.Threading.Channels;

namespace EksOperator.Simulators.Kubernetes.Api;

/// <summary>Runs ownerReference garbage collection off the request path, like kube-controller-manager's GC.</summary>
internal sealed class GarbageCollector : IAsyncDisposable
{
    private readonly Channel<string> _removedOwners = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Enqueue(string ownerUid) => _removedOwners.Writer.TryWrite(ownerUid);

    public void Start(Action<string> collect) => _loop = Task.Run(async () =>
    {
        try
        {
            await foreach (var uid in _removedOwners.Reader.ReadAllAsync(_stop.Token))
            {
                collect(uid);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    });

    public async ValueTask DisposeAsync()
    {
        _removedOwners.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
