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

    /// <remarks>The observable instruments hold the cache weakly and report nothing once it is disposed or collected: a meter owned by a DI container never keeps a dead cache alive.</remarks>
    public SecretCacheMetrics(string cacheName, IMeterFactory? meterFactory, SecretCache cache)
    {
        var owner = new WeakReference<SecretCache>(cache);
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
            "secretary.cache.hits", () => Observe(owner, static c => c.HitCount), "{read}", "Reads served from memory.");
        _meter.CreateObservableCounter(
            "secretary.cache.misses", () => Observe(owner, static c => c.MissCount), "{read}", "Reads that waited for the store.");
        _meter.CreateObservableCounter(
            "secretary.cache.stale_served", () => Observe(owner, static c => c.StaleCount), "{read}", "Reads served a value past its TTL while the store failed.");
        _meter.CreateObservableUpDownCounter(
            "secretary.cache.entries", () => Observe(owner, static c => c.EntryCount), "{entry}", "Entries held.");
        _meter.CreateObservableUpDownCounter(
            "secretary.cache.refreshes_in_flight", () => Observe(owner, static c => c.FlightCount), "{call}", "Store calls under way.");
        _meter.CreateObservableGauge(
            "secretary.cache.oldest_age", () => Observe(owner, static c => c.OldestAgeSeconds()), "s", "Age of the oldest cached value.");
        _meter.CreateObservableUpDownCounter(
            "secretary.cache.negative_entries", () => Observe(owner, static c => c.NegativeEntryCount), "{entry}", "Entries remembering an error or a failed first read.");
        _meter.CreateObservableCounter(
            "secretary.cache.evictions", () => Observe(owner, static c => c.EvictionCount), "{entry}", "Entries evicted to keep the budgets.");
        _meter.CreateObservableCounter(
            "secretary.cache.remote_changes_dropped", () => Observe(owner, static c => c.RemoteDroppedCount), "{message}", "Remote change messages rate-limited or stamped in the future.");
        _meter.CreateObservableCounter(
            "secretary.cache.recovery_probes", () => Observe(owner, static c => c.ProbeCount), "{call}", "Probe calls made while the store was down.");
    }

    private IEnumerable<Measurement<T>> Observe<T>(WeakReference<SecretCache> owner, Func<SecretCache, T> read)
        where T : struct =>
        owner.TryGetTarget(out var cache) && !cache.IsDisposedForMetrics
            ? [new Measurement<T>(read(cache), _cacheTag)]
            : [];

    /// <param name="operation">The store's operation, e.g. GetSecretValue or GetParameters.</param>
    /// <param name="store">The kind of the store that served the call (<c>aws</c>, <c>ssm</c>, <c>file</c>): never a name.</param>
    /// <param name="outcome">success, not_found, throttled, ...</param>
    /// <param name="region">The region that served it, or null for a local store.</param>
    /// <param name="duration">How long the call took.</param>
    public void StoreCall(string operation, string store, string outcome, string? region, TimeSpan duration)
    {
        var tags = new TagList
        {
            _cacheTag,
            { "store", store },
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
