using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator;
using Xunit.Abstractions;

namespace Secretary.Reliability.Tests;

/// <summary>
/// The library (SecretCache over AwsSecretsManagerStore) against the emulator's fault injection, on fake time for
/// the cache: every fault the emulator can play, with store calls counted by the emulator itself.
/// </summary>
public sealed class LibraryChaosTests(ITestOutputHelper output)
{
    private const string Id = "chaos/db";
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffMax = TimeSpan.FromMinutes(5);
    private const double Jitter = 0.2;

    public static TheoryData<string> FaultKinds => ["InternalServiceError", "ServiceUnavailable", "Throttle", "DropConnection", "Outage", "Hang"];

    private static EmulatorFaults FaultOf(string kind) => kind switch
    {
        "Throttle" => new EmulatorFaults { Throttle = true },
        "DropConnection" => new EmulatorFaults { DropConnection = true },
        "Outage" => new EmulatorFaults { Outage = true },
        "Hang" => new EmulatorFaults { Hang = true },
        _ => new EmulatorFaults { ErrorRate = 1, ErrorType = kind },
    };

    private static SecretCacheOptions Options() => new()
    {
        DefaultTtl = Ttl,
        MaxStale = TimeSpan.FromHours(1),
        BackoffBase = BackoffBase,
        BackoffMax = BackoffMax,
        BackoffJitter = Jitter,
        StoreTimeout = TimeSpan.FromSeconds(5),
    };

