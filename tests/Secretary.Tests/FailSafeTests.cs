using Secretary.Testing;

namespace Secretary.Tests;

public sealed class FailSafeTests
{
    private static readonly Func<SecretRequest, Exception> Outage =
        r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, "503 from the store");

    [Fact]
    public async Task A_transient_failure_after_the_ttl_serves_the_last_value_flagged_stale()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Fault = Outage;

        var first = await f.Cache.LookupAsync("k");  // expired: asks the store, which fails
        var second = await f.Cache.LookupAsync("k"); // the first retry is the next read's: the store fails again
        var third = await f.Cache.LookupAsync("k");  // backing off: from memory, no call

        Assert.True(first.IsStale);
        Assert.Equal("v1", first.Secret.SecretString);
        Assert.True(second.IsStale);
        Assert.False(second.FromCache);
        Assert.True(third.IsStale);
        Assert.True(third.FromCache);
        Assert.Equal(TimeSpan.FromSeconds(301), first.Age);
        var stats = f.Cache.GetStats();
        Assert.Equal(3, stats.StaleServed);
        Assert.Equal(1, stats.StaleEntries);
        Assert.Equal(2, stats.BackendErrors);
        Assert.Equal(3, f.Store.GetCalls);
    }

    [Fact]
    public async Task Not_found_is_a_typed_error_and_is_not_masked_by_the_cached_value()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Store.Delete("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));

        var error = await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("k").AsTask());

        Assert.Equal(SecretErrorCategory.NotFound, error.Category);
        Assert.False(error.IsTransient);
        Assert.Equal(0, f.Cache.GetStats().TotalCacheEntries);
    }

    [Fact]
    public async Task Not_found_is_remembered_for_the_negative_ttl_then_asked_again()
    {
        using var f = new CacheFixture();

        await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("missing").AsTask());

        // A storm of concurrent readers during the 5 s: all answered from memory.
        var storm = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            try
            {
                await f.Cache.GetAsync("missing");
                return false;
            }
            catch (SecretNotFoundException)
            {
                return true;
            }
        })));
        Assert.All(storm, Assert.True);
        Assert.Equal(1, f.Store.GetCalls);

        f.Store.Set("missing", "now here");
        f.Time.Advance(TimeSpan.FromSeconds(4.9));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => f.Cache.GetAsync("missing").AsTask()); // still within 5 s
        Assert.Equal(1, f.Store.GetCalls);

        f.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("now here", (await f.Cache.GetAsync("missing")).SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Theory]
    [InlineData("access")]
    [InlineData("request")]
    [InlineData("parameter")]
    public async Task Permanent_errors_surface_typed_and_are_not_masked(string kind)
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Fault = r => kind switch
        {
            "access" => new SecretAccessDeniedException(r.SecretId),
            "request" => new SecretRequestException(r.SecretId, "marked for deletion"),
            _ => new SecretParameterException(r.SecretId),
        };

        var error = await Assert.ThrowsAnyAsync<SecretaryException>(() => f.Cache.GetAsync("k").AsTask());

        Assert.False(error.IsTransient);
        Assert.Equal(kind switch
        {
            "access" => SecretErrorCategory.AccessDenied,
            "request" => SecretErrorCategory.InvalidRequest,
            _ => SecretErrorCategory.InvalidParameter,
        }, error.Category);

        // The old value is dropped, not kept behind the error; the error is remembered (no second call) ...
        Assert.Equal(0, f.Cache.GetStats().TotalCacheEntries);
        await Assert.ThrowsAnyAsync<SecretaryException>(() => f.Cache.GetAsync("k").AsTask());
        Assert.Equal(2, f.Store.GetCalls);

        // ... for the negative TTL only; a stale read is never offered for it.
        f.Store.Fault = null;
        f.Time.Advance(TimeSpan.FromSeconds(5));
        var back = await f.Cache.LookupAsync("k");
        Assert.False(back.IsStale);
        Assert.Equal(3, f.Store.GetCalls);
    }

    [Fact]
    public async Task During_an_outage_store_calls_are_bounded_by_the_backoff()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(300));
        f.Store.Fault = Outage;
        var before = f.Store.GetCalls;

        for (var second = 0; second <= 600; second++)
        {
            var lookup = await f.Cache.LookupAsync("k");
            Assert.Equal("v1", lookup.Secret.SecretString);
            await f.IdleAsync();
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        // The secret's own retries — the next read's first, then 1 s base, x2, cap 5 min, ±20% jitter, read once a
        // second: 10 or 11 calls in 10 minutes — plus the outage probe: one call per 10 s once nothing has answered
        // for 10 s, 6 a minute at most.
        var probes = f.Cache.ProbeCount;
        var calls = f.Store.GetCalls - before;
        Assert.InRange(calls - probes, 10, 11);
        Assert.InRange(probes, 55, 60);
        Assert.Equal(601, f.Cache.GetStats().StaleServed);
        Assert.True(f.Cache.GetStats().StoreOutage);
    }

    [Fact]
    public async Task Without_a_cached_value_a_failing_store_is_not_called_again_before_the_retry_time()
    {
        using var f = new CacheFixture();
        f.Store.Fault = Outage;

        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.GetAsync("k").AsTask());
        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.GetAsync("k").AsTask());
        Assert.Equal(1, f.Store.GetCalls);

        f.Time.Advance(TimeSpan.FromSeconds(1.3));
        f.Store.Fault = null;
        f.Store.Set("k", "back");

        Assert.Equal("back", (await f.Cache.GetAsync("k")).SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public async Task Past_max_stale_the_error_is_thrown()
    {
        using var f = new CacheFixture(o =>
        {
            o.DefaultTtl = TimeSpan.FromSeconds(60);
            o.MaxStale = TimeSpan.FromMinutes(10);
        });
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Store.Fault = Outage;
        f.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.True((await f.Cache.LookupAsync("k")).IsStale);

        f.Time.Advance(TimeSpan.FromMinutes(10));

        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.GetAsync("k").AsTask());
    }

    [Fact]
    public async Task Recovery_after_the_outage_serves_fresh_values_again()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Fault = Outage;
        Assert.True((await f.Cache.LookupAsync("k")).IsStale);

        f.Store.Fault = null;
        f.Store.Set("k", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(1.3));
        await f.Cache.LookupAsync("k"); // starts the retry in the background
        await f.IdleAsync();
        var lookup = await f.Cache.LookupAsync("k");

        Assert.False(lookup.IsStale);
        Assert.Equal("v2", lookup.Secret.SecretString);
        Assert.Equal(0, f.Cache.GetStats().StaleEntries);
    }

    [Fact]
    public async Task When_the_store_answers_again_other_backing_off_secrets_retry_at_once()
    {
        using var f = new CacheFixture();
        f.Store.Set("a", "a1");
        f.Store.Set("b", "b1");
        await f.Cache.GetAsync("a");
        await f.Cache.GetAsync("b");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Fault = Outage;
        for (var second = 0; second < 600; second++)
        {
            await f.Cache.LookupAsync("a");
            await f.IdleAsync();
            f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await f.IdleAsync(); // the last probe (fired by the last second's tick) fails too
        // b was not read during the outage, so it is not backing off.
        // a has backed off for minutes. The store comes back; the first answer (b's) ends the outage and
        // every failing secret is refreshed at once, in one batch call, instead of minutes later.
        Assert.True(f.Cache.GetStats().StoreOutage);
        f.Store.Fault = null;
        f.Store.Set("a", "a2");
        f.Store.Set("b", "b2");
        f.Time.Advance(TimeSpan.FromSeconds(2));
        var batchesBefore = f.Store.BatchCalls;
        await f.Cache.LookupAsync("b");
        await f.IdleAsync();
        Assert.Equal("b2", (await f.Cache.LookupAsync("b")).Secret.SecretString);
        var callsBefore = f.Store.GetCalls;

        var a = await f.Cache.LookupAsync("a");

        Assert.False(a.IsStale);
        Assert.Equal("a2", a.Secret.SecretString);
        Assert.Equal(callsBefore, f.Store.GetCalls);
        Assert.Equal(batchesBefore + 1, f.Store.BatchCalls);
        Assert.False(f.Cache.GetStats().StoreOutage);
    }

    [Fact]
    public async Task A_hung_store_call_is_cut_by_the_timeout_and_releases_every_waiter()
    {
        using var f = new CacheFixture(o => o.StoreTimeout = TimeSpan.FromSeconds(2));
        f.Store.Hang = true;
        f.Store.IgnoreCancellation = true;

        var waiters = Enumerable.Range(0, 50).Select(_ => f.Cache.GetAsync("k").AsTask()).ToArray();
        await f.Store.WaitForCallsAsync(1);
        f.Time.Advance(TimeSpan.FromSeconds(2));

        foreach (var waiter in waiters)
        {
            var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(StoreFailureReason.Timeout, error.Reason);
        }

        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_hung_refresh_after_the_ttl_falls_back_to_the_stale_value()
    {
        using var f = new CacheFixture(o => o.StoreTimeout = TimeSpan.FromSeconds(2));
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        f.Time.Advance(TimeSpan.FromSeconds(301));
        f.Store.Hang = true;

        var pending = f.Cache.LookupAsync("k").AsTask();
        await f.Store.WaitForCallsAsync(2);
        f.Time.Advance(TimeSpan.FromSeconds(2));
        var lookup = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(lookup.IsStale);
        Assert.Equal("v1", lookup.Secret.SecretString);
    }

    [Fact]
    public async Task An_unexpected_store_exception_becomes_a_transient_typed_error()
    {
        using var f = new CacheFixture();
        f.Store.Fault = _ => new InvalidCastException("boom " + Canary.Value);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => f.Cache.GetAsync("k").AsTask());

        Assert.Equal(StoreFailureReason.ServerError, error.Reason);
        Assert.Contains("InvalidCastException", error.Message, StringComparison.Ordinal);
        Canary.AssertAbsent([error.Message]);
    }

    [Fact]
    public async Task Caller_cancellation_does_not_cancel_the_shared_fetch()
    {
        using var f = new CacheFixture();
        f.Store.Set("k", "v");
        f.Store.Block();
        using var cts = new CancellationTokenSource();

        var cancelled = f.Cache.GetAsync("k", cancellationToken: cts.Token).AsTask();
        var patient = f.Cache.GetAsync("k").AsTask();
        await f.Store.WaitForCallsAsync(1);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        f.Store.Release();

        Assert.Equal("v", (await patient).SecretString);
        Assert.Equal(1, f.Store.GetCalls);
    }
}
