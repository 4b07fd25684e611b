namespace Secretary.Internals;

/// <summary>
/// The store's recent latencies (the last 64 calls), for the refresh lead: a value is refreshed
/// ahead of its TTL by 10 × the p99 of these (with 64 samples, the p99 is the slowest but
/// one), at least a second, at most a fifth of the TTL.
/// </summary>
internal sealed class LatencyWindow
{
    private const int Size = 64;
    private readonly long[] _samples = new long[Size];
    private int _next = -1;

    public void Record(long elapsed) => Volatile.Write(ref _samples[Interlocked.Increment(ref _next) & (Size - 1)], Math.Max(0, elapsed));

    /// <summary>The p99 latency in timestamp units (0 before any call).</summary>
    public long P99()
    {
        long slowest = 0, second = 0;
        for (var i = 0; i < Size; i++)
        {
            var sample = Volatile.Read(ref _samples[i]);
            if (sample > slowest)
            {
                second = slowest;
                slowest = sample;
            }
            else if (sample > second)
            {
                second = sample;
            }
        }

        return second;
    }
}
