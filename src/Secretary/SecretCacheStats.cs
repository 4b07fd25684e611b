using System.Text.Json;
using System.Text.Json.Serialization;
using Secretary.Internals;

namespace Secretary;

/// <summary>
/// A snapshot of a cache: the original specification's fields first, then Secretary's.
/// Serialised with snake_case names (<see cref="ToJson"/>). Secret names never appear in it.
/// </summary>
public sealed class SecretCacheStats
{
    /// <summary>Distinct secrets that have a cached value.</summary>
    [JsonPropertyName("cached_secrets_count")]
    public int CachedSecretsCount { get; init; }

    /// <summary>Entries that have a cached value (a secret cached at two stages counts twice).</summary>
    [JsonPropertyName("total_cache_entries")]
    public int TotalCacheEntries { get; init; }

    /// <summary>Age of the oldest cached value, in seconds (0 when empty).</summary>
    [JsonPropertyName("oldest_cache_age_seconds")]
    public double OldestCacheAgeSeconds { get; init; }

    /// <summary>Age of the newest cached value, in seconds (0 when empty).</summary>
    [JsonPropertyName("newest_cache_age_seconds")]
    public double NewestCacheAgeSeconds { get; init; }

    /// <summary>The region serving reads, or <c>local</c> for stores without regions.</summary>
    [JsonPropertyName("region")]
    public string Region { get; init; } = "local";

    /// <summary>Average age, utilisation and the status word.</summary>
    [JsonPropertyName("cache_efficiency")]
    public SecretCacheEfficiency CacheEfficiency { get; init; } = new();

    /// <summary>Reads answered without waiting for the store.</summary>
    [JsonPropertyName("hits")]
    public long Hits { get; init; }

    /// <summary>Reads that waited for the store.</summary>
    [JsonPropertyName("misses")]
    public long Misses { get; init; }

    /// <summary>hits / (hits + misses), 0 before the first read.</summary>
    [JsonPropertyName("hit_ratio")]
    public double HitRatio { get; init; }

    /// <summary>Reads answered with a value past its TTL because the store was failing.</summary>
    [JsonPropertyName("stale_served")]
    public long StaleServed { get; init; }

    /// <summary>Calls made to the store (a batch call counts once).</summary>
    [JsonPropertyName("backend_calls")]
    public long BackendCalls { get; init; }

    /// <summary>Store calls that failed.</summary>
    [JsonPropertyName("backend_errors")]
    public long BackendErrors { get; init; }

    /// <summary>Store calls under way now.</summary>
    [JsonPropertyName("refreshes_in_flight")]
    public int RefreshesInFlight { get; init; }

    /// <summary>The configured bound on entries.</summary>
    [JsonPropertyName("max_entries")]
    public int MaxEntries { get; init; }

    /// <summary>Entries currently served stale.</summary>
    [JsonPropertyName("stale_entries")]
    public int StaleEntries { get; init; }

    /// <summary>Entries that hold no value: remembered errors and failed first reads (their own budget, <see cref="SecretCacheOptions.MaxNegativeEntries"/>).</summary>
    [JsonPropertyName("negative_entries")]
    public int NegativeEntries { get; init; }

    /// <summary>Entries evicted to keep the budgets since the cache was built.</summary>
    [JsonPropertyName("evictions")]
    public long Evictions { get; init; }

    /// <summary>Remote change messages that started no refresh of their own: rate-limited (folded into one trailing refresh) or stamped in the future.</summary>
    [JsonPropertyName("remote_changes_dropped")]
    public long RemoteChangesDropped { get; init; }

    /// <summary>True while the store has answered nothing for a probe interval and some secret fails: the cache is probing for its return.</summary>
    [JsonPropertyName("store_outage")]
    public bool StoreOutage { get; init; }

    /// <summary>Store calls by store kind (<c>aws</c>, <c>ssm</c>, ...): each member of a composite store apart (a batch call counts once).</summary>
    [JsonPropertyName("backend_calls_by_store")]
    public IReadOnlyDictionary<string, long> BackendCallsByStore { get; init; } = new Dictionary<string, long>();

    /// <summary>Failed store calls by store kind.</summary>
    [JsonPropertyName("backend_errors_by_store")]
    public IReadOnlyDictionary<string, long> BackendErrorsByStore { get; init; } = new Dictionary<string, long>();

    /// <summary>The fleet backplane's state (<c>connected</c>, <c>disconnected</c>), or null without one.</summary>
    [JsonPropertyName("backplane")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Backplane { get; init; }

    /// <summary>The snapshot as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SecretaryJsonContext.Readable.SecretCacheStats);

    /// <summary>The status word for an average age: empty, very_fresh (&lt; 60 s), healthy (&lt; 180 s), aging (&lt; 300 s), stale.</summary>
    public static string StatusFor(int entries, double averageAgeSeconds) => entries == 0
        ? "empty"
        : averageAgeSeconds switch
        {
            < 60 => "very_fresh",
            < 180 => "healthy",
            < 300 => "aging",
            _ => "stale",
        };
}
