using Secretary.Testing;

namespace Secretary.Tests;

public sealed class SingleFlightTests
{
    [Fact]
    public async Task A_thousand_concurrent_misses_on_one_key_make_one_store_call()
    {
        using var f = new CacheFixture();
        f.Store.Set("db", "v1");
        f.Store.Block();

        var asked = 0;
        var allAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readers = Enumerable.Range(0, 1000).Select(_ => Task.Run(() =>
        {
            var read = f.Cache.GetAsync("db").AsTask(); // the miss is counted before GetAsync returns
            if (Interlocked.Increment(ref asked) == 1000)
            {
                allAsked.SetResult();
            }

            return read;
        })).ToArray();
        await allAsked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1000, f.Cache.GetStats().Misses);
        f.Store.Release();
        var secrets = await Task.WhenAll(readers);

        Assert.All(secrets, s => Assert.Equal("v1", s.SecretString));
        Assert.Equal(1, f.Store.GetCalls);
        Assert.Equal(1, f.Cache.GetStats().BackendCalls);
    }

    [Fact]
    public async Task A_slow_miss_on_one_key_does_not_delay_a_miss_on_another()
    {
        using var f = new CacheFixture();
        f.Store.Set("slow", "a");
        f.Store.Set("fast", "b");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Store.BeforeAnswer = (request, ct) => request.SecretId == "slow" ? hold.Task.WaitAsync(ct) : Task.CompletedTask;

        var slow = f.Cache.GetAsync("slow").AsTask();
        await f.Store.WaitForCallsAsync(1);
        var fast = await f.Cache.GetAsync("fast");

        Assert.Equal("b", fast.SecretString);
        Assert.False(slow.IsCompleted);
        hold.SetResult();
        Assert.Equal("a", (await slow).SecretString);
    }

    [Fact]
    public async Task A_hit_completes_synchronously_with_the_cached_value()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v");
        await f.Cache.GetAsync("k");

        var hit = f.Cache.GetAsync("k");

        Assert.True(hit.IsCompletedSuccessfully);
        Assert.Equal("v", hit.Result.SecretString);
        Assert.Equal(1, f.Store.GetCalls);
        var stats = f.Cache.GetStats();
        Assert.Equal(1, stats.Hits);
        Assert.Equal(1, stats.Misses);
    }

    [Fact]
    public async Task Refresh_ahead_starts_exactly_one_background_refresh_and_no_reader_waits()
    {
        using var f = new CacheFixture(o =>
        {
            o.DefaultTtl = TimeSpan.FromSeconds(100);
            o.RefreshAhead = 0.8;
        });
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(81));
        f.Store.Set("k", "v2");
        f.Store.Block();
        var changed = new TaskCompletionSource<SecretVersionChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Cache.VersionChanged += (_, e) => changed.TrySetResult(e);

        for (var i = 0; i < 100; i++)
        {
            var read = f.Cache.GetAsync("k");
            Assert.True(read.IsCompletedSuccessfully, "a reader waited for the refresh");
            Assert.Equal("v1", read.Result.SecretString);
        }

        await f.Store.WaitForCallsAsync(2);
        Assert.Equal(2, f.Store.GetCalls);
        f.Store.Release();
        var e = await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("k", e.Request.SecretId);
        Assert.Equal("v2", (await f.Cache.GetAsync("k")).SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public async Task Before_refresh_ahead_no_store_call_is_made()
    {
        using var f = new CacheFixture(o => o.DefaultTtl = TimeSpan.FromSeconds(100));
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(79));

        await f.Cache.GetAsync("k");
        await f.IdleAsync();

        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task Per_call_ttl_is_checked_against_the_callers_ttl()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(61));
        f.Store.Set("k", "v2");

        var shortTtl = await f.Cache.GetAsync("k", new SecretReadOptions { Ttl = TimeSpan.FromSeconds(60) });

        Assert.Equal("v2", shortTtl.SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public async Task Per_secret_ttl_from_options_applies()
    {
        using var f = new CacheFixture(o => o.SecretTtls["short"] = TimeSpan.FromSeconds(10));
        f.Store.Set("short", "v1");
        f.Store.Set("long", "v1");
        await f.Cache.GetAsync("short");
        await f.Cache.GetAsync("long");
        f.Store.Set("short", "v2");
        f.Store.Set("long", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(11));

        Assert.Equal("v2", (await f.Cache.GetAsync("short")).SecretString);
        Assert.Equal("v1", (await f.Cache.GetAsync("long")).SecretString);
    }

    [Fact]
    public async Task Stages_and_versions_are_separate_keys()
    {
        using var f = new CacheFixture();
        var v1 = f.Store.Set("k", "one");
        f.Store.Set("k", "two");

        var current = await f.Cache.GetAsync("k");
        var previous = await f.Cache.GetAsync("k", new SecretReadOptions { VersionStage = SecretRequest.PreviousStage });
        var byId = await f.Cache.GetAsync("k", new SecretReadOptions { VersionId = v1.VersionId });

        Assert.Equal("two", current.SecretString);
        Assert.Equal("one", previous.SecretString);
        Assert.Equal("one", byId.SecretString);
        Assert.Equal(3, f.Cache.GetStats().TotalCacheEntries);
        Assert.Equal(1, f.Cache.GetStats().CachedSecretsCount);
    }

    [Fact]
    public async Task A_store_that_answers_with_another_version_than_asked_is_not_believed()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v");
        var lying = new LyingStore(f.Store);
        using var cache = new SecretCache(lying, timeProvider: f.Time);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(
            () => cache.GetAsync("k", new SecretReadOptions { VersionId = "00000000-0000-0000-0000-000000000000" }).AsTask());

        Assert.Equal(StoreFailureReason.ServerError, error.Reason);
    }

    private sealed class LyingStore(FakeSecretStore inner) : ISecretStore
    {
        public string Kind => "lying";

        public Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default) =>
            inner.GetSecretAsync(request with { VersionId = null, VersionStage = null }, cancellationToken);
    }
}
