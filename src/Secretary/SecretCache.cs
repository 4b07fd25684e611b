using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Secretary.Internals;
using Secretary.Internals.DueTimes;
using Secretary.Internals.Eviction;
using Secretary.Internals.Recovery;

namespace Secretary;

/// <summary>
/// The secret cache. A hit is a lock-free dictionary lookup of an immutable value: no lock, no
/// allocation, no await. Misses of one key share one store call (single flight); misses of
/// different keys never wait on each other. Ahead of the TTL (by a lead derived from the store's
/// latency, or at <see cref="SecretCacheOptions.RefreshAhead"/>) the first reader starts one
/// background refresh and still gets the current value. When the store fails transiently the
/// last good value is served, flagged stale, up to <see cref="SecretCacheOptions.MaxStale"/>, and
/// the store is retried with per-secret exponential backoff; a store-wide outage is probed and
/// ended within seconds. Permanent errors surface as typed exceptions.
/// </summary>
/// <remarks>
/// The class is split by concern: reads (<c>SecretCache.Reads.cs</c>), flights — one store call
/// shared by a key's readers, and how it ends (<c>SecretCache.Flights.cs</c>), warm-up and batched
/// refreshes (<c>SecretCache.Warm.cs</c>), entries — creation, removal and eviction
/// (<c>SecretCache.Entries.cs</c>), remote changes (<c>SecretCache.Remote.cs</c>), and stats
/// (<c>SecretCache.Stats.cs</c>).
/// </remarks>
public sealed partial class SecretCache : ISecretCache, IDisposable
{
    private readonly ISecretStore _store;
    private readonly SecretCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SecretCacheMetrics _metrics;
    private readonly EntryTable _table = new();
    private readonly SecretIndex _index = new();
    private readonly ValueLedger _ledger = new();
    private readonly EvictionPolicy _eviction;
    private readonly DueQueue _due;
    private readonly RecoveryMonitor _recovery;
    private readonly LatencyWindow _latency = new();
    private readonly StripedCounter _hits = new();
    private readonly StripedCounter _misses = new();
    private readonly StripedCounter _stale = new();
    private readonly long _defaultTtl;
    private readonly long _maxStale;
    private readonly long _notFoundTtl;
    private readonly long _minRefreshInterval;
    private readonly long _minRefreshLead;
    private readonly TimeSpan _maxRemoteSkew;
    private readonly Func<CacheEntry, EntryClass, EvictionOutcome> _evict;
    private long _backendCalls;
    private long _backendErrors;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StoreCallCounts> _storeCalls = new(StringComparer.Ordinal);
    private long _remoteDropped;
    private int _flightCount;
    private readonly Lock _idleGate = new();
    private TaskCompletionSource? _idle;
    private long _generation;
    private int _disposed;

    /// <summary>Builds a cache over <paramref name="store"/>.</summary>
    /// <param name="store">Where secrets come from.</param>
    /// <param name="options">Settings; copied, so later changes have no effect. Validated: every problem is reported in one <see cref="ArgumentException"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where to log; nowhere when null.</param>
    /// <param name="meterFactory">Creates the <c>Secretary</c> meter; a private meter when null.</param>
    public SecretCache(
        ISecretStore store,
        SecretCacheOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<SecretCache>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options = (options ?? new SecretCacheOptions()).Duplicate();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid SecretCacheOptions: " + string.Join(" ", problems), nameof(options));
        }

        _store = store;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _defaultTtl = ToTimestamp(options.DefaultTtl);
        _maxStale = ToTimestamp(options.MaxStale);
        _notFoundTtl = ToTimestamp(options.NotFoundTtl);
        _minRefreshInterval = ToTimestamp(options.MinRefreshInterval);
        _minRefreshLead = ToTimestamp(SecretCacheDefaults.MinRefreshLead);
        _maxRemoteSkew = SecretCacheDefaults.MaxRemoteClockSkew;
        _eviction = new EvictionPolicy(options.MaxEntries, options.MaxNegativeEntries);
        _due = new DueQueue(_time);
        _recovery = new RecoveryMonitor(this, _time, options.RecoveryProbeInterval);
        _evict = (entry, ring) => Remove(entry, evicting: true, ring);
        _metrics = new SecretCacheMetrics(options.Name, meterFactory, this);
    }

    /// <inheritdoc />
    public event EventHandler<SecretVersionChangedEventArgs>? VersionChanged;

    /// <summary>The fleet backplane attached to this cache, if any; its state shows in <see cref="GetStats"/>.</summary>
    public ISecretBackplane? Backplane { get; set; }

    /// <summary>The store behind this cache.</summary>
    public ISecretStore Store => _store;

    /// <summary>The cache's settings (a copy; changing it has no effect).</summary>
    public SecretCacheOptions Options => _options.Duplicate();

    /// <summary>
    /// Stops the cache's timers, forgets every value and releases its private meter. Every API
    /// then throws <see cref="ObjectDisposedException"/>; fetches still under way complete for
    /// their waiters but store nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _due.Dispose();
        _recovery.Dispose();
        RemoveAll();
        _metrics.Dispose();
    }

    internal bool IsDisposedForMetrics => IsDisposed;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    private long ToTimestamp(TimeSpan span)
    {
        var ticks = span.TotalSeconds * _time.TimestampFrequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }

    private TimeSpan ToTimeSpan(long timestampDelta) =>
        TimeSpan.FromSeconds(Math.Max(0, timestampDelta) / (double)_time.TimestampFrequency);
}
