using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace EksOperator.Sandbox;

/// <summary>A host lifetime that leaves process signals to the sandbox (<see cref="ShutdownSignals"/>).</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A started host that is stopped, within a bounded grace period, before it is disposed.</summary>
internal sealed class StoppingHost(WebApplication app) : IAsyncDisposable
{
    /// <summary>Well inside the 5 s in which the sandbox exits after SIGTERM.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    public WebApplication App => app;

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(Grace, TimeProvider.System);
        try
        {
            await app.StopAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // The grace period ended; disposal below drops what is left.
        }

        await app.DisposeAsync();
    }
}
