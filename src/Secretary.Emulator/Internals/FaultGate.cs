using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Secretary.Emulator.Internals;

/// <summary>
/// Applies the injected fault rule of an operation to one call, whatever its wire protocol: latency, hang, drop,
/// outage, throttling, error rate. The protocol writes the injected error in its own shape.
/// </summary>
internal sealed partial class FaultGate
{
    private readonly FaultInjector _faults;
    private readonly RequestCounter _counter;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;

    public FaultGate(FaultInjector faults, RequestCounter counter, TimeProvider timeProvider, CancellationToken stopping, ILogger logger)
    {
        _faults = faults;
        _counter = counter;
        _timeProvider = timeProvider;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>Gets the token that ends when the emulator stops.</summary>
    public CancellationToken Stopping => _stopping;

    /// <summary>Applies the rule of <paramref name="operation"/>; returns false when the call was answered (or dropped) by a fault.</summary>
    public async Task<bool> PassAsync(HttpContext context, string operation, Func<HttpContext, EmulatorException, Task> writeError)
    {
        var rule = _faults.RuleFor(operation);
        if (rule.LatencyMs <= 0 && !rule.Hang && !rule.DropConnection && !rule.Outage && !rule.Throttle && rule.ErrorRate <= 0)
        {
            return true;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        if (rule.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(rule.LatencyMs), _timeProvider, linked.Token).ConfigureAwait(false);
        }

        if (rule.Hang)
        {
            _counter.CountFaulted();
            Log.Faulted(_logger, operation, "hang");
            await Task.Delay(Timeout.InfiniteTimeSpan, _timeProvider, linked.Token).ConfigureAwait(false);
            return false;
        }

        if (rule.DropConnection)
        {
            _counter.CountFaulted();
            Log.Faulted(_logger, operation, "drop");
            context.Abort();
            return false;
        }

        EmulatorException? injected = null;
        if (rule.Outage)
        {
            injected = new EmulatorException("ServiceUnavailable", "The service is unavailable (emulated outage).", 503);
        }
        else if (rule.Throttle)
        {
            injected = new EmulatorException("ThrottlingException", "Rate exceeded", 400);
        }
        else if (_faults.Fires(rule))
        {
            var type = rule.ErrorType ?? "InternalServiceError";
            injected = new EmulatorException(type, $"Injected {type} (emulated fault).", FaultInjector.StatusOf(type));
        }

        if (injected is null)
        {
            return true;
        }

        _counter.CountFaulted();
        Log.Faulted(_logger, operation, injected.Type);
        await writeError(context, injected).ConfigureAwait(false);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3, EventName = "Faulted", Level = LogLevel.Information, Message = "{Operation} answered by injected fault {Fault}")]
        public static partial void Faulted(ILogger logger, string operation, string fault);
    }
}
