using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>The hit path: a warm entry read again, the case every request after the first takes.</summary>
[MemoryDiagnoser]
public class HitPathBenchmarks
{
    private static readonly SecretReadOptions TenMinutes = new() { Ttl = TimeSpan.FromMinutes(10) };

    private SecretCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        var store = new InMemoryStore()
            .Add("surgicase/api-signing-key", "dev-signing-key-0000000000000000")
            .Add("surgicase/main", """{"COMPRESSION_MODE":"normal","SCHEDULER_ENABLED":"true"}""")
            .AddBinary("surgicase/tls-key", new byte[256]);
        _cache = new SecretCache(store, new SecretCacheOptions { DefaultTtl = TimeSpan.FromMinutes(5) });
        _cache.GetAsync("surgicase/api-signing-key").AsTask().GetAwaiter().GetResult();
        _cache.GetValueAsync("surgicase/main", "COMPRESSION_MODE").AsTask().GetAwaiter().GetResult();
        _cache.GetBinaryAsync("surgicase/tls-key").AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _cache.Dispose();

    [Benchmark(Baseline = true)]
    public string StringHit() => _cache.GetStringAsync("surgicase/api-signing-key").Result;

    [Benchmark]
    public string JsonKeyHit() => _cache.GetValueAsync("surgicase/main", "COMPRESSION_MODE").Result;

    [Benchmark]
    public int BinaryHit() => _cache.GetBinaryAsync("surgicase/tls-key").Result.Length;

    /// <summary>A hit with the specification's per-call <c>cache_ttl</c> (at least the entry's own TTL).</summary>
    [Benchmark]
    public string HitWithPerCallTtl() => _cache.GetAsync("surgicase/api-signing-key", TenMinutes).Result.SecretString!;

    [Benchmark]
    public string SynchronousHit() => _cache.GetString("surgicase/api-signing-key");
}
