namespace Secretary;

/// <summary>
/// The original specification's module-level functions over one global cache:
/// <c>Secrets.Get("surgicase/main")</c>, <c>Secrets.GetValue("surgicase/ses_keys", "ses_default_from_email")</c>,
/// <c>Secrets.Clear()</c>, <c>Secrets.GetStats()</c>, <c>Secrets.Warm(...)</c>.
/// The cache is built on first use from <c>SECRETARY_STORE</c> (e.g. <c>file:dev-secrets.json</c>, <c>aws</c>),
/// or set by the host at startup with <see cref="Use"/> (AddSecretary does that).
/// </summary>
public static class Secrets
{
    private static readonly Lock Gate = new();
    private static ISecretCache? _cache;

    /// <summary>The global cache.</summary>
    /// <exception cref="InvalidOperationException">None was set and <c>SECRETARY_STORE</c> is not set.</exception>
    public static ISecretCache Cache => Volatile.Read(ref _cache) ?? CreateDefault();

    /// <summary>Makes <paramref name="cache"/> the global cache (the host's, so both share one cache).</summary>
    public static void Use(ISecretCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        Volatile.Write(ref _cache, cache);
    }

    /// <summary>Forgets the global cache; the next use builds one from the environment again.</summary>
    public static void Reset() => Volatile.Write(ref _cache, null);

    /// <summary>Reads a secret; <paramref name="ttl"/> overrides the TTL for this call (the specification's <c>cache_ttl</c>).</summary>
    public static Secret Get(string name, TimeSpan? ttl = null) => Cache.Get(name, Options(ttl));

    /// <summary>Reads a secret.</summary>
    public static ValueTask<Secret> GetAsync(string name, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        Cache.GetAsync(name, Options(ttl), cancellationToken);

    /// <summary>Reads one key of a JSON secret.</summary>
    public static string GetValue(string name, string key, TimeSpan? ttl = null) => Cache.GetValue(name, key, Options(ttl));

    /// <summary>Reads one key of a JSON secret.</summary>
    public static ValueTask<string> GetValueAsync(string name, string key, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        Cache.GetValueAsync(name, key, Options(ttl), cancellationToken);

    /// <summary>Reads one key of a JSON secret, or <paramref name="fallback"/> when it cannot be read.</summary>
    public static string? GetValueOrDefault(string name, string key, string? fallback = null) => Cache.GetValueOrDefault(name, key, fallback);

    /// <summary>Reads one key of a JSON secret, or <paramref name="fallback"/> when it cannot be read.</summary>
    public static ValueTask<string?> GetValueOrDefaultAsync(string name, string key, string? fallback = null, CancellationToken cancellationToken = default) =>
        Cache.GetValueOrDefaultAsync(name, key, fallback, cancellationToken: cancellationToken);

    /// <summary>Forgets one secret, or everything when <paramref name="name"/> is null.</summary>
    public static void Clear(string? name = null)
    {
        if (name is null)
        {
            Cache.Clear();
        }
        else
        {
            Cache.Clear(name);
        }
    }

    /// <summary>The stats document.</summary>
    public static SecretCacheStats GetStats() => Cache.GetStats();

    /// <summary>Loads many secrets in batches.</summary>
    public static SecretWarmReport Warm(IEnumerable<string> names, IReadOnlyDictionary<string, TimeSpan>? ttls = null) => Cache.Warm(names, ttls);

    /// <summary>Loads many secrets in batches.</summary>
    public static Task<SecretWarmReport> WarmAsync(IEnumerable<string> names, IReadOnlyDictionary<string, TimeSpan>? ttls = null, CancellationToken cancellationToken = default) =>
        Cache.WarmAsync(names, ttls, cancellationToken);

    private static SecretReadOptions? Options(TimeSpan? ttl) => ttl is null ? null : new SecretReadOptions { Ttl = ttl };

    private static ISecretCache CreateDefault()
    {
        lock (Gate)
        {
            if (_cache is { } existing)
            {
                return existing;
            }

            var spec = Environment.GetEnvironmentVariable(SecretStores.EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(spec))
            {
                throw new InvalidOperationException(
                    $"No global secret cache: set {SecretStores.EnvironmentVariable} (e.g. file:dev-secrets.json or aws), or call Secrets.Use(cache) at startup.");
            }

            var cache = new SecretCache(SecretStores.Create(spec));
            Volatile.Write(ref _cache, cache);
            return cache;
        }
    }
}
