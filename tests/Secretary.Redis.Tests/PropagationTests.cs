using Xunit.Abstractions;

namespace Secretary.Redis.Tests;

/// <summary>Three instances (own store, cache with TTL 300 s, backplane) over one emulator and one real redis-server.</summary>
public sealed class PropagationTests(ITestOutputHelper output)
{
    private const string Id = "app/db";

    private static async Task<string> SeedAsync(Fleet fleet, string id = Id, string value = "{\"password\":\"one\"}")
    {
        var version = fleet.Emulator.PutSecret(id, value);
        foreach (var instance in fleet.Instances)
        {
            Assert.Equal(version, (await instance.Cache.GetAsync(id)).VersionId);
        }

        return version;
    }

    [Fact]
    public async Task A_rotation_noticed_by_one_instance_reaches_every_instance_with_one_store_read_each()
    {
        await using var fleet = await Fleet.StartAsync();
        await SeedAsync(fleet);
        Assert.All(fleet.Instances, i => Assert.Equal("connected", i.Cache.GetStats().Backplane));

        var v2 = fleet.Emulator.RotateSecret(Id);
        var before = fleet.StoreReads;
        await fleet.Instances[0].Cache.RefreshAsync(Id);
        var took = await fleet.WaitForVersionEverywhereAsync(Id, v2);
        output.WriteLine($"rotation reached 3 instances {took.TotalMilliseconds:0} ms after the first noticed it");

        Assert.Equal(before + 3, fleet.StoreReads);
        Assert.Equal(1, fleet.Instances[0].Backplane.Metrics.PublishedOk);
        Assert.All(fleet.Instances.Skip(1), i => Assert.Equal(1, i.Backplane.Metrics.Refreshed));
        Assert.All(fleet.Instances.Skip(1), i => Assert.Equal(0, i.Backplane.Metrics.PublishedOk)); // a remote-triggered change is not announced again
    }

