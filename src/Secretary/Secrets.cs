namespace Secretary;

/// <summary>
/// The original specification's module-level functions over one global cache:
/// <c>Secrets.Get("surgicase/main")</c>, <c>Secrets.GetValue("surgicase/ses_keys", "ses_default_from_email")</c>,
/// <c>Secrets.Clear()</c>, <c>Secrets.GetStats()</c>, <c>Secrets.Warm(...)</c>.
/// The cache is built on first use from <c>SECRETARY_STORE</c> (e.g. <c>file:dev-secrets.json</c>, <c>aws</c>),
/// or set by the host at startup with <see cref="Use"/> (AddSecretary does that). <see cref="Use"/> always
/// wins: a default being built at the same moment is discarded.
/// </summary>
public static class Secrets
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<TimeSpan, SecretReadOptions> TtlOptions = [];
    private static ISecretCache? _cache;
    private static SecretParameterException? _configurationError;

    /// <summary>The global cache.</summary>
    /// <exception cref="SecretParameterException">None was set and <c>SECRETARY_STORE</c> is missing or cannot be used; the same error is remembered until <see cref="Use"/> or <see cref="Reset"/>.</exception>
    public static ISecretCache Cache => Volatile.Read(ref _cache) ?? CreateDefault();

    /// <summary>Makes <paramref name="cache"/> the global cache (the host's, so both share one cache).</summary>
    public static void Use(ISecretCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        lock (Gate)
        {
            _configurationError = null;
            Volatile.Write(ref _cache, cache);
        }
    }

    /// <summary>Forgets the global cache and any remembered configuration error; the next use builds one from the environment again.</summary>
    public static void Reset()
    {
        lock (Gate)
        {
            _configurationError = null;
            Volatile.Write(ref _cache, null);
        }
    }

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

    /// <summary>Reads one key of a JSON secret, or <paramref name="fallback"/> when it cannot be read (a misconfigured <c>SECRETARY_STORE</c> included).</summary>
    public static string? GetValueOrDefault(string name, string key, string? fallback = null)
    {
        var cache = TryCache();
        return cache is null ? fallback : cache.GetValueOrDefault(name, key, fallback);
    }

    /// <summary>Reads one key of a JSON secret, or <paramref name="fallback"/> when it cannot be read (a misconfigured <c>SECRETARY_STORE</c> included).</summary>
    public static ValueTask<string?> GetValueOrDefaultAsync(string name, string key, string? fallback = null, CancellationToken cancellationToken = default)
    {
        var cache = TryCache();
        return cache is null ? new ValueTask<string?>(fallback) : cache.GetValueOrDefaultAsync(name, key, fallback, cancellationToken: cancellationToken);
    }

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

    /// <summary>One options object per TTL, so a read with a per-call TTL allocates nothing after the first.</summary>
    private static SecretReadOptions? Options(TimeSpan? ttl)
    {
        if (ttl is not { } value)
        {
            return null;
        }

        lock (TtlOptions)
        {
            if (!TtlOptions.TryGetValue(value, out var options))
            {
                options = new SecretReadOptions { Ttl = value };
                if (TtlOptions.Count < 64)
                {
                    TtlOptions[value] = options;
                }
            }

            return options;
        }
    }

    private static ISecretCache? TryCache()
    {
        try
        {
            return Cache;
        }
        catch (SecretParameterException)
        {
            return null;
        }
    }

    private static ISecretCache CreateDefault()
    {
        lock (Gate)
        {
            if (_cache is { } existing)
            {
                return existing;
            }

            if (_configurationError is { } remembered)
            {
                throw (SecretParameterException)remembered.Copy();
            }

            var spec = Environment.GetEnvironmentVariable(SecretStores.EnvironmentVariable);
            try
            {
                if (string.IsNullOrWhiteSpace(spec))
                {
                    throw new SecretParameterException(
                        null, $"No global secret cache: set {SecretStores.EnvironmentVariable} (e.g. file:dev-secrets.json or aws), or call Secrets.Use(cache) at startup.", "ConfigurationError");
                }

                var cache = new SecretCache(SecretStores.Create(spec));
                Volatile.Write(ref _cache, cache);
                return cache;
            }
            catch (Exception ex) when (ex is SecretParameterException or ArgumentException or IOException or InvalidOperationException or SecretaryException or UnauthorizedAccessException)
            {
                _configurationError = ex as SecretParameterException ?? new SecretParameterException(
                    null,
                    $"{SecretStores.EnvironmentVariable}='{spec}' cannot be used: {Describe(ex)} Fix the variable, or call Secrets.Use(cache) at startup.",
                    "ConfigurationError");
                throw (SecretParameterException)_configurationError.Copy();
            }
        }
    }

    /// <summary>The problem in one sentence, without .NET's "(Parameter 'x')" suffix.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException notFound => $"the file '{notFound.FileName}' does not exist.",
        ArgumentException argument when argument.ParamName is not null => argument.Message.Replace($" (Parameter '{argument.ParamName}')", string.Empty, StringComparison.Ordinal),
        _ => ex.Message,
    };
}
