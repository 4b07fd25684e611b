using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Secretary.Emulator;

namespace Secretary.Aws.Tests;

/// <summary>Two emulators as two regions: us-east-1 (primary) and us-west-2 (fallback, its own endpoint).</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private EmulatorServer _east = null!;
    private EmulatorServer _west = null!;
    private AwsSecretsManagerStore _store = null!;

    public async Task InitializeAsync()
    {
        _east = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, DefaultRegion = "us-east-1" });
        _west = await EmulatorServer.StartAsync(new EmulatorOptions { Port = 0, DefaultRegion = "us-west-2" });
        _east.PutSecret("app/db", "primary", "us-east-1");
        _west.PutSecret("app/db", "replica", "us-west-2");
        var options = AwsTestSupport.OptionsFor(_east);
        options.FallbackRegions.Add(new AwsFallbackRegion("us-west-2", _west.Endpoint.ToString()));
        options.TimeProvider = _time;
        options.RegionBackoff = TimeSpan.FromSeconds(30);
        _store = new AwsSecretsManagerStore(options, new FakeLogger<AwsSecretsManagerStore>(_logs));
    }

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _east.DisposeAsync();
        await _west.DisposeAsync();
    }

    [Fact]
    public async Task A_primary_outage_is_served_from_the_fallback_region()
    {
        Assert.Equal(["us-east-1", "us-west-2"], _store.Regions);
        Assert.Equal("primary", (await Read()).SecretString);
        _east.SetFaults(new EmulatorFaults { Outage = true });

        var secret = await Read();

        Assert.Equal("replica", secret.SecretString);
        Assert.Equal("us-west-2", _store.Region);
        Assert.Equal(1 + 3, _east.GetRequestCounts().For("GetSecretValue"));
        Assert.Equal(1, _west.GetRequestCounts().For("GetSecretValue"));
        Assert.Contains(_logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("served from us-west-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_region_is_skipped_until_its_backoff_passes_then_tried_first_again()
    {
        _east.SetFaults(new EmulatorFaults { Outage = true });
        await Read();
        await Read();
        Assert.Equal(3, _east.GetRequestCounts().For("GetSecretValue"));

        _east.ClearFaults();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("replica", (await Read()).SecretString);
        Assert.Equal(3, _east.GetRequestCounts().For("GetSecretValue"));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("primary", (await Read()).SecretString);
        Assert.Equal("us-east-1", _store.Region);
        Assert.Equal(3, _west.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task The_backoff_doubles_while_the_primary_keeps_failing()
    {
        _east.SetFaults(new EmulatorFaults { Outage = true });
        await Read();
        _time.Advance(TimeSpan.FromSeconds(30));
        await Read();
        Assert.Equal(6, _east.GetRequestCounts().For("GetSecretValue"));

        _time.Advance(TimeSpan.FromSeconds(59));
        await Read();
        Assert.Equal(6, _east.GetRequestCounts().For("GetSecretValue"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Read();
        Assert.Equal(9, _east.GetRequestCounts().For("GetSecretValue"));
    }

    [Fact]
    public async Task Not_found_in_the_primary_does_not_fail_over()
    {
        _west.PutSecret("only-west", "w", "us-west-2");

        await Assert.ThrowsAsync<SecretNotFoundException>(() => _store.GetSecretAsync(new SecretRequest("only-west")));

        Assert.Equal(0, _west.GetRequestCounts().Total);
        Assert.Equal("us-east-1", _store.Region);
    }

    [Theory]
    [InlineData("AccessDeniedException")]
    [InlineData("InvalidRequestException")]
    [InlineData("InvalidParameterException")]
    public async Task Permanent_errors_in_the_primary_do_not_fail_over(string errorType)
    {
        _east.SetFaults(new EmulatorFaults { ErrorRate = 1, ErrorType = errorType });

        var error = await Assert.ThrowsAnyAsync<SecretaryException>(() => Read());

        Assert.False(error.IsTransient);
        Assert.Equal(errorType, error.ErrorCode);
        Assert.Equal(0, _west.GetRequestCounts().Total);
    }

    [Theory]
    [InlineData("throttle")]
    [InlineData("drop")]
    public async Task Throttling_and_network_failures_fail_over(string fault)
    {
        _east.SetFaults(fault == "throttle" ? new EmulatorFaults { Throttle = true } : new EmulatorFaults { DropConnection = true });

        Assert.Equal("replica", (await Read()).SecretString);
    }

    [Fact]
    public async Task When_every_region_fails_the_last_transient_error_is_thrown()
    {
        _east.SetFaults(new EmulatorFaults { Outage = true });
        _west.SetFaults(new EmulatorFaults { Throttle = true });

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => Read());

        Assert.Equal(StoreFailureReason.Throttled, error.Reason);
    }

    [Fact]
    public async Task An_arn_is_rewritten_to_the_fallback_region()
    {
        var partialArn = $"arn:aws:secretsmanager:us-east-1:{AwsTestSupport.AccountId}:secret:app/db";
        Assert.Equal("primary", (await _store.GetSecretAsync(new SecretRequest(partialArn))).SecretString);
        _east.SetFaults(new EmulatorFaults { Outage = true });

        var secret = await _store.GetSecretAsync(new SecretRequest(partialArn));
        var batch = await _store.GetSecretsAsync([new SecretRequest(partialArn)]);

        Assert.Equal("replica", secret.SecretString);
        Assert.Contains(":us-west-2:", secret.Arn);
        Assert.Equal("replica", batch[0].Secret!.SecretString);
        Assert.Equal(partialArn, batch[0].Request.SecretId);
    }

    [Fact]
    public async Task Warm_up_fails_over_and_the_stats_show_the_serving_region()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"w/{i}").ToList();
        foreach (var id in ids)
        {
            _east.PutSecret(id, "e", "us-east-1");
            _west.PutSecret(id, "w", "us-west-2");
        }

        _east.SetFaults(new EmulatorFaults { Outage = true });
        using var cache = new SecretCache(_store);

        var report = await cache.WarmAsync(ids);

        Assert.Equal(30, report.Successful);
        Assert.Equal(2, _west.GetRequestCounts().For("BatchGetSecretValue"));
        Assert.InRange(_east.GetRequestCounts().For("BatchGetSecretValue"), 3, 6);
        Assert.Equal("us-west-2", cache.GetStats().Region);
    }

    private Task<Secret> Read() => _store.GetSecretAsync(new SecretRequest("app/db"));
}
