using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Secretary.Testing;

namespace Secretary.Tests;

/// <summary>The contract under misuse: Clear racing warm-up, reading a string as binary, throwing handlers, use after Dispose, bad text.</summary>
public sealed class MisuseTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Clear_during_warm_up_keeps_the_old_value_out(bool clearOne)
    {
        using var f = new CacheFixture();
        f.Store.Set("db", "old-password");
        f.Store.Block();
        var warming = f.Cache.WarmAsync(["db"]);
        await f.Store.WaitForCallsAsync(1); // the batch read of the old value is under way

        f.Store.Set("db", "new-password"); // the secret rotates
        if (clearOne)
        {
            f.Cache.Clear("db");
        }
        else
        {
            f.Cache.Clear();
        }

        f.Store.Release();
        await warming;

        Assert.Equal(0, f.Cache.GetStats().TotalCacheEntries);
        Assert.Equal("new-password", (await f.Cache.GetAsync("db")).SecretString);
        Assert.Equal(1, f.Store.GetCalls);
    }

    [Fact]
    public async Task Readers_that_arrive_during_warm_up_join_its_batch_call()
    {
        using var f = new CacheFixture();
        f.Store.Set("db", "v1");
        f.Store.Block();
        var warming = f.Cache.WarmAsync(["db"]);
        await f.Store.WaitForCallsAsync(1);

        var readers = Enumerable.Range(0, 10).Select(_ => f.Cache.GetAsync("db").AsTask()).ToArray();
        f.Store.Release();

        Assert.All(await Task.WhenAll(readers), s => Assert.Equal("v1", s.SecretString));
        Assert.Equal(1, (await warming).Successful);
        Assert.Equal(0, f.Store.GetCalls);
        Assert.Equal(1, f.Store.BatchCalls);
    }

    [Fact]
    public async Task A_string_secret_has_no_binary_value()
    {
        using var f = new CacheFixture();
        f.Store.Set("text", "v");

        var secret = await f.Cache.GetAsync("text");

        Assert.Null(secret.SecretBinary);
        Assert.False(secret.SecretBinary.HasValue);
        await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetBinaryAsync("text").AsTask());
    }

    [Fact]
    public async Task A_throwing_VersionChanged_handler_does_not_silence_the_others()
    {
        using var f = new CacheFixture();
        var second = new TaskCompletionSource<SecretVersionChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Cache.VersionChanged += (_, _) => throw new InvalidOperationException("first handler");
        f.Cache.VersionChanged += (_, e) => second.TrySetResult(e);
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");

        f.Store.Set("k", "v2");
        f.Time.Advance(TimeSpan.FromSeconds(2));
        await f.Cache.RefreshAsync("k");

        var changed = await second.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("k", changed.Request.SecretId);
    }

    [Fact]
    public async Task After_Dispose_every_API_throws_ObjectDisposedException()
    {
        var f = new CacheFixture();
        f.Store.Set("k", "v1");
        await f.Cache.GetAsync("k");
        await f.Cache.WarmAsync(["k"]);

        f.Dispose();

        var cache = f.Cache;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetAsync("k").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetAsync("k", new SecretReadOptions { Ttl = TimeSpan.FromDays(1) }).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.LookupAsync("k").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.TryGetAsync("k").AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.RefreshAsync("k"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.WarmAsync(["k"]));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetValueOrDefaultAsync("k", "key", "fallback").AsTask());
        Assert.Throws<ObjectDisposedException>(() => cache.Get("k"));
        Assert.Throws<ObjectDisposedException>(() => cache.Clear("k"));
        Assert.Throws<ObjectDisposedException>(() => cache.Clear());
        Assert.Throws<ObjectDisposedException>(() => cache.GetStats());
        Assert.Throws<ObjectDisposedException>(() => cache.HandleRemoteChange("k", null, "v2", f.Time.GetUtcNow()));
        cache.Dispose(); // twice is fine
    }

    [Fact]
    public async Task A_fetch_that_ends_after_Dispose_answers_its_waiter_and_stores_nothing()
    {
        var f = new CacheFixture();
        f.Store.Set("k", "v1");
        f.Store.Block();
        var read = f.Cache.GetAsync("k").AsTask();
        await f.Store.WaitForCallsAsync(1);

        f.Dispose();
        f.Store.Release();

        Assert.Equal("v1", (await read.WaitAsync(TimeSpan.FromSeconds(30))).SecretString);
    }

    [Fact]
    public void A_disposed_cache_is_not_kept_alive_by_a_meter_factory_that_outlives_it()
    {
        using var meters = new TestMeterFactory();
        using var listener = new MeterListener { InstrumentPublished = (i, l) => l.EnableMeasurementEvents(i) };
        listener.Start();

        var cache = CreateAndDispose(meters);
        for (var i = 0; i < 10 && cache.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(cache.IsAlive);
        listener.RecordObservableInstruments(); // the observable instruments answer nothing for it, and do not throw
    }

    [Fact]
    public async Task Unpaired_surrogates_are_a_format_error_naming_the_secret_never_the_value()
    {
        using var f = new CacheFixture();
        f.Store.Set("good", """{"a":"1"}""");
        f.Store.Set("bad", "CANARY-b7d1e9f04c2a4f0e\ud800tail");

        var error = await Assert.ThrowsAsync<SecretFormatException>(() => f.Cache.GetAsync("bad").AsTask());
        var report = await f.Cache.WarmAsync(["good", "bad"]);

        Assert.Contains("bad", error.Message, StringComparison.Ordinal);
        Canary.AssertAbsent([error.Message, .. report.Details.Select(d => d.Error)]);
        Assert.Equal(1, report.Successful);
        Assert.Equal("failed", report.Details.Single(d => d.SecretName == "bad").Status);
    }

    [Fact]
    public void Json_access_on_text_with_an_unpaired_surrogate_is_a_format_error()
    {
        var secret = new Secret("s", "v1", "{\"k\":\"CANARY-b7d1e9f04c2a4f0e\ud800\"}");

        var error = Assert.Throws<SecretFormatException>(() => secret.GetValue("k"));

        Assert.Null(secret.KeyCount);
        Assert.False(secret.TryGetJson(out _));
        Canary.AssertAbsent([error.Message]);
    }

    [Fact]
    public async Task A_secrets_file_that_is_not_UTF8_is_a_format_error_that_quotes_no_bytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"secretary-utf8-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(path, [.. "{\"k\":\"CANARY-b7d1e9f04c2a4f0e"u8, 0xFF, 0xFE, .. "\"}"u8]);
        try
        {
            var error = Assert.Throws<SecretFormatException>(() => new FileSecretStore(path));

            Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
            Assert.Null(error.InnerException);
            Canary.AssertAbsent([error.Message, error.ToString()]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference CreateAndDispose(IMeterFactory meters)
    {
        var store = new FakeSecretStore();
        store.Set("k", "v");
        var cache = new SecretCache(store, meterFactory: meters);
        cache.Get("k");
        cache.Dispose();
        return new WeakReference(cache);
    }
}
