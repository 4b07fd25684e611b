using System.Text;

namespace Secretary.Redis.Tests;

/// <summary>
/// What the backplane promises about messages it did not expect: its own are skipped, malformed and oversized ones
/// are counted and dropped (oversized ones unread, the warning rate-limited), the publish queue drops its oldest when
/// Redis stalls, and after a reconnect a change missed meanwhile is caught by one batched re-read.
/// </summary>
public sealed class BackplaneBoundsTests
{
    private const string Id = "app/db";

    private static Task<long> PublishRawAsync(Fleet fleet, string body) =>
        fleet.Redis.CliAsync("PUBLISH", "secretary:changes", body).ContinueWith(t => long.Parse(t.Result.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture), TaskScheduler.Default);

    private static string Message(string origin, string? padding = null) =>
        $"{{\"secretId\":\"{Id}\",\"versionId\":\"v-new\",\"origin\":\"{origin}\",\"observedAt\":\"{DateTimeOffset.UtcNow:O}\"{padding}}}";

    /// <summary>A fleet of one instance that caches <see cref="Id"/>.</summary>
    private static async Task<Fleet> OneInstanceCachingAsync()
    {
        var fleet = await Fleet.StartAsync(instances: 1);
        fleet.Emulator.PutSecret(Id, "one");
        await fleet.Instances[0].Cache.GetAsync(Id);
        return fleet;
    }

    // Observed now: the cache refuses a message from the future (a broken clock or a forged message).
    private static string Change(string versionId) =>
        $"{{\"secretId\":\"{Id}\",\"versionId\":\"{versionId}\",\"origin\":\"other\",\"observedAt\":\"{DateTimeOffset.UtcNow:O}\"}}";

    [Fact]
    public async Task Its_own_messages_are_skipped_without_a_store_call()
    {
        await using var fleet = await OneInstanceCachingAsync();
        var instance = fleet.Instances[0];
        var reads = fleet.StoreReads;

        Assert.Equal(1, await PublishRawAsync(fleet, Message(instance.Backplane.InstanceId)));
        await Fleet.EventuallyAsync(() => instance.Backplane.Metrics.Own == 1, "its own message is seen");

        Assert.Equal(0, instance.Backplane.Metrics.Refreshed);
        Assert.Equal(reads, fleet.StoreReads);
    }

    [Fact]
    public async Task Malformed_messages_are_counted_and_dropped_and_the_warning_is_rate_limited()
    {
        await using var fleet = await OneInstanceCachingAsync();
        var instance = fleet.Instances[0];
        var reads = fleet.StoreReads;

        for (var i = 0; i < 50; i++)
        {
            await PublishRawAsync(fleet, i % 2 == 0 ? "not json" : "{\"secretId\":\"\"}");
        }

        await Fleet.EventuallyAsync(() => instance.Backplane.Metrics.Malformed == 50, () => $"50 malformed counted ({instance.Backplane.Metrics.Malformed})");
        Assert.Equal(reads, fleet.StoreReads);
        Assert.InRange(fleet.Logs.GetSnapshot().Count(r => r.Id.Name == "BackplaneMalformed"), 1, 2);

        // Still listening: a good message after them is acted on.
        var v2 = fleet.Emulator.PutSecret(Id, "two");
        await PublishRawAsync(fleet, Change(v2));
        await Fleet.EventuallyAsync(() => instance.Backplane.Metrics.Refreshed == 1, "the good message refreshes");
    }

    [Fact]
    public async Task A_message_over_8_KB_is_dropped_unread_and_one_of_8_KB_is_handled()
    {
        await using var fleet = await OneInstanceCachingAsync();
        var instance = fleet.Instances[0];

        // JSON allows whitespace: the same message, padded to exactly the limit, and to one byte more.
        var bare = Message("other", ",\"pad\":\"\"");
        var atLimit = Message("other", ",\"pad\":\"" + new string('x', 8192 - Encoding.UTF8.GetByteCount(bare)) + "\"");
        Assert.Equal(8192, Encoding.UTF8.GetByteCount(atLimit));
        var overLimit = atLimit.Replace("\"pad\":\"", "\"pad\":\"x", StringComparison.Ordinal);

        await PublishRawAsync(fleet, overLimit);
        await Fleet.EventuallyAsync(() => instance.Backplane.Metrics.Malformed == 1, "the oversized message is dropped");
        await PublishRawAsync(fleet, atLimit);
        await Fleet.EventuallyAsync(() => instance.Backplane.Metrics.Refreshed + instance.Backplane.Metrics.Ignored == 1, "the message at the limit is handled");
        Assert.Equal(1, instance.Backplane.Metrics.Malformed);
    }

