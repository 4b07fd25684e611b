namespace Secretary.Tests;

/// <summary>
/// The bounds hold at scale without walking the cache: eviction is CLOCK over two budgets, due
/// times come from a heap, stats from a ledger, Clear(id) and remote changes from an index.
/// </summary>
public sealed class EvictionAndScanTests
{
    [Fact]
    public async Task A_flood_of_unknown_ids_never_displaces_a_value()
    {
        using var f = new CacheFixture(o =>
        {
            o.MaxEntries = 10;
            o.MaxNegativeEntries = 16;
        });
        var good = Enumerable.Range(0, 10).Select(i => $"good/{i}").ToList();
        foreach (var id in good)
        {
            f.Store.Set(id, id);
            await f.Cache.GetAsync(id);
        }

        for (var i = 0; i < 10_000; i++)
        {
            Assert.Null(await f.Cache.TryGetAsync($"typo/{i}"));
        }

        var calls = f.Store.GetCalls;
        foreach (var id in good)
        {
            Assert.Equal(id, (await f.Cache.GetAsync(id)).SecretString);
        }

        var stats = f.Cache.GetStats();
        Assert.Equal(calls, f.Store.GetCalls);
        Assert.Equal(10, stats.TotalCacheEntries);
        Assert.InRange(stats.NegativeEntries, 1, 16);
        Assert.True(stats.Evictions >= 10_000 - 16);
    }

    [Fact]
    public async Task Values_past_the_budget_evict_the_ones_not_read_again()
    {
        using var f = new CacheFixture(o => o.MaxEntries = 100);
        for (var i = 0; i < 100; i++)
        {
            f.Store.Set($"hot/{i}", "h");
        }

        for (var i = 0; i < 100; i++)
        {
            await f.Cache.GetAsync($"hot/{i}");
        }

        for (var i = 0; i < 100; i++)
        {
            await f.Cache.GetAsync($"hot/{i}"); // read again: their reference bits are set
        }

        for (var i = 0; i < 5_000; i++)
        {
            f.Store.Set($"cold/{i}", "c");
            await f.Cache.GetAsync($"cold/{i}"); // read once each
        }

        var stats = f.Cache.GetStats();
        Assert.Equal(100, stats.TotalCacheEntries);
        Assert.Equal(5_000, stats.Evictions);
    }

    [Fact]
    public async Task No_read_stat_clear_remote_change_or_timer_walks_the_table()
    {
        using var f = new CacheFixture(o =>
        {
            o.MaxEntries = 1_000;
            o.DefaultTtl = TimeSpan.FromSeconds(60);
            o.RefreshAhead = 0.5;
        });
        for (var i = 0; i < 5_000; i++)
        {
            f.Store.Set($"s/{i}", "v");
            await f.Cache.GetAsync($"s/{i}"); // 4,000 evictions on the way
        }

        await f.Cache.WarmAsync(Enumerable.Range(0, 100).Select(i => $"s/{i}"));
        f.Cache.GetStats();
        f.Cache.Clear("s/4999");
        f.Cache.Clear("not-cached");
        f.Store.Set("s/4998", "v2");
        Assert.True(f.Cache.HandleRemoteChange("s/4998", null, null, f.Time.GetUtcNow().AddSeconds(1)));
        await f.IdleAsync();
        f.Time.Advance(TimeSpan.FromSeconds(31)); // past refresh-ahead: the due queue marks values, no scan
        await f.Cache.GetAsync("s/4997");
        await f.IdleAsync();
        f.Cache.GetStats();

        Assert.Equal(0, f.Cache.TableWalks);
        Assert.Equal(999, f.Cache.GetStats().TotalCacheEntries);

        f.Cache.Clear(); // the one operation that must see everything
        Assert.Equal(1, f.Cache.TableWalks);
    }

    [Fact]
    public async Task Clear_by_name_or_ARN_finds_the_entries_read_by_the_other_id()
    {
        using var f = new CacheFixture();
        var secret = f.Store.Set("app/db", "v1");
        await f.Cache.GetAsync("app/db");

        f.Cache.Clear(secret.Arn!);

        Assert.Equal(0, f.Cache.GetStats().TotalCacheEntries);
    }

    [Fact]
    public async Task The_due_queue_forgets_replaced_values()
    {
        using var f = new CacheFixture(o => o.DefaultTtl = TimeSpan.FromDays(30));
        f.Store.Set("k", "v");
        await f.Cache.GetAsync("k");
        for (var i = 0; i < 5_000; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(2));
            await f.Cache.RefreshAsync("k"); // each refresh replaces the value; the old one is garbage in the heap
        }

        Assert.InRange(f.Cache.DueQueueLength, 1, 2 * 1 + 1024 + 1);
    }
}
