namespace Secretary.Internals.DueTimes;

/// <summary>
/// Marks values <see cref="CachedValue.Due"/> when their refresh time passes, so the hit path
/// reads no clock. A min-heap of refresh times under a short lock and one timer armed for the
/// earliest: each firing costs O(k log n) for the k values that became due, never a scan of
/// the cache. The timer's delay is capped at <see cref="MaxDelay"/> (it re-arms), so any TTL up
/// to 365 days works although .NET timers take at most about 49.7 days. Values replaced before
/// they fall due stay in the heap until then; <see cref="NeedsCompaction"/> tells the cache
/// when to rebuild it from the live values. The timer holds this queue weakly: a cache nobody
/// disposed can still be collected.
/// </summary>
internal sealed class DueQueue : IDisposable
{
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(1);

    private readonly PriorityQueue<CachedValue, long> _heap = new();
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _maxDelay;
    private readonly long _minDelay;
    private ITimer? _timer;
    private long _armedFor = long.MaxValue;
    private bool _disposed;

    public DueQueue(TimeProvider time)
    {
        _time = time;
        _maxDelay = (long)(MaxDelay.TotalSeconds * time.TimestampFrequency);
        _minDelay = Math.Max(1, (long)(MinDelay.TotalSeconds * time.TimestampFrequency));
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _heap.Count;
            }
        }
    }

    /// <summary>True when replaced values make up most of the heap.</summary>
    public bool NeedsCompaction(int liveValues)
    {
        lock (_gate)
        {
            return _heap.Count > (2 * liveValues) + 1024;
        }
    }

    /// <summary>Marks <paramref name="value"/> due at its refresh time.</summary>
    public void Schedule(CachedValue value, long now)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _heap.Enqueue(value, value.RefreshAt);
            if (value.RefreshAt < _armedFor)
            {
                Arm(value.RefreshAt, now);
            }
        }
    }

    /// <summary>Rebuilds the heap from the values still cached (O(n), amortised over the n schedules that made it necessary).</summary>
    public void Compact(IReadOnlyList<CachedValue> live, long now)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _heap.Clear();
            foreach (var value in live)
            {
                if (!value.Due)
                {
                    _heap.Enqueue(value, value.RefreshAt);
                }
            }

            _armedFor = long.MaxValue;
            if (_heap.TryPeek(out _, out var next))
            {
                Arm(next, now);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            _heap.Clear();
        }
    }

    private void Arm(long dueAt, long now)
    {
        _armedFor = dueAt;
        var delay = TimeSpan.FromSeconds(Math.Clamp(dueAt - now, _minDelay, _maxDelay) / (double)_time.TimestampFrequency);
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static state => Fire((WeakReference<DueQueue>)state!), new WeakReference<DueQueue>(this), delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private static void Fire(WeakReference<DueQueue> owner)
    {
        if (owner.TryGetTarget(out var queue))
        {
            queue.Fire();
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetTimestamp();
            while (_heap.TryPeek(out var value, out var dueAt) && dueAt <= now)
            {
                _heap.Dequeue();
                value.Due = true;
            }

            _armedFor = long.MaxValue;
            if (_heap.TryPeek(out _, out var next))
            {
                Arm(next, now);
            }
        }
    }
}
