using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>A warm 256-byte binary secret, through every contender; Ratio is against Secretary.</summary>
[MemoryDiagnoser]
public class BinaryHitBenchmarks
{
    private PeerCaches _caches = null!;

    [GlobalSetup]
    public void Setup() => _caches = new PeerCaches();

    [GlobalCleanup]
    public void Cleanup() => _caches.Dispose();

    [Benchmark(Baseline = true)]
    public int Secretary() => _caches.Secretary.GetBinaryAsync(PeerCaches.BinaryId).Result.Length;

    [Benchmark]
    public int SeedStyleCache() => ((byte[])_caches.Seed.GetSecret(PeerCaches.BinaryId)).Length;

    [Benchmark]
    public int IMemoryCache() => _caches.MemoryGet(PeerCaches.BinaryId).Result.SecretBinary!.Value.Length;

    [Benchmark]
    public int FusionCache() => _caches.FusionGet(PeerCaches.BinaryId).Result.SecretBinary!.Value.Length;

    [Benchmark]
    public int HybridCache() => _caches.HybridGet(PeerCaches.BinaryId).Result.Secret.SecretBinary!.Value.Length;
}
