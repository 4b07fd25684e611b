namespace Secretary.Internals;

/// <summary>
/// The per-key state. Readers only read <see cref="Value"/> (an immutable object swapped
/// atomically). Writers take <see cref="Gate"/>, which belongs to this key alone.
/// </summary>
internal sealed class CacheEntry(SecretRequest key, long ttl, long createdAt)
{
    public SecretRequest Key { get; } = key;

    public object Gate { get; } = new();

    /// <summary>The last good value; null before the first success or after a permanent error.</summary>
    public volatile CachedValue? Value;

    /// <summary>A remembered "not found".</summary>
    public volatile NegativeResult? Negative;

    /// <summary>The entry's TTL in timestamp units (per-secret or warm-up TTL, else the default).</summary>
    public long Ttl = ttl;

    /// <summary>Last read, for least-recently-used eviction; written only when it moved on by the touch interval.</summary>
    public long LastAccess = createdAt;

    // Guarded by Gate.
    public TaskCompletionSource<CachedValue>? Flight;
    public int ConsecutiveFailures;
    public long RetryAt;
    public SecretaryException? LastError;
    public bool RemoteTriggered;
    public long LastFetchStartedAt = long.MinValue / 2; // far past, without overflow in now - this
    public bool Removed;

    public bool HasFlight => Volatile.Read(ref Flight) is not null;
}
