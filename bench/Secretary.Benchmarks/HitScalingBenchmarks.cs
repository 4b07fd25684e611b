using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>
/// Hit throughput on one thread and on two: each invocation does <see cref="HitsPerThread"/>
/// warm string hits per thread, and the time is reported per hit. A cache that scales shows
/// TwoThreads at about 0.5 of OneThread in the Ratio column (two threads ≥ 1.7× one thread's
/// throughput means a Ratio ≤ 0.59). Needs two free cores to mean anything: the
/// "Dictionary (control)" rows show what the machine allowed during the run.
/// </summary>
[MemoryDiagnoser]
public class HitScalingBenchmarks
{
    private const int HitsPerThread = 200_000;

    private PeerCaches _caches = null!;
    private Func<int> _hits = null!;

    [Params("Secretary", "SeedStyleCache", "IMemoryCache", "FusionCache", "HybridCache", "Dictionary (control)")]
    public string Contender { get; set; } = "Secretary";

    [GlobalSetup]
    public void Setup()
    {
        _caches = new PeerCaches();
        var c = _caches;
        var control = new Dictionary<string, string>(StringComparer.Ordinal) { [PeerCaches.StringId] = "dev-signing-key-0000000000000000" };
        const string id = PeerCaches.StringId;
        _hits = Contender switch
        {
            "Secretary" => () => Loop(() => c.Secretary.GetStringAsync(id).Result.Length),
            "SeedStyleCache" => () => Loop(() => ((string)c.Seed.GetSecret(id)).Length),
            "IMemoryCache" => () => Loop(() => c.MemoryGet(id).Result.SecretString!.Length),
            "FusionCache" => () => Loop(() => c.FusionGet(id).Result.SecretString!.Length),
            "HybridCache" => () => Loop(() => c.HybridGet(id).Result.Secret.SecretString!.Length),

            // No cache at all: a read-only Dictionary lookup, which scales perfectly given two free
            // cores. Its ratio is the most any contender could show on the machine at that moment.
            "Dictionary (control)" => () => Loop(() => control[id].Length),
            _ => throw new InvalidOperationException(Contender),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _caches.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = HitsPerThread)]
    public int OneThread() => _hits();

    [Benchmark(OperationsPerInvoke = 2 * HitsPerThread)]
    public int TwoThreads()
    {
        var other = Task.Factory.StartNew(_hits, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var mine = _hits();
        return mine + other.GetAwaiter().GetResult();
    }

    private static int Loop(Func<int> hit)
    {
        var sum = 0;
        for (var i = 0; i < HitsPerThread; i++)
        {
            sum += hit();
        }

        return sum;
    }
}
