using System.Diagnostics;
using System.Numerics;

namespace Secretary.Scenarios;

/// <summary>
/// A log-linear latency histogram in nanoseconds (32 sub-buckets per power of two, so a
/// percentile is within about 3% of the truth; the maximum is exact). One per thread, merged.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 5;
    private const int Sub = 1 << SubBits;
    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[64 * Sub];

    public long Count { get; private set; }

    public long MaxNs { get; private set; }

    /// <summary>Reads of 40 ms or more: on a warm cache, reads that waited for a store call (50 ms or 200 ms here) or a lock held across one.</summary>
    public long WaitedCount { get; private set; }

    /// <summary>Total time spent in reads of 1 ms or more: the stalls percentiles over reads hide (a stalled reader makes few reads).</summary>
    public long StalledNs { get; private set; }

    public void RecordTicks(long ticks) => RecordNs((long)(ticks * NsPerTick));

    public void RecordNs(long ns)
    {
        ns = Math.Max(0, ns);
        _counts[Index(ns)]++;
        Count++;
        if (ns >= 40_000_000)
        {
            WaitedCount++;
        }

        if (ns >= 1_000_000)
        {
            StalledNs += ns;
        }

        if (ns > MaxNs)
        {
            MaxNs = ns;
        }
    }

    public void Merge(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        StalledNs += other.StalledNs;
        WaitedCount += other.WaitedCount;
        MaxNs = Math.Max(MaxNs, other.MaxNs);
    }

    /// <summary>The latency at or below which <paramref name="percentile"/> percent of samples fall (upper bucket edge, capped at the maximum).</summary>
    public double PercentileNs(double percentile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var target = (long)Math.Ceiling(percentile / 100.0 * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target && _counts[i] > 0)
            {
                return Math.Min(UpperEdge(i), MaxNs);
            }
        }

        return MaxNs;
    }

    private static int Index(long ns)
    {
        if (ns < Sub)
        {
            return (int)ns;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)ns);
        var sub = (int)(ns >> (exponent - SubBits)) & (Sub - 1);
        return ((exponent - SubBits + 1) * Sub) + sub;
    }

    private static long UpperEdge(int index)
    {
        if (index < Sub)
        {
            return index;
        }

        var exponent = (index / Sub) + SubBits - 1;
        var sub = index % Sub;
        var lower = (long)(Sub + sub) << (exponent - SubBits);
        return lower + (1L << (exponent - SubBits)) - 1;
    }
}
