using System.Text.Json.Serialization;

namespace Secretary;

/// <summary>The specification's <c>cache_efficiency</c> block.</summary>
public sealed class SecretCacheEfficiency
{
    /// <summary>Average age of cached values, in seconds.</summary>
    [JsonPropertyName("avg_cache_age_seconds")]
    public double AvgCacheAgeSeconds { get; init; }

    /// <summary>Entries as a percentage of the maximum.</summary>
    [JsonPropertyName("cache_utilization_percent")]
    public double CacheUtilizationPercent { get; init; }

    /// <summary>empty, very_fresh, healthy, aging or stale (see <see cref="SecretCacheStats.StatusFor"/>).</summary>
    [JsonPropertyName("cache_status")]
    public string CacheStatus { get; init; } = "empty";
}
