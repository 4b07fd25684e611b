using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>A warm string secret read again, through every contender; Ratio is against Secretary.</summary>
public class StringHitBenchmarks : PeerBenchmarks
{
    [Benchmark(Baseline = true)]
    public string Secretary() => Caches.Secretary.GetStringAsync(PeerCaches.StringId).Result;

    [Benchmark]
    public string SeedStyleCache() => (string)Caches.Seed.GetSecret(PeerCaches.StringId);

    [Benchmark]
    public string IMemoryCache() => Caches.MemoryGet(PeerCaches.StringId).Result.SecretString!;

    [Benchmark]
    public string FusionCache() => Caches.FusionGet(PeerCaches.StringId).Result.SecretString!;

    [Benchmark]
    public string HybridCache() => Caches.HybridGet(PeerCaches.StringId).Result.Secret.SecretString!;
}
