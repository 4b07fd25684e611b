namespace Secretary.Internals;

/// <summary>An immutable cached value with its timestamps (in <see cref="TimeProvider"/> timestamp units).</summary>
internal sealed class CachedValue(Secret secret, long fetchedAt, long refreshAt, long expiresAt)
{
    public Secret Secret { get; } = secret;

    public long FetchedAt { get; } = fetchedAt;

    /// <summary>When a read starts a background refresh, for the entry's own TTL.</summary>
    public long RefreshAt { get; } = refreshAt;

    /// <summary>When the value is past the entry's own TTL.</summary>
    public long ExpiresAt { get; } = expiresAt;
}