    [Fact]
    public async Task Twenty_megabyte_messages_are_dropped_and_the_backplane_keeps_working()
    {
        await using var fleet = await OneInstanceCachingAsync();
        var instance = fleet.Instances[0];
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, new string('x', 20 * 1024 * 1024));
            for (var i = 0; i < 10; i++)
            {
                var sent = await ProcessRunner.RunAsync("bash", ["-c", $"redis-cli -p {fleet.Redis.Port} -x PUBLISH secretary:changes < {file}"], timeout: TimeSpan.FromSeconds(60));
                Assert.True(sent.ExitCode == 0, sent.Stderr);
            }

            await Fleet.EventuallyAsync(() => instance.Backplane.Metrics.Malformed == 10, () => $"10 oversized dropped ({instance.Backplane.Metrics.Malformed})", TimeSpan.FromSeconds(60));
            var v2 = fleet.Emulator.PutSecret(Id, "two");
            await PublishRawAsync(fleet, Change(v2));
            await Fleet.EventuallyAsync(() => instance.Backplane.Metrics.Refreshed == 1, "a good message after them is acted on");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_1024_message_publish_queue_drops_the_oldest_while_redis_stalls()
    {
        await using var redis = await RedisServer.StartAsync();
        var store = new FakeSecretStore();
        store.Set(Id, "v0");
        using var cache = new SecretCache(store, new SecretCacheOptions { MinRefreshInterval = TimeSpan.Zero });
        await cache.GetAsync(Id);
        await using var backplane = await RedisBackplane.ConnectAsync(cache, new RedisBackplaneOptions { Configuration = redis.Configuration });
        Assert.Equal(1024, new RedisBackplaneOptions().MaxPendingPublishes);

        await redis.PauseAsync();
        try
        {
            const int Changes = 1100;
            for (var i = 1; i <= Changes; i++)
            {
                store.Set(Id, "v" + i);
                await cache.RefreshAsync(Id); // each finds a new version: one message to announce
            }

            // One message is with the stalled Redis, 1024 wait, the oldest of the rest were dropped.
            await Fleet.EventuallyAsync(() => backplane.Metrics.Dropped >= Changes - 1024 - 1, () => $"the oldest are dropped ({backplane.Metrics.Dropped})");
            Assert.InRange(backplane.Metrics.Dropped, Changes - 1024 - 1, Changes - 1024);
        }
        finally
        {
            await redis.ResumeAsync();
        }
    }

    [Fact]
    public async Task A_change_published_while_an_instance_was_disconnected_is_caught_by_one_batched_reread_on_reconnect()
    {
        await using var fleet = await Fleet.StartAsync(instances: 2, o => o.CachedSecrets = () => [Id, "app/other"]);
        var v1 = fleet.Emulator.PutSecret(Id, "one");
        fleet.Emulator.PutSecret("app/other", "other");
        foreach (var instance in fleet.Instances)
        {
            await instance.Cache.GetAsync(Id);
            await instance.Cache.GetAsync("app/other");
        }

        await fleet.Redis.KillAsync();
        await Fleet.EventuallyAsync(() => fleet.Instances.All(i => i.Backplane.State == "disconnected"), "both disconnected");
        var v2 = fleet.Emulator.RotateSecret(Id);
        Assert.Equal(v2, (await fleet.Instances[0].Cache.RefreshAsync(Id)).VersionId); // its announcement fails: Redis is down
        Assert.Equal(v1, (await fleet.Instances[1].Cache.GetAsync(Id)).VersionId);
        var batches = fleet.Emulator.GetRequestCounts().For("BatchGetSecretValue");

        await fleet.Redis.RestartAsync();
        await Fleet.EventuallyAsync(
            () => fleet.Instances[1].Cache.GetAsync(Id).AsTask().GetAwaiter().GetResult().VersionId == v2,
            "the missed rotation is caught after the reconnect, well before the 300 s TTL",
            TimeSpan.FromSeconds(30));
        await Fleet.EventuallyAsync(() => fleet.Instances.All(i => i.Backplane.Metrics.Reconciled == 2), "both instances re-read their two secrets");
        Assert.Equal(batches + 2, fleet.Emulator.GetRequestCounts().For("BatchGetSecretValue")); // one batch call per instance
    }
}
