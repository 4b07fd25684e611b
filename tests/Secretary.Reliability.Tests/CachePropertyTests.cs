using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static Secretary.Reliability.Tests.RecordingStore;

namespace Secretary.Reliability.Tests;

/// <summary>
/// CsCheck-generated operations on <see cref="SecretCache"/> checked against a model of its contract
/// (<see cref="CacheModel"/>): random sequences on fake time, random concurrent interleavings, Clear racing fetches
/// in flight, and Dispose. Every run is fixed by the seed it prints (see <see cref="Property"/>).
/// </summary>
public sealed class CachePropertyTests(ITestOutputHelper output)
{
    internal const int SequenceCases = 300;
    internal const int ParallelCases = 150;
    internal const int ClearCases = 200;
    internal const int DisposeCases = 30;

    private static readonly Gen<CacheOpKind> SequenceKinds = Gen.Frequency(
        (12, Gen.Const(CacheOpKind.Get)),
        (8, Gen.Const(CacheOpKind.Lookup)),
        (4, Gen.Const(CacheOpKind.LookupTtl)),
        (3, Gen.Const(CacheOpKind.LookupPrevious)),
        (3, Gen.Const(CacheOpKind.LookupVersion)),
        (3, Gen.Const(CacheOpKind.LookupMaxStale)),
        (3, Gen.Const(CacheOpKind.Refresh)),
        (2, Gen.Const(CacheOpKind.Warm)),
        (2, Gen.Const(CacheOpKind.ClearOne)),
        (1, Gen.Const(CacheOpKind.ClearAll)),
        (10, Gen.Const(CacheOpKind.Advance)),
        (5, Gen.Const(CacheOpKind.SetValue)),
        (1, Gen.Const(CacheOpKind.Delete)),
        (1, Gen.Const(CacheOpKind.Deny)),
        (2, Gen.Const(CacheOpKind.FaultOn)),
        (2, Gen.Const(CacheOpKind.FaultOff)),
        (1, Gen.Const(CacheOpKind.InvalidRead)));

    private static readonly Gen<CacheOpKind> ConcurrentKinds = Gen.Frequency(
        (10, Gen.Const(CacheOpKind.Get)),
        (6, Gen.Const(CacheOpKind.Lookup)),
        (3, Gen.Const(CacheOpKind.LookupPrevious)),
        (3, Gen.Const(CacheOpKind.LookupVersion)),
        (3, Gen.Const(CacheOpKind.Refresh)),
        (2, Gen.Const(CacheOpKind.Warm)),
        (2, Gen.Const(CacheOpKind.ClearOne)),
        (1, Gen.Const(CacheOpKind.ClearAll)),
        (4, Gen.Const(CacheOpKind.SetValue)),
        (1, Gen.Const(CacheOpKind.Deny)),
        (1, Gen.Const(CacheOpKind.FaultOn)),
        (1, Gen.Const(CacheOpKind.FaultOff)),
        (1, Gen.Const(CacheOpKind.InvalidRead)));

    /// <summary>A generated run: the bound (small enough to evict, or too large to), the backoff jitter (none: a fully deterministic cache) and the operations.</summary>
    internal sealed record SequenceCase(int MaxEntries, double Jitter, CacheOp[] Ops)
    {
        public override string ToString() => $"MaxEntries={MaxEntries} Jitter={Jitter} | {string.Join(" ", Ops.Select(o => o.ToString()))}";
    }

    private static Gen<CacheOp> OpsOf(Gen<CacheOpKind> kinds) =>
        Gen.Select(kinds, Gen.Int[0, CacheModel.Keys.Length - 1], Gen.Int[1, 400], Gen.Int[0, 1000], (k, key, s, p) => new CacheOp(k, key, s, p));

    private static Gen<SequenceCase> CasesOf(Gen<CacheOpKind> kinds, int minOps, int maxOps) =>
        Gen.Select(Gen.Bool, Gen.Bool, OpsOf(kinds).Array[minOps, maxOps], (small, jitter, ops) => new SequenceCase(small ? 4 : 1024, jitter ? 0.2 : 0, ops));

    private static IEnumerable<SequenceCase> Shrink(SequenceCase c) =>
        Property.ShrinkSequence(c.Ops).Select(ops => c with { Ops = ops });

    [Fact]
    public Task Random_sequences_serve_what_the_contract_says_and_keep_the_bound_and_the_counts() =>
        Property.ForAllAsync(
            output,
            nameof(Random_sequences_serve_what_the_contract_says_and_keep_the_bound_and_the_counts),
            seed: "0N0XIzNsQ0O2",
            SequenceCases,
            CasesOf(SequenceKinds, 1, 60),
            async c =>
            {
                using var model = new CacheModel(c.MaxEntries, c.Jitter);
                foreach (var op in c.Ops)
                {
                    await model.ApplyAsync(op);
                    await model.CheckInvariantsAsync();
                }
            },
            c => c.ToString(),
            Shrink);

