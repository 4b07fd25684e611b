namespace Secretary.Testing;

/// <summary>
/// What the backoff design allows (1 s base, x2, cap, ±jitter): the fewest and the most store attempts a failing
/// secret costs over a span of time, the longest a single wait can be, and the recovery probes an outage adds.
/// </summary>
public static class BackoffBounds
{
    /// <summary>Attempts within <paramref name="span"/>: the first at once, each next one after the shortest possible delay.</summary>
    public static int MaxAttempts(TimeSpan span, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        var attempts = 1;
        var elapsed = 0.0;
        for (var failures = 1; ; failures++)
        {
            var delay = Math.Min(baseDelay.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30)), maxDelay.TotalSeconds) * (1 - jitter);
            elapsed += delay;
            if (elapsed > span.TotalSeconds)
            {
                return attempts;
            }

            attempts++;
        }
    }

    /// <summary>
    /// Attempts within <paramref name="span"/> at the least: the first at once, each next one after the longest possible
    /// delay plus <paramref name="lag"/> (how late a retry can be noticed: the interval between reads, the length of a call).
    /// </summary>
    public static int MinAttempts(TimeSpan span, TimeSpan baseDelay, TimeSpan maxDelay, double jitter, TimeSpan lag)
    {
        var attempts = 1;
        var elapsed = TimeSpan.Zero;
        for (var failures = 1; ; failures++)
        {
            elapsed += LongestWait(failures, baseDelay, maxDelay, jitter) + lag;
            if (elapsed > span)
            {
                return attempts;
            }

            attempts++;
        }
    }

    /// <summary>Recovery probes within <paramref name="span"/> of a store-wide outage: one per interval for the whole cache (none when probing is off).</summary>
    public static int MaxProbes(TimeSpan span, TimeSpan interval) =>
        interval <= TimeSpan.Zero ? 0 : (int)(span / interval) + 1;

    /// <summary>The longest wait after <paramref name="failures"/> consecutive failures.</summary>
    public static TimeSpan LongestWait(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double jitter) =>
        TimeSpan.FromSeconds(Math.Min(Math.Min(baseDelay.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30)), maxDelay.TotalSeconds) * (1 + jitter), maxDelay.TotalSeconds));
}
