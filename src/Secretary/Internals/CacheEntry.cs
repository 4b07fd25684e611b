namespace Secretary.Internals;

/// <summary>
/// The per-key state. Readers only read <see cref="Value"/> (an immutable object swapped
/// atomically) and set <see cref="Referenced"/>. Writers take <see cref="Gate"/>, which belongs
/// to this key alone; the cache's shared structures (ledger, index, rings, due queue) are
/// updated under it so a removal can never race an insertion.
/// </summary>
internal sealed class CacheEntry(SecretRequest key, long ttl)
{
    public SecretRequest Key { get; } = key;

    public Lock Gate { get; } = new();

    /// <summary>The last good value; null before the first success or after a permanent error.</summary>
    public volatile CachedValue? Value;

    /// <summary>A remembered permanent error ("not found", "access denied").</summary>
    public volatile NegativeResult? Negative;

    /// <summary>The entry's TTL in timestamp units (per-secret or warm-up TTL, else the default).</summary>
    public long Ttl = ttl;

    /// <summary>The eviction hand's reference bit: set by reads (only when clear, so hot readers do not write), cleared by the hand.</summary>
    public volatile bool Referenced;

    /// <summary>True once removed (Clear, eviction, Dispose); a removed entry never takes a value again.</summary>
    public volatile bool Removed;

    // Guarded by Gate.
    public Flight? Flight;
    public int ConsecutiveFailures;
    public long RetryAt;
    public SecretaryException? LastError;
    /// <summary>When the last single-key fetch started (not warm-up batches): explicit refreshes are rate-limited against it.</summary>
    public long LastFetchStartedAt = long.MinValue / 2; // far past, without overflow in now - this
    public long LastRemoteRefreshAt = long.MinValue / 2;
    public bool RemotePending;

    /// <summary>Which eviction ring holds the entry, and the epoch of its node there (guarded by Gate).</summary>
    public EntryClass Class;
    public int RingEpoch;

    /// <summary>The ids the index knows the entry by: the requested id, then the secret's name and ARN (guarded by Gate).</summary>
    public string[] Aliases = [];

    // The value ledger's links and figures, guarded by the ledger's lock.
    public CacheEntry? LedgerPrevious;
    public CacheEntry? LedgerNext;
    public bool InLedger;
    public long LedgerFetchedAt;
    public string? LedgerName;

    public bool HasFlight => Volatile.Read(ref Flight) is not null;
}
