using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>The set-up every side-by-side hit benchmark shares: all contenders warm over one store.</summary>
[MemoryDiagnoser]
public abstract class PeerBenchmarks
{
    private protected PeerCaches Caches { get; private set; } = null!;

    [GlobalSetup]
    public void Setup() => Caches = new PeerCaches();

    [GlobalCleanup]
    public void Cleanup() => Caches.Dispose();
}
