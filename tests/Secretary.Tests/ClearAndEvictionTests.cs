namespace Secretary.Tests;

public sealed class ClearAndEvictionTests
{
    [Fact]
    public async Task Clear_during_an_in_flight_fetch_does_not_put_the_old_value_back()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "old");
        f.Store.Block();
        var pending = f.Cache.GetAsync("k").AsTask();
        await f.Store.WaitForCallsAsync(1);

        f.Cache.Clear("k");
        f.Store.Release();
        await pending;

        Assert.Equal(0, f.Cache.GetStats().TotalCacheEntries);
        f.Store.Set("k", "new");
        Assert.Equal("new", (await f.Cache.GetAsync("k")).SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public async Task Clear_all_during_a_background_refresh_wins()
    {
        using var f = new CacheFixture(o => o.DefaultTtl = TimeSpan.FromSeconds(10));
        f.Store.Set("k", "old");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(9));
        f.Store.Block();
        await f.Cache.GetAsync("k"); // starts the refresh-ahead
        await f.Store.WaitForCallsAsync(2);

        f.Cache.Clear();
        f.Store.Release();
        await f.IdleAsync();

        Assert.Equal(0, f.Cache.GetStats().TotalCacheEntries);
    }

    [Fact]
    public async Task Clear_of_one_secret_forgets_all_its_stages_and_keeps_others()
    {
        using var f = new CacheFixture();
        f.Store.Set("a", "1");
        f.Store.Set("a", "2");
        f.Store.Set("b", "3");
        await f.Cache.GetAsync("a");
        await f.Cache.GetAsync("a", new SecretReadOptions { VersionStage = SecretRequest.PreviousStage });
        await f.Cache.GetAsync("b");

        f.Cache.Clear("a");

        Assert.Equal(1, f.Cache.GetStats().TotalCacheEntries);
        await f.Cache.GetAsync("b");
        Assert.Equal(3, f.Store.GetCalls);
    }

    [Fact]
    public async Task The_size_bound_holds_and_the_least_recently_used_entry_goes()
    {
        using var f = new CacheFixture(o => o.MaxEntries = 3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            f.Store.Set(id, id);
        }

        foreach (var id in new[] { "a", "b", "c" })
        {
            await f.Cache.GetAsync(id);
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await f.Cache.GetAsync("a"); // a is now more recent than b
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Cache.GetAsync("d");

        Assert.Equal(3, f.Cache.GetStats().TotalCacheEntries);
        var calls = f.Store.GetCalls;
        await f.Cache.GetAsync("a");
        await f.Cache.GetAsync("c");
        await f.Cache.GetAsync("d");
        Assert.Equal(calls, f.Store.GetCalls);
        await f.Cache.GetAsync("b");
        Assert.Equal(calls + 1, f.Store.GetCalls);
    }

    [Fact]
    public async Task Eviction_skips_an_entry_whose_fetch_is_in_flight()
    {
        using var f = new CacheFixture(o => o.MaxEntries = 2);
        f.Store.Set("inflight", "x");
        f.Store.Set("a", "a");
        f.Store.Set("c", "c");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Store.BeforeAnswer = (r, ct) => r.SecretId == "inflight" ? hold.Task.WaitAsync(ct) : Task.CompletedTask;

        var pending = f.Cache.GetAsync("inflight").AsTask(); // oldest entry, but in flight
        await f.Store.WaitForCallsAsync(1);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Cache.GetAsync("a");
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Cache.GetAsync("c");
        hold.SetResult();
        await pending;

        var stats = f.Cache.GetStats();
        Assert.Equal(2, stats.TotalCacheEntries);
        var calls = f.Store.GetCalls;
        await f.Cache.GetAsync("inflight");
        await f.Cache.GetAsync("c");
        Assert.Equal(calls, f.Store.GetCalls);
    }
}
