using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Secretary.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Store_calls_are_counted_by_operation_and_outcome_without_secret_names()
    {
        using var f = new CacheFixture();
        using var calls = new MetricCollector<long>(f.Meters, "Secretary", "secretary.store.calls");
        using var duration = new MetricCollector<double>(f.Meters, "Secretary", "secretary.store.duration");
        f.Store.Set("a", "1");

        await f.Cache.GetAsync("a");
        await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("b").AsTask());
        await f.Cache.WarmAsync(["a"]);

        var measurements = calls.GetMeasurementSnapshot();
        Assert.Equal(3, measurements.Count);
        Assert.Contains(measurements, m => (string?)m.Tags["operation"] == "GetSecretValue" && (string?)m.Tags["outcome"] == "success");
        Assert.Contains(measurements, m => (string?)m.Tags["operation"] == "GetSecretValue" && (string?)m.Tags["outcome"] == "not_found");
        Assert.Contains(measurements, m => (string?)m.Tags["operation"] == "BatchGetSecretValue");
        Assert.All(measurements, m => Assert.Equal("us-test-1", m.Tags["region"]));
        Assert.All(measurements, m => Assert.DoesNotContain(m.Tags.Values, v => v is "a" or "b"));
        Assert.Equal(3, duration.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task Hits_and_misses_are_observable_counters()
    {
        using var f = new CacheFixture();
        using var hits = new MetricCollector<long>(f.Meters, "Secretary", "secretary.cache.hits");
        using var misses = new MetricCollector<long>(f.Meters, "Secretary", "secretary.cache.misses");
        f.Store.Set("a", "1");
        await f.Cache.GetAsync("a");
        await f.Cache.GetAsync("a");
        await f.Cache.GetAsync("a");

        hits.RecordObservableInstruments();
        misses.RecordObservableInstruments();

        Assert.Equal(2, hits.LastMeasurement!.Value);
        Assert.Equal(1, misses.LastMeasurement!.Value);
    }
}
