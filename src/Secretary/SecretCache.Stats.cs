namespace Secretary;

public sealed partial class SecretCache
{
    internal long HitCount => _hits.Sum();

    internal long MissCount => _misses.Sum();

    internal long StaleCount => _stale.Sum();

    internal long EntryCount => _eviction.ValuedCount;

    internal long NegativeEntryCount => _eviction.ValuelessCount;

    internal long FlightCount => Volatile.Read(ref _flightCount);

    internal long EvictionCount => _eviction.Evictions;

    internal long RemoteDroppedCount => Interlocked.Read(ref _remoteDropped);

    internal long ProbeCount => _recovery.Probes;

    internal int DueQueueLength => _due.Count;

    internal int TableWalks => _table.Walks;

    /// <summary>Completes when no store call is under way (for tests and orderly shutdown; not on any read path).</summary>
    internal Task WhenIdleAsync()
    {
        lock (_idleGate)
        {
            return Volatile.Read(ref _flightCount) == 0
                ? Task.CompletedTask
                : (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private void SignalIdle()
    {
        lock (_idleGate)
        {
            if (Volatile.Read(ref _flightCount) == 0 && _idle is { } idle)
            {
                _idle = null;
                idle.TrySetResult();
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>O(failing entries): the counts and ages come from the value ledger, not a walk of the cache.</remarks>
    public SecretCacheStats GetStats()
    {
        ThrowIfDisposed();
        var now = _time.GetTimestamp();
        var ledger = _ledger.Read();
        var entries = ledger.Count;
        var staleEntries = 0;
        foreach (var entry in _recovery.Failing())
        {
            if (entry.Value is { } value && now >= value.FetchedAt + Volatile.Read(ref entry.Ttl))
            {
                staleEntries++;
            }
        }

        var average = entries == 0 ? 0 : Math.Max(0, (now - ledger.MeanFetchedAt) / _time.TimestampFrequency);
        long hits = _hits.Sum(), misses = _misses.Sum();
        return new SecretCacheStats
        {
            CachedSecretsCount = ledger.DistinctNames,
            TotalCacheEntries = entries,
            OldestCacheAgeSeconds = entries == 0 ? 0 : Math.Round(ToTimeSpan(now - ledger.OldestFetchedAt).TotalSeconds, 2),
            NewestCacheAgeSeconds = entries == 0 ? 0 : Math.Round(ToTimeSpan(now - ledger.NewestFetchedAt).TotalSeconds, 2),
            Region = _store.Region ?? "local",
            CacheEfficiency = new SecretCacheEfficiency
            {
                AvgCacheAgeSeconds = Math.Round(average, 2),
                CacheUtilizationPercent = Math.Round(entries * 100.0 / _options.MaxEntries, 2),
                CacheStatus = SecretCacheStats.StatusFor(entries, average),
            },
            Hits = hits,
            Misses = misses,
            HitRatio = hits + misses == 0 ? 0 : Math.Round((double)hits / (hits + misses), 5),
            StaleServed = _stale.Sum(),
            BackendCalls = Interlocked.Read(ref _backendCalls),
            BackendErrors = Interlocked.Read(ref _backendErrors),
            RefreshesInFlight = Volatile.Read(ref _flightCount),
            MaxEntries = _options.MaxEntries,
            StaleEntries = staleEntries,
            NegativeEntries = _eviction.ValuelessCount,
            Evictions = _eviction.Evictions,
            RemoteChangesDropped = Interlocked.Read(ref _remoteDropped),
            StoreOutage = _recovery.InOutage,
            Backplane = Backplane?.State,
        };
    }

    /// <summary>
    /// The ids of the secrets cached at their current stage, as they were asked for (names or ARNs). O(n) —
    /// for a fleet backplane's re-read after a reconnect or an operator's tool, not for a request path.
    /// </summary>
    public IReadOnlyList<string> GetCachedSecretIds()
    {
        ThrowIfDisposed();
        return _ledger.CurrentIds();
    }

    /// <summary>The age of the oldest cached value, for the metrics gauge (O(1)).</summary>
    internal double OldestAgeSeconds() =>
        _ledger.OldestFetchedAt() is { } oldest ? ToTimeSpan(_time.GetTimestamp() - oldest).TotalSeconds : 0;
}
