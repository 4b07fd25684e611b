using System.Collections.Concurrent;

namespace Secretary.Internals.Recovery;

/// <summary>
/// Tells a store-wide outage from one failing secret, and ends an outage within seconds.
/// It keeps the set of entries failing transiently (so nothing scans the cache for them) and
/// when the store last answered. While any entry fails it ticks every probe interval (10 s by
/// default); when nothing has answered for a whole interval, the store is down: each tick then
/// makes one probe (a retry of one failing entry, regardless of its backoff). The first answer
/// after that (the probe's or any other) ends the outage, and every failing entry is refreshed
/// at once in batches — once: an entry that fails again backs off from its own failure count.
/// A secret that fails while the store answers others keeps its own backoff. The timer holds
/// the cache weakly.
/// </summary>
internal sealed class RecoveryMonitor : IDisposable
{
    private readonly ConcurrentDictionary<CacheEntry, byte> _failing = new(ReferenceEqualityComparer.Instance);
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly long _intervalTicks;
    private readonly WeakReference<SecretCache> _owner;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private bool _disposed;
    private long _lastAnswer;
    private long _lastFailure = long.MinValue / 2;
    private int _outage;
    private long _probes;
    private long _probeCursor; // touched by the timer's callback only
    private long _recoveries;

    public RecoveryMonitor(SecretCache owner, TimeProvider time, TimeSpan interval)
    {
        _owner = new WeakReference<SecretCache>(owner);
        _time = time;
        _interval = interval;
        _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
        _lastAnswer = time.GetTimestamp();
    }

    public int FailingCount => _failing.Count;

    public bool InOutage => Volatile.Read(ref _outage) == 1;

    public long Probes => Interlocked.Read(ref _probes);

    public long Recoveries => Interlocked.Read(ref _recoveries);

    /// <summary>The entries failing now (a copy).</summary>
    public CacheEntry[] Failing() => [.. _failing.Keys];

    /// <summary>The entry started failing (call under its gate).</summary>
    public void Add(CacheEntry entry)
    {
        _failing.TryAdd(entry, 0);
        if (_intervalTicks > 0)
        {
            EnsureTicking();
        }
    }

    /// <summary>The entry stopped failing or was removed (call under its gate).</summary>
    public void Remove(CacheEntry entry) => _failing.TryRemove(entry, out _);

    /// <summary>The store answered (a value, or a permanent error). True when this ends an outage: refresh the failing entries now.</summary>
    public bool Answered(long now)
    {
        Volatile.Write(ref _lastAnswer, now);
        if (Interlocked.Exchange(ref _outage, 0) == 1)
        {
            Interlocked.Increment(ref _recoveries);
            return true;
        }

        return false;
    }

    /// <summary>A store call failed transiently.</summary>
    public void Failed(long now)
    {
        Volatile.Write(ref _lastFailure, now);
        if (_intervalTicks > 0 && now - Volatile.Read(ref _lastAnswer) >= _intervalTicks)
        {
            Volatile.Write(ref _outage, 1);
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

    private void EnsureTicking()
    {
        lock (_gate)
        {
            if (_disposed || _timer is not null)
            {
                return;
            }

            var state = new TickState(new WeakReference<RecoveryMonitor>(this));
            _timer = _time.CreateTimer(static state => ((TickState)state!).Tick(), state, _interval, _interval);
            state.Timer = _timer;
        }
    }

    internal void Tick()
    {
        if (!_owner.TryGetTarget(out var cache) || _failing.IsEmpty)
        {
            lock (_gate)
            {
                // Stop until the next failure; re-checked under the gate so a failure that just arrived keeps the timer.
                if (_failing.IsEmpty || !_owner.TryGetTarget(out _))
                {
                    _timer?.Dispose();
                    _timer = null;
                }
            }

            return;
        }

        var now = _time.GetTimestamp();
        if (now - Volatile.Read(ref _lastAnswer) < _intervalTicks || Volatile.Read(ref _lastFailure) < Volatile.Read(ref _lastAnswer))
        {
            return; // the store answered within the interval: failures are the secrets' own; they keep their backoff
        }

        Volatile.Write(ref _outage, 1);
        var failing = Failing();
        for (var i = 0; i < failing.Length; i++)
        {
            // Round robin: each probe retries the next failing entry, so no one secret takes every probe.
            if (cache.Probe(failing[(int)((_probeCursor + i) % failing.Length)], now))
            {
                _probeCursor += i + 1;
                Interlocked.Increment(ref _probes);
                return;
            }
        }
    }

    /// <summary>What the timer holds: the monitor weakly, and the timer itself so a collected monitor's timer stops.</summary>
    private sealed class TickState(WeakReference<RecoveryMonitor> owner)
    {
        public ITimer? Timer { get; set; }

        public void Tick()
        {
            if (owner.TryGetTarget(out var monitor))
            {
                monitor.Tick();
            }
            else
            {
                Timer?.Dispose();
            }
        }
    }
}
