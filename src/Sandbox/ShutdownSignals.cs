using System.Runtime.InteropServices;

namespace EksOperator.Sandbox;

/// <summary>
/// The sandbox owns the process's stop signals: SIGINT (Ctrl+C), SIGTERM (<c>kill</c>, <c>docker stop</c>,
/// <c>timeout</c>, systemd) and SIGQUIT cancel one token, on which every host is stopped and the process exits 0.
/// A second signal while stopping is left to its default action, so an impatient second Ctrl+C ends the process.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals(CancellationTokenSource stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(signal =>
            PosixSignalRegistration.Create(signal, context =>
            {
                if (stop.IsCancellationRequested) return;
                context.Cancel = true;
                // Not Cancel(): its callbacks would run the whole shutdown on the signal-handling thread.
                _ = stop.CancelAsync();
            }))];
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