    [Fact]
    public async Task Duplicate_stale_and_out_of_order_messages_make_no_store_call()
    {
        await using var fleet = await Fleet.StartAsync();
        var v1 = await SeedAsync(fleet);
        var seededAt = DateTimeOffset.UtcNow;
        var v2 = fleet.Emulator.PutSecret(Id, "{\"password\":\"two\"}");
        await fleet.Instances[0].Cache.RefreshAsync(Id);
        await fleet.WaitForVersionEverywhereAsync(Id, v2);
        fleet.Emulator.PutSecret("app/other", "x");
        foreach (var instance in fleet.Instances)
        {
            await instance.Cache.GetAsync("app/other");
        }

        var before = fleet.StoreReads;
        var options = new RedisBackplaneOptions { Configuration = fleet.Redis.Configuration };
        var now = DateTimeOffset.UtcNow;
        await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage(Id, v2, null, "test", now));                      // duplicate: v2 is held
        await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage(Id, v2, "AWSCURRENT", "test", now));              // again
        await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage(Id, v1, null, "test", seededAt.AddMinutes(-1)));  // late, older version
        await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage(Id, null, null, "test", seededAt.AddMinutes(-1))); // late, no version
        await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage("not/cached", "v9", null, "test", now));          // nothing cached
        await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage(Id, "v9", "AWSPREVIOUS", "test", now));          // a stage nobody caches

        // A barrier: messages are handled in order, so once this one is handled everywhere, so were the others.
        var sentinel = fleet.Emulator.PutSecret("app/other", "y");
        Assert.Equal(3, await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage("app/other", sentinel, null, "test", DateTimeOffset.UtcNow)));
        await fleet.WaitForVersionEverywhereAsync("app/other", sentinel);

        Assert.Equal(before + 3, fleet.StoreReads); // the sentinel's refreshes, nothing else
        Assert.All(fleet.Instances, i => Assert.Equal(6, i.Backplane.Metrics.Ignored));
    }

    [Fact]
    public async Task Secretary_invalidate_reaches_every_instance()
    {
        await using var fleet = await Fleet.StartAsync();
        await SeedAsync(fleet);
        var v2 = fleet.Emulator.PutSecret(Id, "{\"password\":\"two\"}"); // changed behind every instance's back

        var result = await ProcessRunner.RunCliAsync(["invalidate", Id, "--redis", fleet.Redis.Configuration]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("3 receivers", result.Stdout, StringComparison.Ordinal);
        var took = await fleet.WaitForVersionEverywhereAsync(Id, v2);
        output.WriteLine($"invalidate reached 3 instances {took.TotalMilliseconds:0} ms after the CLI exited");

        Assert.All(fleet.Instances, i => Assert.Equal(1, i.Backplane.Metrics.Refreshed));
    }

    [Fact]
    public async Task Secretary_invalidate_with_a_version_id_a_stage_and_a_prefix()
    {
        await using var fleet = await Fleet.StartAsync(configure: o => o.ChannelPrefix = "staging:");
        var v1 = await SeedAsync(fleet);

        var held = await ProcessRunner.RunCliAsync(["invalidate", Id, "--redis", fleet.Redis.Configuration, "--channel-prefix", "staging:", "--version-id", v1, "--stage", "AWSCURRENT"]);
        Assert.True(held.ExitCode == 0, held.Stderr);
        Assert.Contains("3 receivers", held.Stdout, StringComparison.Ordinal);
        var otherEnvironment = await ProcessRunner.RunCliAsync(["invalidate", Id, "--redis", fleet.Redis.Configuration, "--channel-prefix", "prod:"]);
        Assert.True(otherEnvironment.ExitCode == 0, otherEnvironment.Stderr);
        Assert.Contains("0 receivers", otherEnvironment.Stdout, StringComparison.Ordinal);

        await Fleet.EventuallyAsync(() => fleet.Instances.All(i => i.Backplane.Metrics.Ignored == 1), "the duplicate is ignored everywhere");
        Assert.All(fleet.Instances, i => Assert.Equal(0, i.Backplane.Metrics.Refreshed));
    }

    [Fact]
    public async Task Secretary_invalidate_fails_in_one_line_with_exit_code_9_when_redis_is_unreachable()
    {
        var port = RedisServer.FreePort();

        var result = await ProcessRunner.RunCliAsync(["invalidate", Id, "--redis", $"127.0.0.1:{port}"]);

        Assert.Equal(9, result.ExitCode); // as docs/fleet.md says
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("unreachable", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\u0001id")]
    public async Task Secretary_invalidate_refuses_a_malformed_id_with_exit_code_2(string id)
    {
        await using var redis = await RedisServer.StartAsync();

        var result = await ProcessRunner.RunCliAsync(["invalidate", id, "--redis", redis.Configuration]);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_killed_the_fleet_keeps_serving_and_recovers_when_it_comes_back()
    {
        await using var fleet = await Fleet.StartAsync();
        await SeedAsync(fleet);

        await fleet.Redis.KillAsync();
        await Fleet.EventuallyAsync(() => fleet.Instances.All(i => i.Cache.GetStats().Backplane == "disconnected"), "every backplane says disconnected");
        foreach (var instance in fleet.Instances)
        {
            var read = instance.Cache.GetAsync(Id);
            Assert.True(read.IsCompletedSuccessfully); // served from memory, nothing waits on Redis
        }

        // A rotation during the outage: the noticing instance refreshes, its publish fails fast, the others keep their value (TTL covers it).
        var before = (await fleet.Instances[1].Cache.GetAsync(Id)).VersionId;
        var lost = fleet.Emulator.PutSecret(Id, "{\"password\":\"during-outage\"}");
        Assert.Equal(lost, (await fleet.Instances[0].Cache.RefreshAsync(Id)).VersionId);
        await Fleet.EventuallyAsync(() => fleet.Instances[0].Backplane.Metrics.PublishFailed == 1, "the publish failed");
        Assert.Contains(fleet.Logs.GetSnapshot(), r => r.Id.Name == "BackplaneDisconnected");
        Assert.All(fleet.Instances.Skip(1), i => Assert.Equal(0, i.Backplane.Metrics.Received));
        foreach (var other in fleet.Instances.Skip(1))
        {
            var lookup = await other.Cache.LookupAsync(Id);
            Assert.Equal(before, lookup.Secret.VersionId); // the old value, fresh within its TTL: nothing reached it
            Assert.False(lookup.IsStale);
        }

        await fleet.Redis.RestartAsync();
        var recovered = await Fleet.EventuallyAsync(
            () => fleet.Instances.All(i => i.Cache.GetStats().Backplane == "connected"), "every backplane reconnects", TimeSpan.FromSeconds(30));
        output.WriteLine($"backplanes reconnected {recovered.TotalMilliseconds:0} ms after redis-server was back");

        var next = fleet.Emulator.RotateSecret(Id);
        await fleet.Instances[1].Cache.RefreshAsync(Id);
        var took = await fleet.WaitForVersionEverywhereAsync(Id, next);
        output.WriteLine($"the next rotation reached every instance in {took.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_backplane_started_while_redis_is_down_connects_when_it_appears()
    {
        await using var redis = RedisServer.NotStarted();
        await using var emulatorFleet = await Fleet.StartAsync(instances: 1); // its own redis; only the emulator is used here
        emulatorFleet.Emulator.PutSecret(Id, "one");
        var late = await emulatorFleet.StartInstanceAsync("late", o =>
        {
            o.Configuration = redis.Configuration;
            o.ConnectTimeout = TimeSpan.FromMilliseconds(500);
        });
        await using var lateInstance = late;

        Assert.Equal("disconnected", late.Cache.GetStats().Backplane);
        Assert.Equal("one", (await late.Cache.GetAsync(Id)).SecretString);

        await redis.RestartAsync();
        await Fleet.EventuallyAsync(() => late.Backplane.State == "connected", "the backplane connects", TimeSpan.FromSeconds(30));

        // After connecting, the backplane re-reads what the cache holds once; let it finish, so that the change below
        // can reach the cache only through the message.
        await Fleet.EventuallyAsync(() => late.Backplane.Metrics.Reconciled >= 1, "the reconnect re-read is done", TimeSpan.FromSeconds(30));

        // Once Redis counts this subscriber (a publish about a secret nobody holds reports one receiver), one message is enough.
        var probe = new SecretChangeMessage("nobody/holds/this", null, null, "test", DateTimeOffset.UtcNow);
        var options = new RedisBackplaneOptions { Configuration = redis.Configuration };
        await Fleet.EventuallyAsync(() => RedisBackplane.PublishOnceAsync(options, probe).GetAwaiter().GetResult() == 1, "the subscription is in place", TimeSpan.FromSeconds(30));
        var v2 = emulatorFleet.Emulator.PutSecret(Id, "two");
        Assert.Equal(1, await RedisBackplane.PublishOnceAsync(options, new SecretChangeMessage(Id, v2, null, "test", DateTimeOffset.UtcNow)));
        await Fleet.EventuallyAsync(() => late.Cache.GetAsync(Id).AsTask().GetAwaiter().GetResult().VersionId == v2, "the one message is acted on");
        Assert.Equal(1, late.Backplane.Metrics.Refreshed);
    }

    [Fact]
    public async Task A_channel_prefix_in_the_connection_string_separates_environments()
    {
        await using var fleet = await Fleet.StartAsync(instances: 2);
        await using var staging = await fleet.StartInstanceAsync("staging", o => o.Configuration = fleet.Redis.Configuration + ",channelPrefix=staging:");
        Assert.Equal("staging:secretary:changes", staging.Backplane.ChannelName);
        fleet.Emulator.PutSecret(Id, "one");
        await staging.Cache.GetAsync(Id);
        await SeedAsync(fleet);

        var v2 = fleet.Emulator.PutSecret(Id, "two");
        await staging.Cache.RefreshAsync(Id);
        var stagingReceivers = await RedisBackplane.PublishOnceAsync(
            new RedisBackplaneOptions { Configuration = fleet.Redis.Configuration, ChannelPrefix = "staging:" },
            new SecretChangeMessage(Id, v2, null, "test", DateTimeOffset.UtcNow));
        Assert.Equal(1, stagingReceivers);
        Assert.Equal(1, staging.Backplane.Metrics.PublishedOk);
        Assert.All(fleet.Instances, i => Assert.Equal(0, i.Backplane.Metrics.Received));
    }
}
