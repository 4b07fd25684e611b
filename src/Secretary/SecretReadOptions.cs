namespace Secretary;

/// <summary>Per-call read options. Unset properties fall back to the per-secret, then the cache's, settings.</summary>
public sealed class SecretReadOptions
{
    /// <summary>How long a value is fresh. <value>Default: the per-secret TTL, else <see cref="SecretCacheOptions.DefaultTtl"/> (300 s). Range: greater than zero.</value></summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>The staging label to read. <value>Default: AWSCURRENT, unless <see cref="VersionId"/> is set.</value></summary>
    public string? VersionStage { get; init; }

    /// <summary>A version id to read instead of a stage.</summary>
    public string? VersionId { get; init; }

    /// <summary>Fraction of the TTL after which a read starts a background refresh. <value>Default: <see cref="SecretCacheOptions.RefreshAhead"/>. Range: (0, 1].</value></summary>
    public double? RefreshAhead { get; init; }

    /// <summary>How old a value may be when served stale during a store failure. <value>Default: <see cref="SecretCacheOptions.MaxStale"/>.</value></summary>
    public TimeSpan? MaxStale { get; init; }
}
