using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>A warm 256-byte binary secret, through every contender; Ratio is against Secretary.</summary>
public class BinaryHitBenchmarks : PeerBenchmarks
{
    [Benchmark(Baseline = true)]
    public int Secretary() => Caches.Secretary.GetBinaryAsync(PeerCaches.BinaryId).Result.Length;

    [Benchmark]
    public int SeedStyleCache() => ((byte[])Caches.Seed.GetSecret(PeerCaches.BinaryId)).Length;

    [Benchmark]
    public int IMemoryCache() => Caches.MemoryGet(PeerCaches.BinaryId).Result.SecretBinary!.Value.Length;

    [Benchmark]
    public int FusionCache() => Caches.FusionGet(PeerCaches.BinaryId).Result.SecretBinary!.Value.Length;

    [Benchmark]
    public int HybridCache() => Caches.HybridGet(PeerCaches.BinaryId).Result.Secret.SecretBinary!.Value.Length;
}
