namespace Secretary.Tests;

/// <summary>
/// A secret that fails on its own keeps its own backoff; a store-wide outage is probed at most
/// six times a minute and ends, for every stale secret, within seconds of the store's return.
/// </summary>
public sealed class OutageTests
{
    private static readonly Func<SecretRequest, Exception> Outage = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network);

    [Fact]
    public async Task A_failing_secret_beside_a_healthy_one_keeps_its_own_backoff()
    {
        using var f = new CacheFixture(o => o.SecretTtls["healthy"] = TimeSpan.FromSeconds(5));
        f.Store.Set("healthy", "h");
        f.Store.Set("broken", "b1");
        await f.Cache.GetAsync("healthy");
        await f.Cache.GetAsync("broken");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        var brokenCalls = 0;
        f.Store.Fault = null;
        f.Store.BeforeAnswer = (r, _) =>
        {
            if (r.SecretId == "broken")
            {
                Interlocked.Increment(ref brokenCalls);
                throw new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError); // its own KMS key, say
            }

            return Task.CompletedTask;
        };

        for (var second = 0; second < 600; second++)
        {
            Assert.Equal("h", (await f.Cache.GetAsync("healthy")).SecretString);
            Assert.True((await f.Cache.LookupAsync("broken")).IsStale);
            await f.IdleAsync();
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        // The next read's retry, then 1 s base, x2, cap 5 min, ±20% jitter: 10 or 11 calls in 10 minutes, however often
        // the healthy secret succeeds.
        Assert.InRange(brokenCalls, 10, 11);
        Assert.Equal(0, f.Cache.ProbeCount);
        Assert.False(f.Cache.GetStats().StoreOutage);
    }

    [Fact]
    public async Task After_an_outage_every_stale_secret_is_fresh_within_15_seconds_at_six_probes_a_minute_at_most()
    {
        using var f = new CacheFixture();
        var ids = Enumerable.Range(0, 50).Select(i => $"app/{i}").ToList();
        foreach (var id in ids)
        {
            f.Store.Set(id, "v1");
            await f.Cache.GetAsync(id);
        }

        f.Time.Advance(TimeSpan.FromSeconds(300));
        f.Store.Fault = Outage;
        for (var second = 0; second < 600; second++)
        {
            foreach (var id in ids)
            {
                Assert.Equal("v1", (await f.Cache.GetAsync(id)).SecretString);
            }

            await f.IdleAsync();
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var probesDuringOutage = f.Cache.ProbeCount;
        Assert.InRange(probesDuringOutage, 1, 60); // ≤ 6 a minute for the whole cache
        await f.IdleAsync();

        foreach (var id in ids)
        {
            f.Store.Set(id, "v2");
        }

        f.Store.Fault = null;
        var back = 0;
        while (ids.Any(id => f.Cache.LookupAsync(id).Result.IsStale))
        {
            Assert.True(back < 15, $"still stale {back} s after the store came back");
            f.Time.Advance(TimeSpan.FromSeconds(1)); // nobody reads: only the probe can notice
            await f.IdleAsync();
            back++;
        }

        Assert.All(ids, id => Assert.Equal("v2", f.Cache.GetAsync(id).Result.SecretString));
        Assert.False(f.Cache.GetStats().StoreOutage);
    }

    [Fact]
    public async Task An_outage_that_starts_while_values_are_fresh_ends_for_every_secret_within_15_seconds_while_readers_keep_reading()
    {
        using var f = new CacheFixture();
        var ids = Enumerable.Range(0, 9).Select(i => $"app/{i}").ToList();
        foreach (var id in ids)
        {
            f.Store.Set(id, "v1");
            await f.Cache.GetAsync(id);
        }

        f.Time.Advance(TimeSpan.FromSeconds(1));
        f.Store.Fault = Outage;
        for (var step = 0; step < 6_000; step++) // 600 s, every secret read every 100 ms
        {
            foreach (var id in ids)
            {
                Assert.Equal("v1", (await f.Cache.GetAsync(id)).SecretString);
            }

            await f.IdleAsync();
            f.Time.Advance(TimeSpan.FromMilliseconds(100));
        }

        foreach (var id in ids)
        {
            f.Store.Set(id, "v2");
        }

        f.Store.Fault = null;
        var steps = 0;
        while (ids.Any(id => f.Cache.GetAsync(id).Result.SecretString != "v2"))
        {
            Assert.True(steps < 150, $"a secret was still stale {steps / 10.0} s after the store came back");
            await f.IdleAsync();
            f.Time.Advance(TimeSpan.FromMilliseconds(100));
            steps++;
        }
    }

    [Fact]
    public async Task Probing_stops_when_no_secret_fails()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Fault = Outage;
        await f.Cache.GetAsync("k");
        await f.IdleAsync();
        f.Time.Advance(TimeSpan.FromSeconds(30));
        await f.IdleAsync();
        f.Store.Fault = null;
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.IdleAsync();
        var probes = f.Cache.ProbeCount;
        var calls = f.Store.Calls;

        f.Time.Advance(TimeSpan.FromMinutes(4)); // fresh again, nothing failing: no probe
        await f.IdleAsync();

        Assert.Equal(probes, f.Cache.ProbeCount);
        Assert.Equal(calls, f.Store.Calls);
    }

    [Fact]
    public async Task A_permission_revoked_during_a_short_outage_is_the_answer_of_the_first_read_after_it()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Fault = Outage;
        Assert.True((await f.Cache.LookupAsync("k")).IsStale);

        f.Store.Fault = r => new SecretAccessDeniedException(r.SecretId, "not authorized");
        f.Time.Advance(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<SecretAccessDeniedException>(() => f.Cache.GetAsync("k").AsTask());
        Assert.Equal(0, f.Cache.GetStats().TotalCacheEntries);
    }

    [Fact]
    public async Task A_due_retry_that_hangs_answers_the_reader_with_the_stale_value_after_half_a_second()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Fault = Outage;
        await f.Cache.LookupAsync("k");
        f.Store.Fault = null;
        f.Store.Hang = true;

        var read = f.Cache.LookupAsync("k").AsTask();
        await f.Store.WaitForCallsAsync(3);
        Assert.False(read.IsCompleted);
        f.Time.Advance(TimeSpan.FromMilliseconds(500));
        var lookup = await read.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(lookup.IsStale);
        Assert.Equal("v1", lookup.Secret.SecretString);
        Assert.Equal(1, f.Cache.GetStats().RefreshesInFlight); // the call goes on, cut by the store timeout
    }
}
