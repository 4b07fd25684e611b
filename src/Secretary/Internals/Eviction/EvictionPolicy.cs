namespace Secretary.Internals.Eviction;

/// <summary>
/// The cache's two budgets: entries holding a value (<see cref="SecretCacheOptions.MaxEntries"/>)
/// and entries remembering an error or a failed first read
/// (<see cref="SecretCacheOptions.MaxNegativeEntries"/>), each a <see cref="ClockRing"/>, so a
/// flood of unknown ids can only ever displace other unknown ids, never a value.
/// </summary>
internal sealed class EvictionPolicy(int maxEntries, int maxNegativeEntries)
{
    private readonly ClockRing _valued = new(EntryClass.Valued, maxEntries);
    private readonly ClockRing _valueless = new(EntryClass.Valueless, maxNegativeEntries);
    private long _evictions;

    public int ValuedCount => _valued.Count;

    public int ValuelessCount => _valueless.Count;

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Moves <paramref name="entry"/> into the ring of <paramref name="target"/> (call under the entry's gate).</summary>
    public void MoveTo(CacheEntry entry, EntryClass target)
    {
        if (entry.Class == target)
        {
            return;
        }

        RingOf(entry.Class)?.Left();
        entry.Class = target;
        var epoch = Interlocked.Increment(ref entry.RingEpoch);
        RingOf(target)?.Add(entry, epoch);
    }

    /// <summary>The entry is being removed (call under the entry's gate).</summary>
    public void Leave(CacheEntry entry) => RingOf(entry.Class)?.Left();

    /// <summary>Brings both rings within budget; O(1) amortised; returns immediately when another thread is at it.</summary>
    public void Sweep(Func<CacheEntry, EntryClass, EvictionOutcome> evict)
    {
        var evicted = _valueless.Sweep(evict) + _valued.Sweep(evict);
        if (evicted > 0)
        {
            Interlocked.Add(ref _evictions, evicted);
        }
    }

    private ClockRing? RingOf(EntryClass entryClass) => entryClass switch
    {
        EntryClass.Valued => _valued,
        EntryClass.Valueless => _valueless,
        _ => null,
    };
}
