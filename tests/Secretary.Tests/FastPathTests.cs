namespace Secretary.Tests;

/// <summary>
/// What a hit costs, as behaviour: no allocation on any hit form (per-call TTL included), none
/// for a remembered "not found" read through a fallback form; and about twelve store calls an
/// hour for a secret read continuously with a 300 s TTL, none of them waited for.
/// </summary>
public sealed class FastPathTests
{
    [Fact]
    public async Task Hits_allocate_nothing_with_or_without_a_per_call_TTL()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", """{"user":"app"}""");
        var ttl = new SecretReadOptions { Ttl = TimeSpan.FromMinutes(10) };
        await f.Cache.GetAsync("k");
        Warm(f.Cache, ttl);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var hits = Warm(f.Cache, ttl);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(5_000, hits);
        Assert.Equal(0, allocated);
        Assert.Equal(1, f.Store.GetCalls);

        static int Warm(SecretCache cache, SecretReadOptions ttl)
        {
            var hits = 0;
            for (var i = 0; i < 1_000; i++)
            {
                hits += cache.GetAsync("k").IsCompletedSuccessfully ? 1 : 0;
                hits += cache.GetAsync("k", ttl).IsCompletedSuccessfully ? 1 : 0;
                hits += cache.GetStringAsync("k").IsCompletedSuccessfully ? 1 : 0;
                hits += cache.GetValueAsync("k", "user").IsCompletedSuccessfully ? 1 : 0;
                hits += cache.TryGetAsync("k").IsCompletedSuccessfully ? 1 : 0;
            }

            return hits;
        }
    }

    [Fact]
    public async Task A_shorter_per_call_TTL_takes_the_checked_path_and_is_honoured()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Store.Set("k", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal("v1", (await f.Cache.GetAsync("k")).SecretString);                                                 // the entry's 300 s
        Assert.Equal("v2", (await f.Cache.GetAsync("k", new SecretReadOptions { Ttl = TimeSpan.FromSeconds(60) })).SecretString); // this caller's 60 s
    }

    [Fact]
    public async Task A_remembered_not_found_through_a_fallback_form_allocates_nothing()
    {
        using var f = new CacheFixture();
        Assert.Equal("fallback", await f.Cache.GetValueOrDefaultAsync("missing", "k", "fallback"));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var answers = 0;
        for (var i = 0; i < 1_000; i++)
        {
            answers += f.Cache.GetValueOrDefaultAsync("missing", "k", "fallback").Result is "fallback" ? 1 : 0;
            answers += f.Cache.GetStringOrDefaultAsync("missing", "fallback").Result is "fallback" ? 1 : 0;
            answers += f.Cache.TryGetAsync("missing").Result is null ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3_000, answers);
        Assert.Equal(0, allocated);
        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_secret_read_every_second_costs_at_most_13_calls_an_hour_and_no_reader_waits()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v");
        await f.Cache.GetAsync("k");
        var waited = 0;
        for (var second = 0; second < 3_600; second++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(1));
            waited += f.Cache.GetAsync("k").IsCompletedSuccessfully ? 0 : 1;
            await f.IdleAsync();
        }

        // TTL 300 s, lead max(1 s, 10 × p99 latency): one call per ~299 s, i.e. 12 an hour plus the first read.
        Assert.InRange(f.Store.GetCalls, 12, 13);
        Assert.Equal(0, waited);
    }

    [Fact]
    public async Task An_explicit_RefreshAhead_still_refreshes_at_that_fraction()
    {
        using var f = new CacheFixture(o => o.RefreshAhead = 0.5);
        f.Store.Set("k", "v");
        await f.Cache.GetAsync("k");

        f.Time.Advance(TimeSpan.FromSeconds(149));
        await f.Cache.GetAsync("k");
        await f.IdleAsync();
        Assert.Equal(1, f.Store.GetCalls);

        f.Time.Advance(TimeSpan.FromSeconds(2));
        await f.Cache.GetAsync("k");
        await f.IdleAsync();
        Assert.Equal(2, f.Store.GetCalls);
    }
}
