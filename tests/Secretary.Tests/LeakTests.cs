using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Secretary.Testing;

namespace Secretary.Tests;

/// <summary>Canary values go through every path; none may show in logs, errors, stats or reports.</summary>
public sealed class LeakTests
{
    [Fact]
    public async Task Canary_values_never_reach_logs_errors_stats_or_reports()
    {
        using var f = new CacheFixture(o => o.DefaultTtl = TimeSpan.FromSeconds(10));
        using var storeCalls = new MetricCollector<long>(f.Meters, "Secretary", "secretary.store.calls");
        f.Store.Set("json", Canary.Json);
        f.Store.Set("plain", Canary.Value);
        f.Store.Set("broken", Canary.BrokenJson);
        var texts = new List<string?>();

        await f.Cache.GetAsync("json");
        await f.Cache.GetAsync("plain");
        texts.Add((await f.Cache.WarmAsync(["json", "plain", "broken", "missing"])).ToJson());
        texts.Add((await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetValueAsync("broken", "password").AsTask())).ToString());
        texts.Add((await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetValueAsync("plain", "password").AsTask())).ToString());
        texts.Add((await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetValueAsync("json", "nope").AsTask())).ToString());
        texts.Add((await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("missing").AsTask())).ToString());

        f.Store.Set("json", Canary.Json.Replace("app", "app2", StringComparison.Ordinal));
        f.Time.Advance(TimeSpan.FromSeconds(9));
        await f.Cache.GetAsync("json");
        await f.IdleAsync();
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError);
        f.Time.Advance(TimeSpan.FromSeconds(20));
        await f.Cache.LookupAsync("json");
        await f.Cache.LookupAsync("plain");
        f.Cache.Clear("json");
        f.Cache.Clear();

        texts.Add(f.Cache.GetStats().ToJson());
        texts.AddRange(f.LogLines);
        texts.AddRange(storeCalls.GetMeasurementSnapshot().SelectMany(m => m.Tags.Select(t => $"{t.Key}={t.Value}")));

        Assert.NotEmpty(f.LogLines);
        Assert.NotEmpty(storeCalls.GetMeasurementSnapshot());
        Canary.AssertAbsent(texts);
    }

    [Fact]
    public void The_canary_check_itself_catches_a_leak()
    {
        Assert.ThrowsAny<Exception>(() => Canary.AssertAbsent(["log line with " + Canary.Value]));
    }
}
