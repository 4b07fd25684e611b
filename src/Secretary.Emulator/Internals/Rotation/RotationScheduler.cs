using Microsoft.Extensions.Logging;

namespace Secretary.Emulator.Internals;

/// <summary>
/// Scheduled rotation on the emulator's clock: once a minute of <see cref="TimeProvider"/> time, every secret whose
/// <c>NextRotationDate</c> has come is rotated (a <c>FakeTimeProvider.Advance</c> drives it in tests).
/// </summary>
internal sealed partial class RotationScheduler : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RotationScheduler(SecretOperations operations, TimeProvider timeProvider, ILogger logger)
    {
        _loop = RunAsync(operations, timeProvider, logger, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static async Task RunAsync(SecretOperations operations, TimeProvider timeProvider, ILogger logger, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
        {
            try
            {
                await operations.RotateDueAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, ex.GetType().Name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 31, EventName = "ScheduledRotationFailed", Level = LogLevel.Error, Message = "Scheduled rotation failed with an unexpected {ExceptionType}")]
        public static partial void Failed(ILogger logger, string exceptionType);
    }
}
