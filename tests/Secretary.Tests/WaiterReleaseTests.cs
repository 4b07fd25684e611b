using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Secretary.Testing;

namespace Secretary.Tests;

/// <summary>
/// Every waiter of a flight is released exactly once, with a value or a typed error, whatever
/// goes wrong around the store call: a TTL past the timer's limit, a throwing metrics listener
/// or logger, a store that lies, a synchronous store, a single-threaded caller.
/// </summary>
public sealed class WaiterReleaseTests
{
    [Fact]
    public async Task A_TTL_of_365_days_serves_the_first_readers_on_the_real_timer()
    {
        // .NET timers take at most about 49.7 days; a refresh time a year away must not throw inside the fetch.
        var store = new FakeSecretStore();
        store.Set("k", "v1");
        store.Set("w", "w1");
        using var cache = new SecretCache(store, new SecretCacheOptions { DefaultTtl = TimeSpan.FromDays(365), RefreshAhead = 0.8 });

        var read = cache.GetAsync("k").AsTask();
        var report = await cache.WarmAsync(["w"], new Dictionary<string, TimeSpan> { ["w"] = TimeSpan.FromDays(365) });

        Assert.Equal("v1", (await read.WaitAsync(TimeSpan.FromSeconds(30))).SecretString);
        Assert.Equal(1, report.Successful);
        Assert.Equal(0, cache.GetStats().RefreshesInFlight);
        Assert.True(cache.GetAsync("k").IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_TTL_of_365_days_goes_due_after_a_year_of_fake_time()
    {
        using var f = new CacheFixture(o => o.DefaultTtl = TimeSpan.FromDays(365));
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");

        f.Time.Advance(TimeSpan.FromDays(300));
        Assert.Equal("v1", (await f.Cache.GetAsync("k")).SecretString);
        Assert.Equal(1, f.Store.GetCalls);

        f.Store.Set("k", "v2");
        f.Time.Advance(TimeSpan.FromDays(65));
        Assert.Equal("v2", (await f.Cache.GetAsync("k")).SecretString);
        Assert.Equal(2, f.Store.GetCalls);
    }

    [Fact]
    public void A_store_timeout_past_the_timer_limit_is_refused_at_construction()
    {
        var error = Assert.Throws<ArgumentException>(() => new SecretCache(new FakeSecretStore(), new SecretCacheOptions { StoreTimeout = TimeSpan.FromDays(50) }));

        Assert.Contains("StoreTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throwing_metrics_listener_releases_every_waiter()
    {
        using var f = new CacheFixture();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == f.Meters)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) => throw new InvalidOperationException("listener"));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => throw new InvalidOperationException("listener"));
        listener.Start();
        f.Store.Set("k", "v1");
        f.Store.Block();

        var readers = Enumerable.Range(0, 20).Select(_ => f.Cache.GetAsync("k").AsTask()).ToArray();
        f.Store.Release();
        var secrets = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(secrets, s => Assert.Equal("v1", s.SecretString));
        Assert.Equal(0, f.Cache.GetStats().RefreshesInFlight);
        Assert.True(f.Cache.GetAsync("k").IsCompletedSuccessfully);
        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task A_throwing_logger_releases_waiters_with_the_typed_error_and_then_the_value()
    {
        var store = new FakeSecretStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var cache = new SecretCache(store, timeProvider: time, logger: new ThrowingLogger());
        store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.Network);

        var failed = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => cache.GetAsync("k").AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(StoreFailureReason.Network, failed.Reason);

        store.Fault = null;
        store.Set("k", "v1");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("v1", (await cache.GetAsync("k").AsTask().WaitAsync(TimeSpan.FromSeconds(30))).SecretString);

        store.Set("k", "v2"); // a version change logs, and raises the event
        time.Advance(TimeSpan.FromSeconds(301));
        await cache.GetAsync("k").AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        store.Delete("k"); // a permanent error logs too
        time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<SecretNotFoundException>(() => cache.RefreshAsync("k").WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, cache.GetStats().RefreshesInFlight);
    }

