namespace Secretary;

/// <summary>
/// A cache of secrets in front of an <see cref="ISecretStore"/>. Reads after the first are
/// served from memory without a lock or an allocation; the store sees one call per secret per
/// refresh whatever the concurrency; failures of the store are absorbed by stale values.
/// Convenience forms (string, JSON key, binding, fallbacks, synchronous) are extension methods
/// in <see cref="SecretCacheExtensions"/>.
/// </summary>
public interface ISecretCache
{
    /// <summary>Raised after a refresh stored a version different from the one cached before.</summary>
    event EventHandler<SecretVersionChangedEventArgs>? VersionChanged;

    /// <summary>Reads a secret, from memory when it is fresh.</summary>
    /// <exception cref="ArgumentException">The id or options are malformed.</exception>
    /// <exception cref="SecretaryException">The secret cannot be read and no usable value is cached.</exception>
    ValueTask<Secret> GetAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="GetAsync"/>, but answers null instead of throwing when the secret cannot be read
    /// (any <see cref="SecretaryException"/>). A remembered "not found" answers without allocating.
    /// </summary>
    /// <exception cref="ArgumentException">The id or options are malformed.</exception>
    async ValueTask<Secret?> TryGetAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(secretId, options, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretaryException)
        {
            return null;
        }
    }

    /// <summary>Like <see cref="GetAsync"/>, and says whether the value was served stale and how old it is.</summary>
    ValueTask<SecretLookup> LookupAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the secret from the store now, bypassing the cache, unless it was refreshed less than
    /// <see cref="SecretCacheOptions.MinRefreshInterval"/> ago (then the cached value is returned).
    /// On failure the error is thrown and the cached value is kept (for transient errors).
    /// </summary>
    Task<Secret> RefreshAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads many secrets through the store's batch operation and caches them, with optional per-secret TTLs.</summary>
    Task<SecretWarmReport> WarmAsync(
        IEnumerable<string> secretIds,
        IReadOnlyDictionary<string, TimeSpan>? ttls = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Another instance saw a change of <paramref name="secretId"/> (a fleet backplane message, or a
    /// rotation hook): refreshes the cached entries of that secret and stage in the background
    /// (single flight; readers keep the current value meanwhile). Ignored, with no store call, when
    /// nothing is cached, when <paramref name="versionId"/> is already cached (a duplicate), or when
    /// the cached value was read after <paramref name="observedAt"/> (a stale message).
    /// </summary>
    /// <returns>True when a refresh was started.</returns>
    bool HandleRemoteChange(string secretId, string? versionStage, string? versionId, DateTimeOffset observedAt);

    /// <summary>Forgets every cached stage and version of one secret. A fetch in flight does not put the old value back.</summary>
    void Clear(string secretId);

    /// <summary>Forgets everything. Fetches in flight do not put old values back.</summary>
    void Clear();

    /// <summary>A snapshot of the cache's state and counters.</summary>
    SecretCacheStats GetStats();
}
