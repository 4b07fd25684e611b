using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator;

namespace Secretary.Aws.Tests;

public sealed class RetryTests
{
    [Theory]
    [InlineData("ThrottlingException", RequestRetryMode.Standard)]
    [InlineData("ThrottlingException", RequestRetryMode.Adaptive)]
    [InlineData("InternalServiceError", RequestRetryMode.Standard)]
    [InlineData("InternalServiceError", RequestRetryMode.Adaptive)]
    [InlineData("ServiceUnavailable", RequestRetryMode.Standard)]
    public async Task A_burst_shorter_than_the_attempts_is_retried_through(string errorType, RequestRetryMode mode)
    {
        // Adaptive mode also slows the client down after throttling (a token bucket): give it time.
        await using var aws = await AwsTestSupport.StartAsync(o => (o.RetryMode, o.Timeout) = (mode, TimeSpan.FromSeconds(30)));
        aws.Emulator.PutSecret("s", "v");
        EmulatorBursts.SetBurst(aws.Emulator, "GetSecretValue", errorType, failures: 2);

        var secret = await aws.Store.GetSecretAsync(new SecretRequest("s"));

        Assert.Equal("v", secret.SecretString);
        var counts = aws.Emulator.GetRequestCounts();
        Assert.Equal(3, counts.For("GetSecretValue"));
        Assert.Equal(2, counts.Faulted);
    }

    [Fact]
    public async Task A_burst_as_long_as_the_attempts_fails_after_exactly_max_attempts()
    {
        await using var aws = await AwsTestSupport.StartAsync(o => o.MaxAttempts = 2);
        aws.Emulator.PutSecret("s", "v");
        EmulatorBursts.SetBurst(aws.Emulator, "GetSecretValue", "ThrottlingException", failures: 2);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => aws.Store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(StoreFailureReason.Throttled, error.Reason);
        Assert.Equal(2, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task More_attempts_ride_out_a_longer_burst()
    {
        await using var aws = await AwsTestSupport.StartAsync(o => o.MaxAttempts = 5);
        aws.Emulator.PutSecret("s", "v");
        EmulatorBursts.SetBurst(aws.Emulator, "BatchGetSecretValue", "InternalServiceError", failures: 4);

        var results = await aws.Store.GetSecretsAsync([new SecretRequest("s")]);

        Assert.Equal("v", results[0].Secret!.SecretString);
        Assert.Equal(5, aws.Emulator.GetRequestCounts().For("BatchGetSecretValue"));
    }

    [Fact]
    public async Task One_attempt_means_no_retry()
    {
        await using var aws = await AwsTestSupport.StartAsync(o => o.MaxAttempts = 1);
        aws.Emulator.PutSecret("s", "v");
        aws.Emulator.SetFaults(new EmulatorFaults { Outage = true });

        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => aws.Store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(1, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task A_full_outage_after_warm_up_serves_stale_values_with_store_calls_paced_by_the_backoff_and_recovers()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var ids = Enumerable.Range(0, 3).Select(i => $"app/s{i}").ToList();
        foreach (var id in ids)
        {
            aws.Emulator.PutSecret(id, "value-" + id);
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var options = new SecretCacheOptions { DefaultTtl = TimeSpan.FromSeconds(60), BackoffBase = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromMinutes(5), BackoffJitter = 0.2 };
        using var cache = new SecretCache(aws.Store, options, time);
        var report = await cache.WarmAsync(ids);
        Assert.Equal(3, report.Successful);

        aws.Emulator.SetFaults(new EmulatorFaults { Outage = true });
        aws.Emulator.ResetRequestCounts();
        time.Advance(TimeSpan.FromSeconds(60));
        var callsBefore = cache.GetStats().BackendCalls;

        // Three minutes of the cache's clock, every secret read every second: each is served stale throughout.
        var outage = TimeSpan.FromMinutes(3);
        for (var second = 0; second < outage.TotalSeconds; second++)
        {
            foreach (var id in ids)
            {
                var lookup = await cache.LookupAsync(id);
                Assert.Equal("value-" + id, lookup.Secret.SecretString);
                Assert.True(lookup.IsStale, $"{id} not stale at +{second} s of the outage");
            }

            await cache.IdleAsync();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // Per secret: one call at expiry, then one per backoff step (1 s, 2 s, 4 s ... ±20 %), noticed by the next read;
        // and, the store being down, one recovery probe per probe interval for the whole cache.
        var calls = cache.GetStats().BackendCalls - callsBefore;
        var least = BackoffBounds.MinAttempts(outage, options.BackoffBase, options.BackoffMax, options.BackoffJitter, TimeSpan.FromSeconds(1));
        var most = BackoffBounds.MaxAttempts(outage, options.BackoffBase, options.BackoffMax, options.BackoffJitter);
        var probes = BackoffBounds.MaxProbes(outage, options.RecoveryProbeInterval);
        Assert.InRange(calls, ids.Count * least, (ids.Count * most) + probes);
        Assert.Equal(ids.Count * (long)outage.TotalSeconds, cache.GetStats().StaleServed);

        // Each cache call is at most the SDK's 3 attempts (fewer once the SDK's retry quota runs low), nothing hidden.
        Assert.InRange(aws.Emulator.GetRequestCounts().For("GetSecretValue"), calls, 3 * calls);

        // The store comes back: within one backoff step every secret is fresh again.
        aws.Emulator.ClearFaults();
        var window = BackoffBounds.LongestWait(most, options.BackoffBase, options.BackoffMax, options.BackoffJitter) + TimeSpan.FromSeconds(1);
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        for (var waited = TimeSpan.Zero; waited <= window && fresh.Count < ids.Count; waited += TimeSpan.FromSeconds(1))
        {
            foreach (var id in ids)
            {
                await cache.LookupAsync(id);
            }

            await cache.IdleAsync();
            foreach (var id in ids)
            {
                if (!(await cache.LookupAsync(id)).IsStale)
                {
                    fresh.Add(id);
                }
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(ids, fresh.Order(StringComparer.Ordinal));
    }
}
