using System.Text.Json;
using Secretary;

namespace Secretary.Bench;

/// <summary>
/// A faithful C# port of the original specification's <c>SecretsManager</c> class
/// (<c>utils/secrets_manager.py</c>): one dictionary holding <c>{name}_data</c> and
/// <c>{name}_time</c> keys, one lock held across the whole get including the store call,
/// the age checked against the caller's TTL (default 300 s), and the JSON parsed on fetch
/// into a dictionary that is returned as is. No single flight beyond the global lock, no
/// refresh-ahead, no stale serving: an error after expiry propagates to the caller.
/// </summary>
/// <remarks>
/// Two deviations so it can run every benchmark: a secret string that is not JSON is kept as
/// the raw string (the seed would raise JSONDecodeError), and a binary secret is kept as its
/// bytes (the seed reads SecretString only). Time comes from a <see cref="TimeProvider"/> as
/// seconds since the epoch, as <c>time.time()</c>.
/// </remarks>
public sealed class SeedStyleCache
{
    private const double DefaultTtlSeconds = 300;

    private readonly Dictionary<string, object> _cache = new();
    private readonly Lock _cacheLock = new();
    private readonly ISecretStore _store;
    private readonly TimeProvider _time;
    private readonly double _defaultTtl;

    public SeedStyleCache(ISecretStore store, TimeProvider? time = null, double defaultTtlSeconds = DefaultTtlSeconds)
    {
        _store = store;
        _time = time ?? TimeProvider.System;
        _defaultTtl = defaultTtlSeconds;
    }

    /// <summary><c>get_secret(secret_name, cache_ttl=None)</c>: the parsed secret.</summary>
    public object GetSecret(string secretName, double? cacheTtl = null)
    {
        var ttl = cacheTtl ?? _defaultTtl;
        lock (_cacheLock)
        {
            var cacheKey = $"{secretName}_data";
            var timeKey = $"{secretName}_time";
            if (_cache.TryGetValue(cacheKey, out var data) && _cache.TryGetValue(timeKey, out var cachedAt))
            {
                if (Now() - (double)cachedAt < ttl)
                {
                    return data;
                }
            }

            // The store call runs under the lock, as the seed's boto3 call does.
            var request = new SecretRequest(secretName);
            var response = _store is ISyncSecretStore sync
                ? sync.GetSecret(request)
                : _store.GetSecretAsync(request).GetAwaiter().GetResult();
            var secretData = Parse(response);
            _cache[cacheKey] = secretData;
            _cache[timeKey] = Now();
            return secretData;
        }
    }

    /// <summary><c>get_secret_value(secret_name, key, default=None)</c>: one key of a JSON secret.</summary>
    public string? GetSecretValue(string secretName, string key, string? defaultValue = null, double? cacheTtl = null) =>
        GetSecret(secretName, cacheTtl) is Dictionary<string, object?> dict && dict.TryGetValue(key, out var value)
            ? value?.ToString()
            : defaultValue;

    /// <summary><c>clear_cache(secret_name=None)</c>.</summary>
    public void ClearCache(string? secretName = null)
    {
        lock (_cacheLock)
        {
            if (secretName is null)
            {
                _cache.Clear();
            }
            else
            {
                _cache.Remove($"{secretName}_data");
                _cache.Remove($"{secretName}_time");
            }
        }
    }

    private double Now() => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    private static object Parse(Secret response)
    {
        if (response.SecretString is not { } text)
        {
            return response.SecretBinary!.Value.ToArray();
        }

        try
        {
            // json.loads: objects become dicts of plain values.
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return text;
            }

            var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                dict[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }

            return dict;
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
