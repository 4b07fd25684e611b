using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>One key of a warm JSON secret, through every contender; Ratio is against Secretary.</summary>
public class JsonKeyHitBenchmarks : PeerBenchmarks
{
    [Benchmark(Baseline = true)]
    public string Secretary() => Caches.Secretary.GetValueAsync(PeerCaches.JsonId, PeerCaches.JsonKey).Result;

    [Benchmark]
    public string? SeedStyleCache() => Caches.Seed.GetSecretValue(PeerCaches.JsonId, PeerCaches.JsonKey);

    [Benchmark]
    public string IMemoryCache() => Caches.MemoryGet(PeerCaches.JsonId).Result.GetValue(PeerCaches.JsonKey);

    [Benchmark]
    public string FusionCache() => Caches.FusionGet(PeerCaches.JsonId).Result.GetValue(PeerCaches.JsonKey);

    [Benchmark]
    public string HybridCache() => Caches.HybridGet(PeerCaches.JsonId).Result.Secret.GetValue(PeerCaches.JsonKey);
}
