using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>One key of a warm JSON secret, through every contender; Ratio is against Secretary.</summary>
[MemoryDiagnoser]
public class JsonKeyHitBenchmarks
{
    private PeerCaches _caches = null!;

    [GlobalSetup]
    public void Setup() => _caches = new PeerCaches();

    [GlobalCleanup]
    public void Cleanup() => _caches.Dispose();

    [Benchmark(Baseline = true)]
    public string Secretary() => _caches.Secretary.GetValueAsync(PeerCaches.JsonId, PeerCaches.JsonKey).Result;

    [Benchmark]
    public string? SeedStyleCache() => _caches.Seed.GetSecretValue(PeerCaches.JsonId, PeerCaches.JsonKey);

    [Benchmark]
    public string IMemoryCache() => _caches.MemoryGet(PeerCaches.JsonId).Result.GetValue(PeerCaches.JsonKey);

    [Benchmark]
    public string FusionCache() => _caches.FusionGet(PeerCaches.JsonId).Result.GetValue(PeerCaches.JsonKey);

    [Benchmark]
    public string HybridCache() => _caches.HybridGet(PeerCaches.JsonId).Result.Secret.GetValue(PeerCaches.JsonKey);
}
