using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Secretary.Tests;

/// <summary>What docs/cache.md promises and nothing else checked: warm-up's concurrency, when VersionChanged is raised, per-call TTLs, the gauges.</summary>
public sealed class PromisesTests
{
    [Fact]
    public async Task Warm_up_runs_at_most_WarmConcurrency_batch_calls_at_once()
    {
        using var f = new CacheFixture();
        var ids = Enumerable.Range(0, 500).Select(i => $"w/{i}").ToList();
        foreach (var id in ids)
        {
            f.Store.Set(id, "v");
        }

        f.Store.Block();
        var warming = f.Cache.WarmAsync(ids);
        await f.Store.WaitForCallsAsync(8);
        var atOnce = f.Store.BatchCalls;
        f.Store.Release();
        var report = await warming;

        Assert.Equal(8, atOnce); // the default WarmConcurrency, 8 batches of 20 in flight
        Assert.Equal(25, report.StoreCalls);
        Assert.Equal(25, f.Store.BatchCalls);
        Assert.Equal(500, report.Successful);
    }

    [Fact]
    public async Task VersionChanged_is_not_raised_for_an_unchanged_version_or_a_pinned_version_id()
    {
        using var f = new CacheFixture();
        var raised = 0;
        f.Cache.VersionChanged += (_, _) => Interlocked.Increment(ref raised);
        var v1 = f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        await f.Cache.GetAsync("k", new SecretReadOptions { VersionId = v1.VersionId });

        f.Time.Advance(TimeSpan.FromSeconds(2));
        await f.Cache.RefreshAsync("k"); // same version
        await f.Cache.RefreshAsync("k", new SecretReadOptions { VersionId = v1.VersionId }); // pinned: never another version
        await f.IdleAsync();

        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Cache.VersionChanged += (_, _) => changed.TrySetResult();
        f.Store.Set("k", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(2));
        await f.Cache.RefreshAsync("k");
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, Volatile.Read(ref raised));
    }

    [Fact]
    public async Task One_callers_shorter_TTL_does_not_shorten_anothers()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(30));
        f.Store.Set("k", "v2");

        Assert.Equal("v2", (await f.Cache.GetAsync("k", new SecretReadOptions { Ttl = TimeSpan.FromSeconds(10) })).SecretString);
        f.Store.Set("k", "v3");
        f.Time.Advance(TimeSpan.FromSeconds(30));

        // The default reader's 300 s counts from the last fetch; the short-TTL caller fetched 30 s ago.
        Assert.Equal("v2", (await f.Cache.GetAsync("k")).SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public async Task The_gauges_report_entries_stale_values_age_and_calls_in_flight()
    {
        using var f = new CacheFixture();
        using var entries = new MetricCollector<long>(f.Meters, "Secretary", "secretary.cache.entries");
        using var stale = new MetricCollector<long>(f.Meters, "Secretary", "secretary.cache.stale_served");
        using var age = new MetricCollector<double>(f.Meters, "Secretary", "secretary.cache.oldest_age");
        using var flights = new MetricCollector<long>(f.Meters, "Secretary", "secretary.cache.refreshes_in_flight");
        using var negatives = new MetricCollector<long>(f.Meters, "Secretary", "secretary.cache.negative_entries");
        f.Store.Set("a", "1");
        f.Store.Set("b", "2");
        await f.Cache.GetAsync("a");
        f.Time.Advance(TimeSpan.FromSeconds(100));
        await f.Cache.GetAsync("b");
        await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("missing").AsTask());
        f.Time.Advance(TimeSpan.FromSeconds(201));
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network);
        await f.Cache.GetAsync("a"); // stale
        f.Store.Block();
        var pending = f.Cache.RefreshAsync("b");
        await f.Store.WaitForCallsAsync(f.Store.Calls);

        entries.RecordObservableInstruments();
        stale.RecordObservableInstruments();
        flights.RecordObservableInstruments();
        negatives.RecordObservableInstruments();
        age.RecordObservableInstruments();
        Assert.Equal(2, entries.LastMeasurement!.Value);
        Assert.Equal(1, stale.LastMeasurement!.Value);
        Assert.Equal(301, age.LastMeasurement!.Value, 3);
        Assert.Equal(1, flights.LastMeasurement!.Value);
        Assert.Equal(1, negatives.LastMeasurement!.Value);
        f.Store.Release();
        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => pending);
    }

    [Fact]
    public async Task The_cached_secret_ids_are_those_asked_for_at_the_current_stage()
    {
        using var f = new CacheFixture();
        f.Store.Set("a", "1");
        f.Store.Set("a", "2"); // a has an AWSPREVIOUS version
        f.Store.Set("b", "1");
        await f.Cache.GetAsync("a");
        await f.Cache.GetAsync("b");
        await f.Cache.GetAsync("a", new SecretReadOptions { VersionStage = SecretRequest.PreviousStage });
        await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("missing").AsTask());

        Assert.Equal(3, f.Cache.GetStats().TotalCacheEntries);
        Assert.Equal(["a", "b"], f.Cache.GetCachedSecretIds().Order(StringComparer.Ordinal));
    }
}
