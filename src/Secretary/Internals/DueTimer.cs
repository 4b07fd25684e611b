namespace Secretary.Internals;

/// <summary>
/// One timer per cache that marks values <see cref="CachedValue.Due"/> when their refresh time
/// passes and keeps a coarse clock for least-recently-used bookkeeping. It fires at the earliest
/// refresh time, and at least every <see cref="MaxInterval"/> while the cache holds values, so
/// the hit path reads no clock. It holds the cache weakly: a cache nobody disposed can still be
/// collected.
/// </summary>
internal sealed class DueTimer : IDisposable
{
    private static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(5);

    private readonly TimeProvider _time;
    private readonly WeakReference<SecretCache> _owner;
    private readonly Lock _gate = new();
    private readonly long _maxInterval;
    private readonly long _minInterval;
    private ITimer? _timer;
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public DueTimer(SecretCache owner, TimeProvider time)
    {
        _time = time;
        _owner = new WeakReference<SecretCache>(owner);
        _maxInterval = (long)(MaxInterval.TotalSeconds * time.TimestampFrequency);
        _minInterval = (long)(MinInterval.TotalSeconds * time.TimestampFrequency);
        CoarseNow = time.GetTimestamp();
    }

    /// <summary>A timestamp at most <see cref="MaxInterval"/> old (newer when the cache is busy).</summary>
    public long CoarseNow;

    /// <summary>Makes sure the timer fires by <paramref name="dueAt"/>.</summary>
    public void Schedule(long dueAt, long now)
    {
        lock (_gate)
        {
            if (_disposed || dueAt >= _armedFor)
            {
                return;
            }

            Arm(dueAt, now);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Arm(long dueAt, long now)
    {
        _armedFor = dueAt;
        var delay = TimeSpan.FromSeconds(Math.Max(dueAt - now, _minInterval) / (double)_time.TimestampFrequency);
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static state => ((DueTimer)state!).Fire(), this, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        if (!_owner.TryGetTarget(out var cache))
        {
            Dispose();
            return;
        }

        lock (_gate)
        {
            _armedFor = long.MaxValue; // values stored during the scan re-arm as usual
        }

        var now = _time.GetTimestamp();
        Volatile.Write(ref CoarseNow, now);
        var next = cache.MarkDue(now, now + _maxInterval);

        lock (_gate)
        {
            if (!_disposed && next != long.MaxValue && next < _armedFor)
            {
                Arm(next, now);
            }
        }
    }
}
