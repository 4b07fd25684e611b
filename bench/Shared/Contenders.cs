using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Internal;
using ZiggyCreatures.Caching.Fusion;

namespace Secretary.Bench;

/// <summary>Builds every contender over the same store, with the settings a careful user would pick.</summary>
public static class Contenders
{
    public const string SecretaryName = "Secretary";
    public const string SeedName = "SeedStyleCache";
    public const string MemoryCacheName = "IMemoryCache";
    public const string FusionName = "FusionCache";
    public const string HybridName = "HybridCache";
    public const string NoCacheName = "no cache";
    public const string SecretaryLateRefreshName = "Secretary, RefreshAhead 0.99";

    /// <summary>Secretary with its defaults (refresh lead derived from the store's latency, stale-on-error, backoff, outage probe) and the given TTL.</summary>
    public static SecretCache CreateSecretary(ISecretStore store, TimeSpan ttl, TimeProvider? time = null, double? refreshAhead = null) =>
        new(store, new SecretCacheOptions { DefaultTtl = ttl, RefreshAhead = refreshAhead }, time);

    /// <summary>An <see cref="IMemoryCache"/> whose expirations follow <paramref name="time"/>.</summary>
    public static MemoryCache CreateMemoryCache(TimeProvider? time = null) =>
        new(new MemoryCacheOptions { Clock = time is null ? null : new TimeProviderClock(time) });

    /// <summary>
    /// FusionCache with fail-safe on (stale value served when the factory fails, retried after the
    /// throttle duration, default 30 s) and eager refresh at 0.8 of the duration, its counterpart of
    /// Secretary's refresh-ahead. FusionCache reads the wall clock itself, so it cannot follow a
    /// fake clock: scenarios in simulated time run it in compressed real time (durations divided).
    /// </summary>
    public static FusionCache CreateFusion(TimeSpan ttl, TimeSpan? failSafeThrottle = null) =>
        new(new FusionCacheOptions
        {
            DefaultEntryOptions = new FusionCacheEntryOptions
            {
                Duration = ttl,
                IsFailSafeEnabled = true,
                FailSafeMaxDuration = TimeSpan.FromDays(1),
                FailSafeThrottleDuration = failSafeThrottle ?? TimeSpan.FromSeconds(30),
                EagerRefreshThreshold = 0.8f,
            },
        });

