using System.Diagnostics;
using Secretary.Bench;

namespace Secretary.Scenarios;

/// <summary>
/// Dedicated threads reading in a tight loop, each read timed with <see cref="Stopwatch"/>
/// (the timing itself adds about 20-40 ns). A warm-up period runs first, unmeasured, so the
/// JIT has settled; then every read is recorded for the measured period.
/// </summary>
internal sealed class ReaderThreads
{
    private readonly List<Thread> _threads = [];
    private readonly List<LatencyHistogram> _histograms = [];
    private readonly List<long> _failures = [];
    private volatile int _phase; // 0 warm-up, 1 measuring, 2 stop
    private long _measureStarted;

    public ReaderThreads(int count, ICacheContender contender, Func<Random, string> pick)
    {
        for (var i = 0; i < count; i++)
        {
            var histogram = new LatencyHistogram();
            var index = i;
            _histograms.Add(histogram);
            _failures.Add(0);
            _threads.Add(new Thread(() => Read(histogram, index, contender, pick)) { IsBackground = true, Name = $"reader {i}" });
        }
    }

    public long Failures => _failures.Sum();

    public void Start()
    {
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>From <see cref="Measure"/> to the last reader's end: the reads recorded fall in it.</summary>
    public TimeSpan Measured { get; private set; }

    public void Measure()
    {
        _measureStarted = Stopwatch.GetTimestamp();
        _phase = 1;
    }

    public LatencyHistogram Stop()
    {
        _phase = 2;
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        Measured = Stopwatch.GetElapsedTime(_measureStarted);
        var merged = new LatencyHistogram();
        foreach (var histogram in _histograms)
        {
            merged.Merge(histogram);
        }

        return merged;
    }

    private void Read(LatencyHistogram histogram, int index, ICacheContender contender, Func<Random, string> pick)
    {
        var random = new Random(index + 1);
        long failures = 0;
        int phase;
        while ((phase = _phase) < 2)
        {
            var id = pick(random);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var pending = contender.ReadAsync(id);
                if (!pending.IsCompletedSuccessfully)
                {
                    pending.AsTask().GetAwaiter().GetResult();
                }
            }
            catch (SecretaryException)
            {
                failures++;
            }

            var ended = Stopwatch.GetTimestamp();
            if (phase == 1)
            {
                histogram.RecordTicks(ended - started);
            }
        }

        lock (_failures)
        {
            _failures[index] = failures;
        }
    }
}