    [Fact]
    public Task Random_concurrent_interleavings_serve_only_what_the_store_gave_for_that_key_and_the_counts_add_up() =>
        Property.ForAllAsync(
            output,
            nameof(Random_concurrent_interleavings_serve_only_what_the_store_gave_for_that_key_and_the_counts_add_up),
            seed: "0jgMhFM8qY16",
            ParallelCases,
            CasesOf(ConcurrentKinds, 2, 40),
            async c =>
            {
                using var model = new CacheModel(c.MaxEntries, c.Jitter, concurrent: true);
                await Task.WhenAll(c.Ops.Select(op => Task.Run(() => model.ApplyAsync(op))));
                await model.Cache.IdleAsync();

                // Entries with a fetch in flight are never evicted, so the bound may be exceeded while fetches run;
                // the next insertion restores it.
                model.Heal();
                model.Inner.Set("app/fresh", "fresh#0");
                await model.Cache.GetAsync("app/fresh");
                model.CountRead();
                await model.CheckInvariantsAsync();
            },
            c => c.ToString());

    [Fact]
    public Task After_Dispose_every_API_throws_ObjectDisposedException() =>
        Property.ForAllAsync(
            output,
            nameof(After_Dispose_every_API_throws_ObjectDisposedException),
            seed: "0d1sp05eXk8Q",
            DisposeCases,
            CasesOf(SequenceKinds, 1, 20),
            async c =>
            {
                var model = new CacheModel(c.MaxEntries, c.Jitter);
                foreach (var op in c.Ops.Where(o => o.Kind is not (CacheOpKind.FaultOn or CacheOpKind.Deny)))
                {
                    await model.ApplyAsync(op);
                }

                await model.CheckDisposedAsync();
            },
            c => c.ToString(),
            Shrink);

    /// <summary>How the fetches Clear races are started.</summary>
    internal enum ClearPath
    {
        Get,
        Warm,
        Refresh,
    }

    [Fact]
    public Task Clear_wins_over_a_fetch_in_flight_whether_a_read_a_warm_up_or_a_refresh_started_it() =>
        Property.ForAllAsync(
            output,
            nameof(Clear_wins_over_a_fetch_in_flight_whether_a_read_a_warm_up_or_a_refresh_started_it),
            seed: "0b1Jx7Fq9Z2w",
            ClearCases,
            Gen.Select(Gen.Int[1, 4], Gen.Int[0, 15], Gen.Bool, Gen.Bool, Gen.Bool, Gen.Int[0, 2]),
            async t =>
            {
                var (count, clearMask, clearAll, changeValue, fail, pathIndex) = t;
                var path = (ClearPath)pathIndex;
                var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
                var inner = new FakeSecretStore();
                var store = new RecordingStore(inner, time);
                using var cache = new SecretCache(store, new SecretCacheOptions { NotFoundTtl = TimeSpan.Zero }, time);
                var keys = CacheModel.Keys.Take(count).ToList();
                foreach (var key in keys)
                {
                    inner.Set(key, key + "#old");
                }

                inner.Block();
                var fetches = path switch
                {
                    ClearPath.Get => keys.Select(k => (Task)cache.GetAsync(k).AsTask()).ToList(),
                    ClearPath.Refresh => keys.Select(k => (Task)cache.RefreshAsync(k)).ToList(),
                    _ => [cache.WarmAsync(keys)],
                };
                await inner.WaitForCallsAsync(path == ClearPath.Warm ? 1 : count);
                var cleared = keys.Where((_, i) => clearAll || (clearMask & (1 << i)) != 0).ToHashSet();
                if (clearAll)
                {
                    cache.Clear();
                }
                else
                {
                    foreach (var key in cleared)
                    {
                        cache.Clear(key);
                    }
                }

                if (changeValue)
                {
                    foreach (var key in keys)
                    {
                        inner.Set(key, key + "#new");
                    }
                }

                if (fail)
                {
                    store.Fault = FaultKind.Unavailable;
                }

                inner.Release();
                foreach (var fetch in fetches)
                {
                    try
                    {
                        await fetch.WaitAsync(TimeSpan.FromSeconds(30));
                    }
                    catch (SecretStoreUnavailableException) when (fail)
                    {
                    }
                }

                await cache.IdleAsync();
                store.Fault = FaultKind.None;

                // A rotation after the fetches answered: a value kept from a cleared fetch would now be an old one.
                foreach (var key in keys)
                {
                    inner.Set(key, key + "#after");
                }

                var fetched = (string key) => key + (changeValue ? "#new" : "#old");
                foreach (var key in keys)
                {
                    var calls = store.Events.Count(e => e.Request.SecretId == key);
                    Secret? secret = null;
                    try
                    {
                        secret = await cache.GetAsync(key);
                    }
                    catch (SecretStoreUnavailableException) when (fail && !cleared.Contains(key))
                    {
                        // Not cleared: the failure is remembered and the store is not asked again before the backoff.
                    }

                    var asked = store.Events.Count(e => e.Request.SecretId == key) - calls;
                    var what = $"{path}, {key} {(cleared.Contains(key) ? "cleared" : "kept")}, fetch {(fail ? "failed" : "answered")}: read {secret?.SecretString ?? "an error"} with {asked} store calls";
                    if (cleared.Contains(key))
                    {
                        // Cleared while its fetch was in flight: nothing of that fetch (value, error, backoff) was kept.
                        Assert.True(asked == 1 && secret?.SecretString == key + "#after", what);
                    }
                    else if (!fail)
                    {
                        // Not cleared: the fetch's answer is held, fresh, and served without a store call.
                        Assert.True(asked == 0 && secret?.SecretString == fetched(key), what);
                    }
                    else
                    {
                        // Not cleared and failed: either its backoff holds (an error, no call) or the store is asked and answers.
                        Assert.True((secret is null && asked == 0) || (asked == 1 && secret?.SecretString == key + "#after"), what);
                    }
                }
            },
            t => t.ToString());
}
