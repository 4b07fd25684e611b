namespace Secretary.Tests;

public sealed class RemoteChangeTests
{
    [Fact]
    public async Task A_new_version_seen_elsewhere_refreshes_once_in_the_background()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        var v2 = f.Store.Set("k", "v2");
        var changed = new TaskCompletionSource<SecretVersionChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Cache.VersionChanged += (_, e) => changed.TrySetResult(e);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(f.Cache.HandleRemoteChange("k", null, v2.VersionId, f.Time.GetUtcNow()));
        var e = await changed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(e.RemoteTriggered);
        Assert.Equal(v2.VersionId, e.VersionId);
        Assert.Equal("v2", (await f.Cache.GetAsync("k")).SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_change_seen_while_a_read_was_under_way_refreshes_after_it_even_when_the_read_ended_later()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        f.Store.Block();
        var read = f.Cache.GetAsync("k").AsTask(); // the store is asked now
        await f.Store.WaitForCallsAsync(1);
        f.Time.Advance(TimeSpan.FromMilliseconds(500));
        var observedAt = f.Time.GetUtcNow(); // the change is published elsewhere while the read is under way
        f.Time.Advance(TimeSpan.FromMilliseconds(500));
        f.Store.Release();
        Assert.Equal("v1", (await read).SecretString); // the store's answer predates the change
        var v2 = f.Store.Set("k", "v2");

        // The message is newer than the question, though older than the answer: the value may predate the change.
        Assert.True(f.Cache.HandleRemoteChange("k", null, v2.VersionId, observedAt));
        await f.IdleAsync();
        Assert.Equal("v2", (await f.Cache.GetAsync("k")).SecretString);
    }

    [Fact]
    public async Task Duplicate_and_stale_messages_make_no_store_call()
    {
        using var f = new CacheFixture();
        var v1 = f.Store.Set("k", "v1");
        var before = f.Time.GetUtcNow();
        f.Time.Advance(TimeSpan.FromSeconds(5));
        await f.Cache.GetAsync("k");

        Assert.False(f.Cache.HandleRemoteChange("k", null, v1.VersionId, f.Time.GetUtcNow())); // the version we hold
        Assert.False(f.Cache.HandleRemoteChange("k", null, "another-version", before));        // seen before our read
        Assert.False(f.Cache.HandleRemoteChange("not-cached", null, "x", f.Time.GetUtcNow()));  // nothing to refresh
        Assert.False(f.Cache.HandleRemoteChange("k", "AWSPREVIOUS", "x", f.Time.GetUtcNow())); // another stage
        await f.IdleAsync();

        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_message_during_a_refresh_joins_it()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Store.Set("k", "v2");
        f.Store.Block();
        f.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(f.Cache.HandleRemoteChange("k", null, null, f.Time.GetUtcNow()));
        await f.Store.WaitForCallsAsync(2);
        Assert.False(f.Cache.HandleRemoteChange("k", null, null, f.Time.GetUtcNow()));
        var read = f.Cache.GetAsync("k");
        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal("v1", read.Result.SecretString);
        f.Store.Release();
        await f.IdleAsync();

        Assert.Equal(2, f.Store.GetCalls);
        Assert.Equal("v2", (await f.Cache.GetAsync("k")).SecretString);
    }

    [Fact]
    public async Task A_flood_of_messages_costs_one_store_call_per_secret_per_interval_and_loses_no_change()
    {
        using var f = new CacheFixture();
        f.Store.Set("a", "a1");
        f.Store.Set("b", "b1");
        await f.Cache.GetAsync("a");
        await f.Cache.GetAsync("b");
        var before = f.Store.GetCalls;

        // 5 s of a flood: 2,000 messages a second for each of two secrets, every one claiming a new version.
        for (var tick = 0; tick < 50; tick++)
        {
            f.Time.Advance(TimeSpan.FromMilliseconds(100));
            for (var i = 0; i < 200; i++)
            {
                f.Cache.HandleRemoteChange("a", null, Guid.NewGuid().ToString(), f.Time.GetUtcNow());
                f.Cache.HandleRemoteChange("b", null, Guid.NewGuid().ToString(), f.Time.GetUtcNow());
            }

            await f.IdleAsync();
        }

        f.Store.Set("a", "a-last"); // the last change of the flood
        f.Cache.HandleRemoteChange("a", null, Guid.NewGuid().ToString(), f.Time.GetUtcNow());
        f.Time.Advance(TimeSpan.FromSeconds(1)); // the trailing refresh of the interval
        await f.IdleAsync();

        var calls = f.Store.GetCalls - before;
        Assert.InRange(calls, 10, 14); // at most one per secret per MinRefreshInterval (1 s), plus the trailing ones
        Assert.Equal("a-last", (await f.Cache.GetAsync("a")).SecretString);
        Assert.True(f.Cache.GetStats().RemoteChangesDropped > 0);
    }

    [Fact]
    public async Task A_message_from_the_future_is_ignored_and_counted()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");

        Assert.False(f.Cache.HandleRemoteChange("k", null, "v2", f.Time.GetUtcNow().AddHours(1)));
        await f.IdleAsync();

        Assert.Equal(1, f.Store.GetCalls);
        Assert.Equal(1, f.Cache.GetStats().RemoteChangesDropped);
        Assert.True(f.Cache.HandleRemoteChange("k", null, "v2", f.Time.GetUtcNow().AddMinutes(1))); // a small skew is believed
    }

    [Fact]
    public async Task A_message_by_ARN_refreshes_the_entry_read_by_name()
    {
        using var f = new CacheFixture();
        var v1 = f.Store.Set("app/db", "v1");
        await f.Cache.GetAsync("app/db");
        f.Store.Set("app/db", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(f.Cache.HandleRemoteChange(v1.Arn!, null, null, f.Time.GetUtcNow()));
        await f.IdleAsync();

        Assert.Equal("v2", (await f.Cache.GetAsync("app/db")).SecretString);
    }

    [Fact]
    public void The_backplane_state_shows_in_the_stats()
    {
        using var f = new CacheFixture();
        Assert.Null(f.Cache.GetStats().Backplane);

        f.Cache.Backplane = new StubBackplane();

        Assert.Equal("connected", f.Cache.GetStats().Backplane);
        Assert.Contains("\"backplane\": \"connected\"", f.Cache.GetStats().ToJson(), StringComparison.Ordinal);
    }

    private sealed class StubBackplane : ISecretBackplane
    {
        public string State => "connected";
    }
}
