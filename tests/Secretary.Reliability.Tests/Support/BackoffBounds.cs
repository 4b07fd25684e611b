namespace Secretary.Reliability.Tests;

/// <summary>
/// What the backoff design allows (1 s base, x2, cap, ±jitter): the most store attempts a failing secret can cost
/// over a span of time, and the longest a single wait can be.
/// </summary>
internal static class BackoffBounds
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

    /// <summary>The longest wait after <paramref name="failures"/> consecutive failures.</summary>
    public static TimeSpan LongestWait(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double jitter) =>
        TimeSpan.FromSeconds(Math.Min(Math.Min(baseDelay.TotalSeconds * Math.Pow(2, Math.Min(failures - 1, 30)), maxDelay.TotalSeconds) * (1 + jitter), maxDelay.TotalSeconds));
}
