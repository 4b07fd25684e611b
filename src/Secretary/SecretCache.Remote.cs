using Secretary.Internals;

namespace Secretary;

public sealed partial class SecretCache
{
    /// <inheritdoc />
    public bool HandleRemoteChange(string secretId, string? versionStage, string? versionId, DateTimeOffset observedAt)
    {
        SecretIds.Validate(secretId);
        ThrowIfDisposed();
        var wallNow = _time.GetUtcNow();
        if (observedAt > wallNow + _maxRemoteSkew)
        {
            // A message from the future: a broken clock or a forged message; believing it would make every later one look stale.
            Interlocked.Increment(ref _remoteDropped);
            return false;
        }

        var stage = versionStage ?? SecretRequest.CurrentStage;
        var now = _time.GetTimestamp();
        var started = false;
        foreach (var entry in _index.Find(secretId))
        {
            var value = entry.Value;
            if (value is null || entry.Key.VersionId is not null || entry.Key.VersionStage != stage)
            {
                continue;
            }

            // Older than the question, not the answer: a change made while the store was being asked may be missing from it.
            var askedAt = wallNow - ToTimeSpan(now - value.AskedAt);
            if ((versionId is not null && value.Secret.VersionId == versionId) || observedAt <= askedAt)
            {
                continue; // a duplicate, or older than what we hold
            }

            started |= StartRemoteRefresh(entry, now, observedAt, wallNow);
        }

        return started;
    }

    /// <summary>
    /// At most one remote-triggered refresh per key per <see cref="SecretCacheOptions.MinRefreshInterval"/>.
    /// Messages inside the interval (or while a fetch that may predate the change runs) are folded into
    /// one trailing refresh at the end of it, so a flood costs one call per interval and no change is lost.
    /// </summary>
    private bool StartRemoteRefresh(CacheEntry entry, long now, DateTimeOffset observedAt, DateTimeOffset wallNow)
    {
        long wait;
        lock (entry.Gate)
        {
            if (entry.Removed)
            {
                return false;
            }

            if (entry.Flight is { } running && wallNow - ToTimeSpan(now - running.StartedAt) >= observedAt)
            {
                return false; // the fetch under way started after the change: it will see it
            }

            wait = entry.Flight is not null
                ? _minRefreshInterval
                : entry.LastRemoteRefreshAt + _minRefreshInterval - now;
            if (wait <= 0)
            {
                entry.LastRemoteRefreshAt = now;
            }
            else
            {
                Interlocked.Increment(ref _remoteDropped);
                if (entry.RemotePending)
                {
                    return false;
                }

                entry.RemotePending = true;
            }
        }

        if (wait > 0)
        {
            TrailingRefresh.Start(this, entry, ToTimeSpan(Math.Max(wait, 1)));
            return false;
        }

        return StartFlight(entry, now, FlightMode.Remote) is not null;
    }

    /// <summary>The refresh at the end of a rate-limit interval, on the cache's clock (a one-shot timer, disposed when it fires).</summary>
    private sealed class TrailingRefresh
    {
        private readonly SecretCache _cache;
        private readonly CacheEntry _entry;
        private readonly Lock _gate = new();
        private ITimer? _timer;

        private TrailingRefresh(SecretCache cache, CacheEntry entry)
        {
            _cache = cache;
            _entry = entry;
        }

        public static void Start(SecretCache cache, CacheEntry entry, TimeSpan delay)
        {
            var trailing = new TrailingRefresh(cache, entry);
            lock (trailing._gate)
            {
                trailing._timer = cache._time.CreateTimer(static state => ((TrailingRefresh)state!).Fire(), trailing, delay, Timeout.InfiniteTimeSpan);
            }
        }

        private void Fire()
        {
            lock (_gate)
            {
                _timer?.Dispose();
            }

            var now = _cache._time.GetTimestamp();
            lock (_entry.Gate)
            {
                _entry.RemotePending = false;
                if (_entry.Removed || _cache.IsDisposed)
                {
                    return;
                }

                _entry.LastRemoteRefreshAt = now;
            }

            _ = _cache.StartFlight(_entry, now, FlightMode.Remote);
        }
    }
}
