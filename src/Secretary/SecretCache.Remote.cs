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

            var readAt = wallNow - ToTimeSpan(now - value.FetchedAt);
            if ((versionId is not null && value.Secret.VersionId == versionId) || observedAt <= readAt)
            {
                continue; // a duplicate, or older than what we hold
            }

            started |= StartRemoteRefresh(entry, now);
        }

        return started;
    }

    /// <summary>
    /// At most one remote-triggered refresh per key per <see cref="SecretCacheOptions.MinRefreshInterval"/>.
    /// Messages inside the interval (or while a fetch that may predate the change runs) are folded into
    /// one trailing refresh at the end of it, so a flood costs one call per interval and no change is lost.
    /// </summary>
    private bool StartRemoteRefresh(CacheEntry entry, long now)
    {
        long wait;
        lock (entry.Gate)
        {
            if (entry.Removed)
            {
                return false;
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
            _ = TrailingRemoteRefreshAsync(entry, ToTimeSpan(Math.Max(wait, 1)));
            return false;
        }

        return StartFlight(entry, now, FlightMode.Remote) is not null;
    }

    private async Task TrailingRemoteRefreshAsync(CacheEntry entry, TimeSpan delay)
    {
        await Task.Delay(delay, _time).ConfigureAwait(false);
        var now = _time.GetTimestamp();
        lock (entry.Gate)
        {
            entry.RemotePending = false;
            if (entry.Removed || IsDisposed)
            {
                return;
            }

            entry.LastRemoteRefreshAt = now;
        }

        _ = StartFlight(entry, now, FlightMode.Remote);
    }
}
