namespace Secretary.Tests;

public sealed class RefreshAndWarmTests
{
    [Fact]
    public async Task Refresh_reads_the_store_now_and_is_rate_limited()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Store.Set("k", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("v2", (await f.Cache.RefreshAsync("k")).SecretString);
        f.Store.Set("k", "v3");
        Assert.Equal("v2", (await f.Cache.RefreshAsync("k")).SecretString); // within 1 s: no store call
        Assert.Equal(2, f.Store.GetCalls);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("v3", (await f.Cache.RefreshAsync("k")).SecretString);
        Assert.Equal(3, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_failed_refresh_throws_and_keeps_the_cached_value()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(2));
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network);

        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.RefreshAsync("k"));

        var hit = f.Cache.GetAsync("k");
        Assert.True(hit.IsCompletedSuccessfully);
        Assert.Equal("v1", hit.Result.SecretString);
    }

    [Fact]
    public async Task A_rate_limited_refresh_after_a_failure_repeats_the_error_instead_of_an_old_value()
    {
        using var f = new CacheFixture(o => o.MaxStale = TimeSpan.FromMinutes(5));
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromMinutes(10));
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network);

        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.GetAsync("k").AsTask());
        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.RefreshAsync("k")); // within 1 s: no store call

        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_refresh_right_after_warm_up_reads_the_store()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.WarmAsync(["k"]);
        f.Store.Set("k", "v2");

        Assert.Equal("v2", (await f.Cache.RefreshAsync("k")).SecretString);
        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task Warming_a_hundred_secrets_costs_five_batch_calls()
    {
        using var f = new CacheFixture();
        var ids = Enumerable.Range(0, 100).Select(i => $"app/secret-{i:000}").ToList();
        foreach (var id in ids)
        {
            f.Store.Set(id, $$"""{"n":"{{id}}","k2":"x"}""");
        }

        var report = await f.Cache.WarmAsync(ids);

        Assert.Equal(5, f.Store.BatchCalls);
        Assert.Equal(0, f.Store.GetCalls);
        Assert.Equal(100, report.TotalSecrets);
        Assert.Equal(100, report.Successful);
        Assert.Equal(5, report.StoreCalls);
        Assert.All(report.Details, d => Assert.Equal(2, d.KeysCount));
        foreach (var id in ids)
        {
            Assert.True(f.Cache.GetAsync(id).IsCompletedSuccessfully);
        }

        Assert.Equal(0, f.Store.GetCalls);
    }

    [Fact]
    public async Task Missing_ids_are_reported_and_the_rest_cached_with_their_ttls()
    {
        using var f = new CacheFixture();
        f.Store.Set("a", "plain");
        f.Store.Set("b", """{"x":1}""");

        var report = await f.Cache.WarmAsync(["a", "missing", "b"], new Dictionary<string, TimeSpan> { ["a"] = TimeSpan.FromSeconds(30) });

        Assert.Equal(3, report.TotalSecrets);
        Assert.Equal(2, report.Successful);
        Assert.Equal(1, report.Failed);
        var details = report.Details.ToDictionary(d => d.SecretName);
        Assert.Equal("success", details["a"].Status);
        Assert.Equal(30, details["a"].Ttl);
        Assert.Null(details["a"].KeysCount);
        Assert.Equal(300, details["b"].Ttl);
        Assert.Equal(1, details["b"].KeysCount);
        Assert.Equal("failed", details["missing"].Status);
        Assert.StartsWith("NotFound:", details["missing"].Error, StringComparison.Ordinal);

        await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("missing").AsTask());
        Assert.Equal(0, f.Store.GetCalls); // "missing" was remembered as not found
        f.Store.Set("a", "changed");
        f.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("changed", (await f.Cache.GetAsync("a")).SecretString);
        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_failing_batch_reports_every_id_as_failed()
    {
        using var f = new CacheFixture();
        f.Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Throttled);

        var report = await f.Cache.WarmAsync(["a", "b"]);

        Assert.Equal(2, report.Failed);
        Assert.All(report.Details, d => Assert.StartsWith("StoreUnavailable:", d.Error, StringComparison.Ordinal));
        Assert.Equal(1, f.Cache.GetStats().BackendErrors);
    }

    [Fact]
    public async Task The_report_serialises_in_the_specifications_shape()
    {
        using var f = new CacheFixture();
        f.Store.Set("a", "1");

        var json = (await f.Cache.WarmAsync(["a"])).ToJson();

        Assert.Contains("\"total_secrets\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"secret_name\": \"a\"", json, StringComparison.Ordinal);
        Assert.Contains("\"duration_seconds\"", json, StringComparison.Ordinal);
    }
}
