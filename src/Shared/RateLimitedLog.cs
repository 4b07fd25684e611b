// One source compiled into Secretary.Agent and Secretary.Redis (they share no assembly but the core).
namespace Secretary.Shared;

/// <summary>
/// Lets one log line through per interval and counts the ones held back, so a flood of the same event (refused
/// connections, refused requests) writes a line every few seconds with the number it stands for, not one per event.
/// </summary>
internal sealed class RateLimitedLog(TimeProvider time, TimeSpan interval)
{
    private readonly long _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
    private long _next = long.MinValue;
    private long _suppressed;

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were held back since the last one.</summary>
    public bool TryEnter(out long suppressed)
    {
        var now = time.GetTimestamp();
        var next = Interlocked.Read(ref _next);
        if (now >= next && Interlocked.CompareExchange(ref _next, now + _intervalTicks, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
