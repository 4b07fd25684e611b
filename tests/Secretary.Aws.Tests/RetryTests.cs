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
        AwsTestSupport.SetBurst(aws.Emulator, "GetSecretValue", errorType, failures: 2);

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
        AwsTestSupport.SetBurst(aws.Emulator, "GetSecretValue", "ThrottlingException", failures: 2);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => aws.Store.GetSecretAsync(new SecretRequest("s")));

        Assert.Equal(StoreFailureReason.Throttled, error.Reason);
        Assert.Equal(2, aws.Emulator.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task More_attempts_ride_out_a_longer_burst()
    {
        await using var aws = await AwsTestSupport.StartAsync(o => o.MaxAttempts = 5);
        aws.Emulator.PutSecret("s", "v");
        AwsTestSupport.SetBurst(aws.Emulator, "BatchGetSecretValue", "InternalServiceError", failures: 4);

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
    public async Task A_full_outage_after_warm_up_serves_stale_values_and_keeps_store_calls_bounded()
    {
        await using var aws = await AwsTestSupport.StartAsync();
        var ids = Enumerable.Range(0, 10).Select(i => $"app/s{i}").ToList();
        foreach (var id in ids)
        {
            aws.Emulator.PutSecret(id, "value-" + id);
        }

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var cache = new SecretCache(aws.Store, new SecretCacheOptions { DefaultTtl = TimeSpan.FromSeconds(60) }, time);
        var report = await cache.WarmAsync(ids);
        Assert.Equal(10, report.Successful);

        aws.Emulator.SetFaults(new EmulatorFaults { Outage = true });
        aws.Emulator.ResetRequestCounts();
        time.Advance(TimeSpan.FromSeconds(61));

        for (var round = 0; round < 5; round++)
        {
            foreach (var id in ids)
            {
                var lookup = await cache.LookupAsync(id);
                Assert.Equal("value-" + id, lookup.Secret.SecretString);
                Assert.True(lookup.IsStale);
            }
        }

        // One failed refresh per secret (3 SDK attempts each); the cache's backoff holds every other read.
        var calls = aws.Emulator.GetRequestCounts().Total;
        Assert.InRange(calls, 10, 30);
        Assert.Equal(50, cache.GetStats().StaleServed);
    }
}
