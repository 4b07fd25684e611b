using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Secretary;

/// <summary>
/// The convenience forms of <see cref="ISecretCache"/>: a string, one JSON key, a typed binding,
/// forms that fall back to a default value, and synchronous forms for legacy call sites.
/// Each completes synchronously, without allocating, when the secret is cached.
/// </summary>
public static class SecretCacheExtensions
{
    /// <summary>Reads a string secret.</summary>
    /// <exception cref="SecretFormatException">The secret is binary.</exception>
    public static ValueTask<string> GetStringAsync(this ISecretCache cache, string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pending = cache.GetAsync(secretId, options, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<string>(StringOf(pending.Result)) : Slow(pending);

        static async ValueTask<string> Slow(ValueTask<Secret> pending) => StringOf(await pending.ConfigureAwait(false));
    }

    /// <summary>Reads a binary secret (no copy: the memory is read-only and shared).</summary>
    /// <exception cref="SecretFormatException">The secret is a string.</exception>
    public static ValueTask<ReadOnlyMemory<byte>> GetBinaryAsync(this ISecretCache cache, string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pending = cache.GetAsync(secretId, options, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<ReadOnlyMemory<byte>>(BinaryOf(pending.Result)) : Slow(pending);

        static async ValueTask<ReadOnlyMemory<byte>> Slow(ValueTask<Secret> pending) => BinaryOf(await pending.ConfigureAwait(false));
    }

    /// <summary>Reads a JSON object secret (parsed once per version).</summary>
    /// <exception cref="SecretFormatException">The secret is not a JSON object.</exception>
    public static ValueTask<JsonElement> GetJsonAsync(this ISecretCache cache, string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pending = cache.GetAsync(secretId, options, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<JsonElement>(pending.Result.GetJson()) : Slow(pending);

        static async ValueTask<JsonElement> Slow(ValueTask<Secret> pending) => (await pending.ConfigureAwait(false)).GetJson();
    }

    /// <summary>Reads one top-level key of a JSON object secret, the specification's <c>get_secret_value(name, key)</c>.</summary>
    /// <exception cref="SecretFormatException">The secret is not a JSON object or has no such key.</exception>
    public static ValueTask<string> GetValueAsync(this ISecretCache cache, string secretId, string key, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pending = cache.GetAsync(secretId, options, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<string>(pending.Result.GetValue(key)) : Slow(pending, key);

        static async ValueTask<string> Slow(ValueTask<Secret> pending, string key) => (await pending.ConfigureAwait(false)).GetValue(key);
    }

    /// <summary>Binds a JSON secret to <typeparamref name="T"/> (a new instance per call).</summary>
    [RequiresUnreferencedCode("JSON binding may need types that trimming removes.")]
    [RequiresDynamicCode("JSON binding may need runtime code generation.")]
    public static async ValueTask<T> GetAsync<T>(this ISecretCache cache, string secretId, SecretReadOptions? options = null, JsonSerializerOptions? jsonOptions = null, CancellationToken cancellationToken = default)
    {
        var secret = await cache.GetAsync(secretId, options, cancellationToken).ConfigureAwait(false);
        return secret.Bind<T>(jsonOptions);
    }

    /// <summary>Reads a string secret, or returns <paramref name="fallback"/> when it cannot be read for any <see cref="SecretaryException"/> or is binary.</summary>
    public static ValueTask<string?> GetStringOrDefaultAsync(this ISecretCache cache, string secretId, string? fallback = null, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var pending = cache.TryGetAsync(secretId, options, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<string?>(pending.Result?.SecretString ?? fallback) : Slow(pending, fallback);

        static async ValueTask<string?> Slow(ValueTask<Secret?> pending, string? fallback) => (await pending.ConfigureAwait(false))?.SecretString ?? fallback;
    }

    /// <summary>Reads one key of a JSON secret, or returns <paramref name="fallback"/> when the secret or key cannot be read.</summary>
    public static ValueTask<string?> GetValueOrDefaultAsync(this ISecretCache cache, string secretId, string key, string? fallback = null, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pending = cache.TryGetAsync(secretId, options, cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<string?>(ValueOf(pending.Result, key, fallback)) : Slow(pending, key, fallback);

        static async ValueTask<string?> Slow(ValueTask<Secret?> pending, string key, string? fallback) => ValueOf(await pending.ConfigureAwait(false), key, fallback);

        static string? ValueOf(Secret? secret, string key, string? fallback) =>
            secret is not null && secret.TryGetValue(key, out var value) ? value : fallback;
    }

    /// <summary>Binds a JSON secret, or returns <paramref name="fallback"/> when it cannot be read or bound.</summary>
    [RequiresUnreferencedCode("JSON binding may need types that trimming removes.")]
    [RequiresDynamicCode("JSON binding may need runtime code generation.")]
    public static async ValueTask<T> GetOrDefaultAsync<T>(this ISecretCache cache, string secretId, T fallback, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await cache.GetAsync<T>(secretId, options, null, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretaryException)
        {
            return fallback;
        }
    }

    // The synchronous forms cost nothing more than the async ones on a hit. On a miss they block the
    // calling thread until the store answers (the store call itself never runs on the caller's
    // SynchronizationContext, so it cannot deadlock on it); on a starved thread pool that block waits
    // for the pool to grow. Prefer the async forms on request paths.

    /// <summary>Synchronous <see cref="ISecretCache.GetAsync"/>; blocks only on a miss.</summary>
    public static Secret Get(this ISecretCache cache, string secretId, SecretReadOptions? options = null) =>
        Block(cache.GetAsync(secretId, options));

    /// <summary>Synchronous <see cref="GetStringAsync"/>.</summary>
    public static string GetString(this ISecretCache cache, string secretId, SecretReadOptions? options = null) =>
        Block(cache.GetStringAsync(secretId, options));

    /// <summary>Synchronous <see cref="GetValueAsync"/>.</summary>
    public static string GetValue(this ISecretCache cache, string secretId, string key, SecretReadOptions? options = null) =>
        Block(cache.GetValueAsync(secretId, key, options));

    /// <summary>Synchronous <see cref="GetValueOrDefaultAsync"/>.</summary>
    public static string? GetValueOrDefault(this ISecretCache cache, string secretId, string key, string? fallback = null, SecretReadOptions? options = null) =>
        Block(cache.GetValueOrDefaultAsync(secretId, key, fallback, options));

    /// <summary>Synchronous <see cref="GetStringOrDefaultAsync"/>.</summary>
    public static string? GetStringOrDefault(this ISecretCache cache, string secretId, string? fallback = null, SecretReadOptions? options = null) =>
        Block(cache.GetStringOrDefaultAsync(secretId, fallback, options));

    /// <summary>Synchronous <see cref="ISecretCache.WarmAsync"/>.</summary>
    public static SecretWarmReport Warm(this ISecretCache cache, IEnumerable<string> secretIds, IReadOnlyDictionary<string, TimeSpan>? ttls = null) =>
        cache.WarmAsync(secretIds, ttls).GetAwaiter().GetResult();

    private static T Block<T>(ValueTask<T> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static string StringOf(Secret secret) =>
        secret.SecretString ?? throw new SecretFormatException(secret.Name, $"The secret '{secret.Name}' is binary; read it with GetBinaryAsync.");

    private static ReadOnlyMemory<byte> BinaryOf(Secret secret) =>
        secret.SecretBinary ?? throw new SecretFormatException(secret.Name, $"The secret '{secret.Name}' is a string; read it with GetStringAsync.");
}