    [Theory]
    [MemberData(nameof(FaultKinds))]
    public async Task A_cached_secret_is_served_through_the_fault_with_calls_bounded_by_backoff_and_recovers_within_one_interval(string kind)
    {
        await using var emulator = await LocalRegion.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var store = LocalRegion.StoreFor(emulator);
        var logs = new FakeLogCollector();
        using var cache = new SecretCache(store, Options(), time, new FakeLogger<SecretCache>(logs));
        emulator.PutSecret(Id, Canary.Json);
        var before = await cache.GetAsync(Id);

        // The fault starts; the value expires under it.
        emulator.SetFaults(FaultOf(kind));
        emulator.ResetRequestCounts();
        var errorsBefore = cache.GetStats().BackendErrors;
        time.Advance(Ttl);
        var callsBefore = cache.GetStats().BackendCalls;
        var faultStart = time.GetUtcNow();
        var faultSpan = TimeSpan.FromMinutes(3);
        var stale = 0;
        for (var second = 0; second < faultSpan.TotalSeconds; second++)
        {
            var pending = cache.LookupAsync(Id).AsTask();
            await SettleAsync(cache, time, kind, emulator, errorsBefore);
            var lookup = await pending.WaitAsync(Eventually.Deadline);
            Assert.Equal(before.VersionId, lookup.Secret.VersionId);
            Assert.Equal(Canary.Json, lookup.Secret.SecretString);
            stale += lookup.IsStale ? 1 : 0;
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await SettleAsync(cache, time, kind, emulator, errorsBefore);
        var stats = cache.GetStats();
        var attempts = stats.BackendCalls - callsBefore;

        // On the cache's clock (a hung call also spends StoreTimeout of it): one attempt at expiry, then one per backoff
        // step. A retry is noticed by the next read (1 s later at most), and hung calls (its own, a probe's) hold it.
        var span = time.GetUtcNow() - faultStart;
        var lag = TimeSpan.FromSeconds(1) + (kind == "Hang" ? 2 * Options().StoreTimeout : TimeSpan.Zero);
        var least = BackoffBounds.MinAttempts(span, BackoffBase, BackoffMax, Jitter, lag);
        var most = BackoffBounds.MaxAttempts(span, BackoffBase, BackoffMax, Jitter);

        // The store being down as a whole, the cache also probes it once per probe interval, whatever the backoff.
        var probes = BackoffBounds.MaxProbes(span, Options().RecoveryProbeInterval);
        output.WriteLine($"{kind}: {attempts} store calls in {span.TotalSeconds:0} s of the cache's clock (backoff {least}..{most}, probes at most {probes}), {emulator.Gets()} requests, {stale} stale reads");
        Assert.Equal(faultSpan.TotalSeconds, stale);
        Assert.InRange(attempts, least, most + probes);
        if (kind != "DropConnection")
        {
            // One request per store call (MaxAttempts 1): nothing hidden.
            Assert.Equal(attempts, emulator.Gets());
        }
        else
        {
            // A reset connection is re-sent once by the SDK (MaxStaleConnectionRetries = 1; its default of 10 made 11).
            Assert.InRange(emulator.Gets(), attempts, 2 * attempts);
        }
        Assert.Equal(attempts, stats.BackendErrors);

        // The store comes back with a new version: within one backoff interval a reader sees it.
        var rotated = emulator.PutSecret(Id, Canary.Json.Replace("app", "app2", StringComparison.Ordinal));
        emulator.ClearFaults();
        // Its own retry, or the next recovery probe (whose answer refreshes every failing secret), whichever is first.
        var window = TimeSpan.FromTicks(Math.Min(BackoffBounds.LongestWait((int)attempts, BackoffBase, BackoffMax, Jitter).Ticks, Options().RecoveryProbeInterval.Ticks));
        var recoveredAfter = (TimeSpan?)null;
        for (var waited = TimeSpan.Zero; waited <= window + TimeSpan.FromSeconds(1); waited += TimeSpan.FromSeconds(1))
        {
            await cache.LookupAsync(Id);
            await cache.IdleAsync(); // nothing hangs any more: every call answers
            var now = await cache.LookupAsync(Id);
            if (now.Secret.VersionId == rotated && !now.IsStale)
            {
                recoveredAfter = waited;
                break;
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(recoveredAfter is not null, $"No recovery within one backoff or probe interval ({window.TotalSeconds:0} s) after {attempts} failures.");
        Canary.AssertAbsent(logs.GetSnapshot().Select(r => $"{r.Message} {r.Exception}"));
    }

    /// <summary>
    /// Lets the cache's store calls end before its clock moves on. A hung call (a read's, a background refresh's, a
    /// recovery probe's) holds nobody but is cut by StoreTimeout on the cache's clock: once every call under way has
    /// reached the emulator (one request per call; every call during the fault fails), the clock is moved past it.
    /// </summary>
    private static async Task SettleAsync(SecretCache cache, FakeTimeProvider time, string kind, EmulatorServer emulator, long errorsBefore)
    {
        if (kind != "Hang")
        {
            await cache.IdleAsync();
            return;
        }

        while (cache.GetStats().RefreshesInFlight > 0)
        {
            await Eventually.TrueAsync(
                () => cache.GetStats() is var s && emulator.Gets() - (s.BackendErrors - errorsBefore) >= s.RefreshesInFlight,
                "every hung call to reach the emulator");
            var reached = emulator.Gets();
            time.Advance(cache.Options.StoreTimeout);
            await Eventually.TrueAsync(() => cache.GetStats().BackendErrors - errorsBefore >= reached, "the hung calls to be cut");
        }
    }

    [Fact]
    public async Task A_hung_store_call_is_cut_by_its_timeout_and_releases_every_waiter()
    {
        await using var emulator = await LocalRegion.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var store = LocalRegion.StoreFor(emulator);
        using var cache = new SecretCache(store, Options(), time);
        emulator.PutSecret("cached", "old");
        emulator.PutSecret("never-cached", "x");
        await cache.GetAsync("cached");
        time.Advance(Ttl);
        emulator.SetFaults(new EmulatorFaults { Hang = true });

        var cachedReaders = Enumerable.Range(0, 50).Select(_ => cache.LookupAsync("cached").AsTask()).ToList();
        var coldReaders = Enumerable.Range(0, 50).Select(_ => cache.GetAsync("never-cached").AsTask()).ToList();
        await Eventually.TrueAsync(() => emulator.Gets() >= 3, "both hung calls to reach the emulator");
        Assert.All(cachedReaders.Concat<Task>(coldReaders), t => Assert.False(t.IsCompleted));

        time.Advance(Options().StoreTimeout);

        var served = await Task.WhenAll(cachedReaders).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(served, l => Assert.True(l.IsStale && l.Secret.SecretString == "old"));
        foreach (var reader in coldReaders)
        {
            var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => reader.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(StoreFailureReason.Timeout, error.Reason);
        }

        Assert.Equal(3, emulator.Gets()); // one call per secret, shared by 50 waiters each (plus the first read)
    }

    [Fact]
    public async Task A_latency_spike_never_delays_readers_of_a_fresh_value_and_costs_one_call_per_refresh()
    {
        await using var emulator = await LocalRegion.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var store = LocalRegion.StoreFor(emulator);
        using var cache = new SecretCache(store, Options(), time);
        emulator.PutSecret(Id, "v1");
        await cache.GetAsync(Id);
        var v2 = emulator.PutSecret(Id, "v2");
        emulator.SetFaults(new EmulatorFaults { LatencyMs = 300 });
        emulator.ResetRequestCounts();

        // Past the refresh lead (at least 1 s before expiry), still within the TTL: 200 readers all answered at once
        // from the cache, one background call.
        time.Advance(Ttl - TimeSpan.FromMilliseconds(500));
        var reads = Enumerable.Range(0, 200).Select(_ => cache.GetAsync(Id)).ToList();
        Assert.All(reads, r => Assert.True(r.IsCompletedSuccessfully));
        Assert.All(reads, r => Assert.Equal("v1", r.Result.SecretString));
        await cache.IdleAsync();

        Assert.Equal(1, emulator.Gets());
        Assert.Equal(v2, (await cache.GetAsync(Id)).VersionId);
    }

    [Fact]
    public async Task A_burst_of_server_errors_is_absorbed_by_the_sdk_retries_without_a_stale_answer()
    {
        await using var emulator = await LocalRegion.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var store = LocalRegion.StoreFor(emulator, maxAttempts: 3);
        using var cache = new SecretCache(store, Options(), time);
        emulator.PutSecret(Id, "v1");
        await cache.GetAsync(Id);
        var v2 = emulator.PutSecret(Id, "v2");

        // Two 500s then success (the emulator's seeded random source, as the AWS store tests do).
        EmulatorBursts.SetBurst(emulator, "GetSecretValue", "InternalServiceError", 2);
        emulator.ResetRequestCounts();
        time.Advance(Ttl);
        var lookup = await cache.LookupAsync(Id);

        Assert.False(lookup.IsStale);
        Assert.Equal(v2, lookup.Secret.VersionId);
        Assert.Equal(3, emulator.Gets());
        Assert.Equal(0, cache.GetStats().BackendErrors);
    }

    [Fact]
    public async Task One_region_down_fails_over_to_the_other_with_the_failed_region_retried_after_its_backoff()
    {
        await using var east = await LocalRegion.StartAsync(LocalRegion.Primary);
        await using var west = await LocalRegion.StartAsync(LocalRegion.Fallback);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var store = LocalRegion.StoreFor(east, time, fallback: west);
        var options = Options();
        options.DefaultTtl = TimeSpan.FromSeconds(10);
        using var cache = new SecretCache(store, options, time);
        east.PutSecret(Id, "replicated");
        west.PutSecret(Id, "replicated");
        await cache.GetAsync(Id);
        Assert.Equal(1, east.Gets());

        east.SetFaults(new EmulatorFaults { Outage = true });
        east.ResetRequestCounts();
        var outage = TimeSpan.FromMinutes(10);
        for (var second = 0; second < outage.TotalSeconds; second++)
        {
            var lookup = await cache.LookupAsync(Id);
            Assert.Equal("replicated", lookup.Secret.SecretString);
            Assert.False(lookup.IsStale); // the other region answers: nothing is even stale
            await cache.IdleAsync();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // Region backoff 30 s, x2, cap 5 min: over 10 minutes the dead region is asked at most 5 times.
        Assert.InRange(east.Gets(), 2, 5);
        Assert.True(west.Gets() >= 60, $"west served {west.Gets()} refreshes");
        Assert.Equal(0, cache.GetStats().BackendErrors);

        // East comes back: within its current backoff (at most 5 min) the store serves from east again.
        east.ClearFaults();
        east.ResetRequestCounts();
        for (var second = 0; second <= 310 && east.Gets() == 0; second++)
        {
            await cache.LookupAsync(Id);
            await cache.IdleAsync();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(east.Gets() > 0, "the primary region was never tried again");
        var westAfter = west.Gets();
        time.Advance(TimeSpan.FromSeconds(11));
        await cache.LookupAsync(Id);
        await cache.IdleAsync();
        Assert.Equal(westAfter, west.Gets());
    }
}