    /// <summary>HybridCache, in-memory only (no IDistributedCache), its L1 on a memory cache that follows <paramref name="time"/>.</summary>
    public static (HybridCache Cache, ServiceProvider Services) CreateHybrid(TimeSpan ttl, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IMemoryCache>(CreateMemoryCache(time));
        services.AddHybridCache(o => o.DefaultEntryOptions = new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl });
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<HybridCache>(), provider);
    }

    /// <summary>Every contender of a scenario; <paramref name="fusionThrottle"/> is FusionCache's fail-safe throttle (compressed with its TTL in simulated time).</summary>
    public static ICacheContender Create(string name, ISecretStore store, TimeSpan ttl, TimeProvider? time = null, TimeSpan? fusionThrottle = null) => name switch
    {
        SecretaryName => new SecretaryContender(SecretaryName, CreateSecretary(store, ttl, time)),
        SecretaryLateRefreshName => new SecretaryContender(SecretaryLateRefreshName, CreateSecretary(store, ttl, time, refreshAhead: 0.99)),
        SeedName => new SeedContender(store, ttl, time),
        MemoryCacheName => new MemoryCacheContender(store, ttl, time),
        FusionName => new FusionContender(store, ttl, fusionThrottle),
        HybridName => new HybridContender(store, ttl, time),
        NoCacheName => new NoCacheContender(store),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown contender."),
    };

    private static Task WarmByReadingAsync(ICacheContender contender, IReadOnlyList<string> ids) =>
        Task.WhenAll(ids.Select(id => contender.ReadAsync(id).AsTask()));

    private static ValueTask<object> Box<T>(ValueTask<T> pending)
        where T : class
    {
        return pending.IsCompletedSuccessfully ? new ValueTask<object>(pending.Result) : Await(pending);

        static async ValueTask<object> Await(ValueTask<T> p) => await p.ConfigureAwait(false);
    }

    private sealed class TimeProviderClock(TimeProvider time) : ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

    private sealed class SecretaryContender(string name, SecretCache cache) : ICacheContender
    {
        private readonly SecretCache _cache = cache;

        public string Name => name;

        public ValueTask<object> ReadAsync(string secretId) => Box(_cache.GetAsync(secretId));

        public Task WarmAsync(IReadOnlyList<string> secretIds) => _cache.WarmAsync(secretIds);

        public void Settle()
        {
            var deadline = Environment.TickCount64 + 5000;
            while (_cache.GetStats().RefreshesInFlight > 0 && Environment.TickCount64 < deadline)
            {
                Thread.Yield();
            }
        }

        public void Dispose() => _cache.Dispose();
    }

    private sealed class SeedContender(ISecretStore store, TimeSpan ttl, TimeProvider? time) : ICacheContender
    {
        private readonly SeedStyleCache _cache = new(store, time, ttl.TotalSeconds);

        public string Name => SeedName;

        public ValueTask<object> ReadAsync(string secretId) => new(_cache.GetSecret(secretId));

        // The seed has no warm-up; "batch secret access in initialization code" is a loop of get_secret.
        public Task WarmAsync(IReadOnlyList<string> secretIds)
        {
            foreach (var id in secretIds)
            {
                _cache.GetSecret(id);
            }

            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }

    private sealed class MemoryCacheContender : ICacheContender
    {
        private readonly MemoryCache _cache;
        private readonly Func<ICacheEntry, Task<Secret>> _factory;

        public MemoryCacheContender(ISecretStore store, TimeSpan ttl, TimeProvider? time)
        {
            _cache = CreateMemoryCache(time);
            _factory = entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = ttl;
                return store.GetSecretAsync(new SecretRequest((string)entry.Key));
            };
        }

        public string Name => MemoryCacheName;

        public ValueTask<object> ReadAsync(string secretId)
        {
            var pending = _cache.GetOrCreateAsync(secretId, _factory);
            return pending.IsCompletedSuccessfully ? new ValueTask<object>(pending.Result!) : Await(pending);

            static async ValueTask<object> Await(Task<Secret?> p) => (await p.ConfigureAwait(false))!;
        }

        public Task WarmAsync(IReadOnlyList<string> secretIds) => WarmByReadingAsync(this, secretIds);

        public void Dispose() => _cache.Dispose();
    }

    private sealed class FusionContender(ISecretStore store, TimeSpan ttl, TimeSpan? throttle) : ICacheContender
    {
        private readonly FusionCache _cache = CreateFusion(ttl, throttle);

        public string Name => FusionName;

        public ValueTask<object> ReadAsync(string secretId) =>
            Box(_cache.GetOrSetAsync<Secret>(secretId, (_, ct) => store.GetSecretAsync(new SecretRequest(secretId), ct), default(MaybeValue<Secret>)));

        public Task WarmAsync(IReadOnlyList<string> secretIds) => WarmByReadingAsync(this, secretIds);

        public void Dispose() => _cache.Dispose();
    }

    private sealed class HybridContender : ICacheContender
    {
        private readonly HybridCache _cache;
        private readonly ServiceProvider _services;
        private readonly ISecretStore _store;

        public HybridContender(ISecretStore store, TimeSpan ttl, TimeProvider? time)
        {
            _store = store;
            (_cache, _services) = CreateHybrid(ttl, time);
        }

        public string Name => HybridName;

        public ValueTask<object> ReadAsync(string secretId) =>
            Box(_cache.GetOrCreateAsync(
                secretId,
                (_store, secretId),
                static async (state, ct) => new SecretBox(await state._store.GetSecretAsync(new SecretRequest(state.secretId), ct).ConfigureAwait(false))));

        public Task WarmAsync(IReadOnlyList<string> secretIds) => WarmByReadingAsync(this, secretIds);

        public void Dispose() => _services.Dispose();
    }

    private sealed class NoCacheContender(ISecretStore store) : ICacheContender
    {
        public string Name => NoCacheName;

        public ValueTask<object> ReadAsync(string secretId) => Box(new ValueTask<Secret>(store.GetSecretAsync(new SecretRequest(secretId))));

        public Task WarmAsync(IReadOnlyList<string> secretIds) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
