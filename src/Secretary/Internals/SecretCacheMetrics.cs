using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Secretary.Internals;

/// <summary>
/// The cache's instruments on the <c>Secretary</c> meter. Read-path counts are observable
/// (read from the cache's own counters at collection), so a hit costs no metric call.
/// No instrument carries a secret name.
/// </summary>
internal sealed class SecretCacheMetrics : IDisposable
{
    public const string MeterName = "Secretary";

    private static readonly double[] DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _storeCalls;
    private readonly Histogram<double> _storeDuration;
    private readonly KeyValuePair<string, object?> _cacheTag;

    public SecretCacheMetrics(string cacheName, IMeterFactory? meterFactory, SecretCache cache)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _cacheTag = new("cache", cacheName);
        _storeCalls = _meter.CreateCounter<long>(
            "secretary.store.calls", unit: "{call}", description: "Calls to the secret store, by operation and outcome.");
        _storeDuration = _meter.CreateHistogram(
            "secretary.store.duration",
            unit: "s",
            description: "Duration of calls to the secret store.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        _meter.CreateObservableCounter(
            "secretary.cache.hits", () => new Measurement<long>(cache.HitCount, _cacheTag), "{read}", "Reads served from memory.");
        _meter.CreateObservableCounter(
            "secretary.cache.misses", () => new Measurement<long>(cache.MissCount, _cacheTag), "{read}", "Reads that waited for the store.");
        _meter.CreateObservableCounter(
            "secretary.cache.stale_served", () => new Measurement<long>(cache.StaleCount, _cacheTag), "{read}", "Reads served a value past its TTL while the store failed.");
        _meter.CreateObservableUpDownCounter(
            "secretary.cache.entries", () => new Measurement<long>(cache.EntryCount, _cacheTag), "{entry}", "Entries held.");
        _meter.CreateObservableUpDownCounter(
            "secretary.cache.refreshes_in_flight", () => new Measurement<long>(cache.FlightCount, _cacheTag), "{call}", "Store calls under way.");
        _meter.CreateObservableGauge(
            "secretary.cache.oldest_age", () => new Measurement<double>(cache.OldestAgeSeconds(), _cacheTag), "s", "Age of the oldest cached value.");
    }

    public void StoreCall(string operation, string outcome, string? region, TimeSpan duration)
    {
        var tags = new TagList
        {
            _cacheTag,
            { "operation", operation },
            { "outcome", outcome },
            { "region", region ?? "local" },
        };
        _storeCalls.Add(1, tags);
        _storeDuration.Record(duration.TotalSeconds, tags);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
