using System.Text.Json;

namespace Secretary.Tests;

public sealed class StatsTests
{
    [Fact]
    public void An_empty_cache_reports_empty()
    {
        using var f = new CacheFixture();

        var stats = f.Cache.GetStats();

        Assert.Equal(0, stats.CachedSecretsCount);
        Assert.Equal("empty", stats.CacheEfficiency.CacheStatus);
        Assert.Equal(0, stats.HitRatio);
        Assert.Equal(1024, stats.MaxEntries);
        Assert.Equal("us-test-1", stats.Region);
    }

    [Fact]
    public void The_document_has_the_specifications_fields_first_in_snake_case()
    {
        using var f = new CacheFixture();

        using var json = JsonDocument.Parse(f.Cache.GetStats().ToJson());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(
            ["cached_secrets_count", "total_cache_entries", "oldest_cache_age_seconds", "newest_cache_age_seconds", "region", "cache_efficiency",
             "hits", "misses", "hit_ratio", "stale_served", "backend_calls", "backend_errors", "refreshes_in_flight", "max_entries", "stale_entries",
             "negative_entries", "evictions", "remote_changes_dropped", "store_outage", "backend_calls_by_store", "backend_errors_by_store"],
            names);
        Assert.Equal(
            ["avg_cache_age_seconds", "cache_utilization_percent", "cache_status"],
            json.RootElement.GetProperty("cache_efficiency").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Ages_counts_utilisation_and_ratio_add_up()
    {
        using var f = new CacheFixture(o => o.MaxEntries = 10);
        f.Store.Set("a", "1");
        f.Store.Set("b", "2");
        await f.Cache.GetAsync("a");
        f.Time.Advance(TimeSpan.FromSeconds(100));
        await f.Cache.GetAsync("b");
        await f.Cache.GetAsync("b", new SecretReadOptions { VersionStage = "AWSCURRENT" });
        await f.Cache.GetAsync("a");
        f.Time.Advance(TimeSpan.FromSeconds(20));

        var stats = f.Cache.GetStats();

        Assert.Equal(2, stats.CachedSecretsCount);
        Assert.Equal(2, stats.TotalCacheEntries);
        Assert.Equal(120, stats.OldestCacheAgeSeconds);
        Assert.Equal(20, stats.NewestCacheAgeSeconds);
        Assert.Equal(70, stats.CacheEfficiency.AvgCacheAgeSeconds);
        Assert.Equal(20, stats.CacheEfficiency.CacheUtilizationPercent);
        Assert.Equal("healthy", stats.CacheEfficiency.CacheStatus);
        Assert.Equal(2, stats.Hits);
        Assert.Equal(2, stats.Misses);
        Assert.Equal(0.5, stats.HitRatio);
        Assert.Equal(2, stats.BackendCalls);
    }

    [Theory]
    [InlineData(0, 0, "empty")]
    [InlineData(1, 0, "very_fresh")]
    [InlineData(1, 59.99, "very_fresh")]
    [InlineData(1, 60, "healthy")]
    [InlineData(1, 179.99, "healthy")]
    [InlineData(1, 180, "aging")]
    [InlineData(1, 299.99, "aging")]
    [InlineData(1, 300, "stale")]
    [InlineData(5, 10000, "stale")]
    public void Cache_status_follows_the_average_age(int entries, double averageAge, string expected) =>
        Assert.Equal(expected, SecretCacheStats.StatusFor(entries, averageAge));

    [Fact]
    public async Task Status_is_computed_from_the_average_age_of_entries()
    {
        using var f = new CacheFixture(o => o.DefaultTtl = TimeSpan.FromHours(1));
        f.Store.Set("a", "1");
        await f.Cache.GetAsync("a");

        f.Time.Advance(TimeSpan.FromSeconds(200));

        Assert.Equal("aging", f.Cache.GetStats().CacheEfficiency.CacheStatus);
    }
}
