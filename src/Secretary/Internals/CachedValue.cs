namespace Secretary.Internals;

/// <summary>
/// A cached value with its timestamps (in <see cref="TimeProvider"/> timestamp units). Immutable
/// but for <see cref="Due"/>, which the due queue sets once <see cref="RefreshAt"/> has passed,
/// so the hit path needs no clock read: a hit is "entry found and not due".
/// </summary>
internal sealed class CachedValue(Secret secret, long askedAt, long fetchedAt, long refreshAt)
{
    public Secret Secret { get; } = secret;

    /// <summary>When the store was asked: a change made after it may be missing from the answer, however late it came.</summary>
    public long AskedAt { get; } = askedAt;

    public long FetchedAt { get; } = fetchedAt;

    /// <summary>When a read starts a background refresh, for the entry's own TTL.</summary>
    public long RefreshAt { get; } = refreshAt;

    /// <summary>True once <see cref="RefreshAt"/> has passed: reads then take the checked path.</summary>
    public volatile bool Due;
}
