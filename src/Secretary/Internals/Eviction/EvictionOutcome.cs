namespace Secretary.Internals.Eviction;

/// <summary>What an attempt to evict an entry found.</summary>
internal enum EvictionOutcome
{
    /// <summary>Removed.</summary>
    Evicted,

    /// <summary>A fetch started meanwhile: try another.</summary>
    Busy,

    /// <summary>Removed or moved to the other ring by someone else.</summary>
    Gone,
}