    [Fact]
    public async Task A_store_that_returns_null_is_a_transient_error_and_nothing_is_cached()
    {
        using var f = new CacheFixture();
        var store = new LyingStore(_ => null);
        using var cache = new SecretCache(store, timeProvider: f.Time);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => cache.GetAsync("k").AsTask());

        Assert.Contains("no secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.GetStats().TotalCacheEntries);
        Assert.False(cache.HandleRemoteChange("k", null, "v9", f.Time.GetUtcNow()));
        f.Time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => cache.GetAsync("k").AsTask());
        Assert.Equal(2, store.Calls); // not cached: asked again after the backoff
    }

    [Fact]
    public async Task A_store_that_answers_with_another_secret_is_refused()
    {
        using var f = new CacheFixture();
        var store = new LyingStore(_ => new Secret("other", "v1", "value-of-another-secret"));
        using var cache = new SecretCache(store, timeProvider: f.Time);

        var error = await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => cache.GetAsync("k").AsTask());

        Assert.Contains("another secret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("value-of-another-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, cache.GetStats().TotalCacheEntries);
    }

    [Theory]
    [InlineData("app/db")]
    [InlineData("arn:aws:secretsmanager:us-test-1:123456789012:secret:app/db-AbCdEf")]
    [InlineData("arn:aws:secretsmanager:us-test-1:123456789012:secret:app/db")]
    public async Task Names_full_ARNs_and_partial_ARNs_are_answers_for_the_secret(string id)
    {
        var store = new LyingStore(_ => new Secret("app/db", "v1", "x", arn: "arn:aws:secretsmanager:us-test-1:123456789012:secret:app/db-AbCdEf"));
        using var cache = new SecretCache(store);

        Assert.Equal("x", (await cache.GetAsync(id)).SecretString);
    }

    [Fact]
    public async Task A_synchronous_store_makes_one_call_per_burst_of_concurrent_misses()
    {
        var store = new LyingStore(r => new Secret(r.SecretId, "v1", "x"));
        using var cache = new SecretCache(store);
        const int bursts = 2000;
        using var barrier = new Barrier(4);
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(
            () =>
            {
                for (var burst = 0; burst < bursts; burst++)
                {
                    barrier.SignalAndWait();
                    cache.Get($"k{burst}");
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();

        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(bursts, store.Calls);
    }

    [Fact]
    public void A_synchronous_read_on_a_single_threaded_context_does_not_wait_for_the_store_timeout()
    {
        // The store awaits without ConfigureAwait(false); its continuation must not need the blocked context.
        var store = new YieldingStore();
        using var cache = new SecretCache(store, new SecretCacheOptions { StoreTimeout = TimeSpan.FromSeconds(20) });
        var previous = SynchronizationContext.Current;
        var context = new BlockedContext();
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            Assert.Equal("x", cache.GetString("k"));
            Assert.Equal("x", cache.Get("j").SecretString);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.Equal(0, context.Posts);
        Assert.Equal(0, cache.GetStats().BackendErrors);
    }

    /// <summary>A store that answers synchronously with whatever the test says, counting calls.</summary>
    private sealed class LyingStore(Func<SecretRequest, Secret?> answer) : ISecretStore
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Kind => "lying";

        public Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(answer(request)!);
        }
    }

    /// <summary>A store written carelessly: it resumes on whatever context it was called on.</summary>
    private sealed class YieldingStore : ISecretStore
    {
        public string Kind => "yielding";

        public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return new Secret(request.SecretId, "v1", "x");
        }
    }

    /// <summary>A UI-like context whose thread is blocked: what is posted to it never runs.</summary>
    private sealed class BlockedContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posts);

        public override void Send(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posts);
    }

    private sealed class ThrowingLogger : ILogger<SecretCache>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("logger");
    }
}
