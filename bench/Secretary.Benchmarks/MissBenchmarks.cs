using BenchmarkDotNet.Attributes;

namespace Secretary.Benchmarks;

/// <summary>
/// Misses at scale: a miss that evicts in a full cache of 1,024 and 65,536 entries (flat in the
/// entry count when eviction is O(1)), a miss-heavy workload on one thread and on two (scaling
/// when misses of different keys never wait on each other), and a remembered "not found" read
/// through a fallback form. Each invocation reads <see cref="MissesPerInvocation"/> ids that
/// are not cached; the store answers at once, so the time is the cache's own.
/// </summary>
[MemoryDiagnoser]
public class MissBenchmarks
{
    private const int MissesPerInvocation = 4_096;
    private const int WorkloadIds = 10_000;

    private SecretCache _cache = null!;
    private SecretCache _workload = null!;
    private SecretCache _negative = null!;
    private string[] _ids = null!;
    private string[] _workloadIds = null!;
    private int _next;

    [Params(1_024, 65_536)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var store = new SyntheticStore();
        _cache = new SecretCache(store, new SecretCacheOptions { MaxEntries = Entries, DefaultTtl = TimeSpan.FromDays(1) });
        for (var i = 0; i < Entries; i++)
        {
            _cache.GetAsync($"fill/{i}").AsTask().GetAwaiter().GetResult();
        }

        // Enough distinct ids that every read in the measured run misses.
        _ids = [.. Enumerable.Range(0, 4_000_000).Select(i => $"miss/{i}")];

        _workload = new SecretCache(new SyntheticStore(), new SecretCacheOptions { MaxEntries = 1_024, DefaultTtl = TimeSpan.FromDays(1) });
        _workloadIds = [.. Enumerable.Range(0, WorkloadIds).Select(i => $"w/{i}")];

        _negative = new SecretCache(new SyntheticStore(missing: true), new SecretCacheOptions { NotFoundTtl = TimeSpan.FromDays(1) });
        _negative.GetValueOrDefaultAsync("missing", "k", "fallback").AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _workload.Dispose();
        _negative.Dispose();
    }

    /// <summary>One miss in a full cache: a store call, an insertion and an eviction.</summary>
    [Benchmark(OperationsPerInvoke = MissesPerInvocation)]
    public int MissThatEvicts()
    {
        var sum = 0;
        for (var i = 0; i < MissesPerInvocation; i++)
        {
            var id = _ids[_next++ % _ids.Length];
            sum += _cache.GetAsync(id).Result.Name.Length;
        }

        return sum;
    }

    /// <summary>10,000 ids over 1,024 entries, read at random: mostly misses (time per read).</summary>
    [Benchmark(OperationsPerInvoke = MissesPerInvocation)]
    public int MissHeavyOneThread() => MissHeavy(seed: 1);

    /// <summary>The same on two threads at once (time per read over both; ≤ 0.62 of one thread's is ≥ 1.6× the throughput).</summary>
    [Benchmark(OperationsPerInvoke = 2 * MissesPerInvocation)]
    public int MissHeavyTwoThreads()
    {
        var other = Task.Factory.StartNew(() => MissHeavy(seed: 2), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var mine = MissHeavy(seed: 3);
        return mine + other.GetAwaiter().GetResult();
    }

    /// <summary>A remembered "not found" read through <c>GetValueOrDefaultAsync</c>.</summary>
    [Benchmark(OperationsPerInvoke = MissesPerInvocation)]
    public int NegativeCacheRead()
    {
        var sum = 0;
        for (var i = 0; i < MissesPerInvocation; i++)
        {
            sum += _negative.GetValueOrDefaultAsync("missing", "k", "fallback").Result!.Length;
        }

        return sum;
    }

    private int MissHeavy(int seed)
    {
        var random = new Random(seed + _next++);
        var sum = 0;
        for (var i = 0; i < MissesPerInvocation; i++)
        {
            sum += _workload.GetAsync(_workloadIds[random.Next(WorkloadIds)]).Result.Name.Length;
        }

        return sum;
    }

    /// <summary>Answers any id at once with a small secret (or "not found"), thread-safe, no bookkeeping.</summary>
    private sealed class SyntheticStore(bool missing = false) : ISecretStore
    {
        public string Kind => "synthetic";

        public Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default) =>
            missing
                ? Task.FromException<Secret>(new SecretNotFoundException(request.SecretId))
                : Task.FromResult(new Secret(request.SecretId, "v1", "value"));
    }
}
