using System.Numerics;
using System.Runtime.CompilerServices;

namespace Secretary.Internals;

/// <summary>
/// A counter spread over cache lines by processor, so threads counting hits on different cores
/// do not fight over one line. Reads sum the stripes (exact once writers are quiet).
/// </summary>
internal sealed class StripedCounter
{
    private const int LongsPerLine = 16; // 128 bytes: a cache line pair, against adjacent-line prefetch
    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _mask = stripes - 1;
        _cells = new long[(stripes + 1) * LongsPerLine];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment()
    {
        var stripe = (Thread.GetCurrentProcessorId() & _mask) + 1;
        Interlocked.Increment(ref _cells[stripe * LongsPerLine]);
    }

    public long Sum()
    {
        long sum = 0;
        for (var stripe = 1; stripe <= _mask + 1; stripe++)
        {
            sum += Volatile.Read(ref _cells[stripe * LongsPerLine]);
        }

        return sum;
    }
}
