using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>A warm string secret read again, through every contender; Ratio is against Secretary.</summary>
[MemoryDiagnoser]
public class StringHitBenchmarks
{
    private PeerCaches _caches = null!;

    [GlobalSetup]
    public void Setup() => _caches = new PeerCaches();

    [GlobalCleanup]
    public void Cleanup() => _caches.Dispose();

    [Benchmark(Baseline = true)]
    public string Secretary() => _caches.Secretary.GetStringAsync(PeerCaches.StringId).Result;

    [Benchmark]
    public string SeedStyleCache() => (string)_caches.Seed.GetSecret(PeerCaches.StringId);

    [Benchmark]
    public string IMemoryCache() => _caches.MemoryGet(PeerCaches.StringId).Result.SecretString!;

    [Benchmark]
    public string FusionCache() => _caches.FusionGet(PeerCaches.StringId).Result.SecretString!;

    [Benchmark]
    public string HybridCache() => _caches.HybridGet(PeerCaches.StringId).Result.Secret.SecretString!;
}
