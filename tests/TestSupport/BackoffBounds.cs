namespace Secretary.Testing;

/// <summary>
/// What the backoff design allows (docs/cache.md): a secret that still holds a value is retried by the next read, then
/// after 1 s, 2 s, 4 s ... (base x2, capped, ±jitter); one with nothing to serve waits 1 s, 2 s ... from its first
/// failure. From that: the fewest and the most store attempts a failing secret costs over a span of time, the longest
/// a single wait can be, and the recovery probes a store-wide outage adds.
/// </summary>
public static class BackoffBounds
{
    /// <summary>Attempts within <paramref name="span"/>: the first at once, each next one after the shortest possible delay.</summary>
    public static int MaxAttempts(TimeSpan span, TimeSpan baseDelay, TimeSpan maxDelay, double jitter, bool holdsValue = true)
    {
        var attempts = 1;
        var elapsed = TimeSpan.Zero;
        for (var failures = 1; ; failures++)
        {
            elapsed += Nominal(failures, baseDelay, maxDelay, holdsValue) * (1 - jitter);
            if (elapsed > span)
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
    public static int MinAttempts(TimeSpan span, TimeSpan baseDelay, TimeSpan maxDelay, double jitter, TimeSpan lag, bool holdsValue = true)
    {
        var attempts = 1;
        var elapsed = TimeSpan.Zero;
        for (var failures = 1; ; failures++)
        {
            elapsed += LongestWait(failures, baseDelay, maxDelay, jitter, holdsValue) + lag;
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

    /// <summary>The shortest wait after <paramref name="failures"/> consecutive failures.</summary>
    public static TimeSpan ShortestWait(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double jitter, bool holdsValue = true) =>
        Nominal(failures, baseDelay, maxDelay, holdsValue) * (1 - jitter);

    /// <summary>The longest wait after <paramref name="failures"/> consecutive failures.</summary>
    public static TimeSpan LongestWait(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double jitter, bool holdsValue = true) =>
        TimeSpan.FromTicks(Math.Min((Nominal(failures, baseDelay, maxDelay, holdsValue) * (1 + jitter)).Ticks, maxDelay.Ticks));

    /// <summary>The wait before jitter: none after a first failure while a value is held, else base x 2^(step - 1), capped.</summary>
    private static TimeSpan Nominal(int failures, TimeSpan baseDelay, TimeSpan maxDelay, bool holdsValue)
    {
        var step = holdsValue ? failures - 1 : failures;
        return step < 1 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min((long)(baseDelay.Ticks * Math.Pow(2, Math.Min(step - 1, 30))), maxDelay.Ticks));
    }
}
