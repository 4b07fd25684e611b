namespace Secretary.Internals;

/// <summary>Exponential backoff with jitter: base x 2^(failures-1), capped, then spread by ±jitter.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double jitter, double random01)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var seconds = Math.Min(baseDelay.TotalSeconds * Math.Pow(2, exponent), maxDelay.TotalSeconds);
        var spread = 1 + (jitter * ((2 * random01) - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds * spread, maxDelay.TotalSeconds));
    }
}
