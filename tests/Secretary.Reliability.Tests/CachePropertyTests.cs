using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace Secretary.Reliability.Tests;

/// <summary>
/// CsCheck properties of SecretCache under random operation sequences (fake time) and random concurrent
/// interleavings: the values served, their ages, the size bound and the stats counters.
/// Seeded and bounded: each property runs a fixed number of generated cases.
/// </summary>
public sealed class CachePropertyTests
{
    internal const int SequenceCases = 250;
    internal const int ParallelCases = 150;
    internal const int ClearCases = 200;
    private const int MaxEntries = 4;
    private static readonly string[] Keys = ["app/a", "app/b", "app/c", "app/d", "app/e", "app/f"];
    private static readonly TimeSpan MaxStale = TimeSpan.FromSeconds(300);

    internal enum Kind
    {
        Get,
        Lookup,
        LookupTtl,
        LookupPrevious,
        LookupVersion,
        LookupMaxStale,
        Refresh,
        Warm,
        ClearOne,
        ClearAll,
        Advance,
        SetValue,
        FaultOn,
        FaultOff,
        InvalidRead,
    }

    internal sealed record Op(Kind Kind, int Key, int Seconds, int Pick)
    {
        public override string ToString() => $"{Kind}({Keys[Key]},{Seconds},{Pick})";
    }

    private static readonly Gen<Kind> GenKind = Gen.Frequency(
        (12, Gen.Const(Kind.Get)),
        (8, Gen.Const(Kind.Lookup)),
        (4, Gen.Const(Kind.LookupTtl)),
        (3, Gen.Const(Kind.LookupPrevious)),
        (3, Gen.Const(Kind.LookupVersion)),
        (3, Gen.Const(Kind.LookupMaxStale)),
        (3, Gen.Const(Kind.Refresh)),
        (2, Gen.Const(Kind.Warm)),
        (2, Gen.Const(Kind.ClearOne)),
        (1, Gen.Const(Kind.ClearAll)),
        (10, Gen.Const(Kind.Advance)),
        (5, Gen.Const(Kind.SetValue)),
        (2, Gen.Const(Kind.FaultOn)),
        (2, Gen.Const(Kind.FaultOff)),
        (1, Gen.Const(Kind.InvalidRead)));

    private static readonly Gen<Op> GenOp = Gen.Select(GenKind, Gen.Int[0, Keys.Length - 1], Gen.Int[1, 400], Gen.Int[0, 1000], (k, key, s, p) => new Op(k, key, s, p));

    private static readonly Gen<Op[]> GenSequence = GenOp.Array[1, 60];

    [Fact]
    public async Task Random_sequences_never_serve_a_wrong_or_too_old_value_and_keep_the_bound_and_the_counts()
    {
        await GenSequence.SampleAsync(
            async ops =>
            {
                var run = new ModelRun();
                foreach (var op in ops)
                {
                    await run.ApplyAsync(op);
                    await run.CheckInvariantsAsync();
                }

                run.Dispose();
            },
            seed: "0N0XIzNsQ0O2",
            iter: SequenceCases,
            threads: 1,
            print: ops => string.Join(" ", ops.Select(o => o.ToString())));
    }

    [Fact]
    public async Task Random_concurrent_interleavings_never_mix_keys_stages_or_versions_and_the_counts_add_up()
    {
        var concurrentKinds = Gen.Frequency(
            (10, Gen.Const(Kind.Get)),
            (6, Gen.Const(Kind.Lookup)),
            (3, Gen.Const(Kind.LookupPrevious)),
            (3, Gen.Const(Kind.LookupVersion)),
            (3, Gen.Const(Kind.Refresh)),
            (2, Gen.Const(Kind.Warm)),
            (2, Gen.Const(Kind.ClearOne)),
            (1, Gen.Const(Kind.ClearAll)),
            (4, Gen.Const(Kind.SetValue)),
            (1, Gen.Const(Kind.FaultOn)),
            (1, Gen.Const(Kind.FaultOff)),
            (1, Gen.Const(Kind.InvalidRead)));
        var gen = Gen.Select(concurrentKinds, Gen.Int[0, Keys.Length - 1], Gen.Int[1, 400], Gen.Int[0, 1000], (k, key, s, p) => new Op(k, key, s, p)).Array[2, 40];

        await gen.SampleAsync(
            async ops =>
            {
                var run = new ModelRun { Concurrent = true };
                await Task.WhenAll(ops.Select(op => Task.Run(() => run.ApplyAsync(op))));
                await run.Cache.IdleAsync();

                // Entries with a fetch in flight are never evicted, so the bound may be exceeded while fetches run;
                // the next insertion restores it.
                run.Store.Fault = null;
                run.Store.Set("app/fresh", "fresh#0");
                await run.Cache.GetAsync("app/fresh");
                run.ValidReads++;
                await run.CheckInvariantsAsync();
                run.Dispose();
            },
            seed: "0jgMhFM8qY16",
            iter: ParallelCases,
            threads: 1,
            print: ops => string.Join(" ", ops.Select(o => o.ToString())));
    }

    [Fact]
    public async Task Clear_wins_over_a_fetch_in_flight()
    {
        var gen = Gen.Select(Gen.Int[1, 4], Gen.Int[0, 15], Gen.Bool, Gen.Bool, Gen.Bool);
        await gen.SampleAsync(
            async (count, clearMask, clearAll, changeValue, fail) =>
            {
                var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
                var store = new FakeSecretStore();
                using var cache = new SecretCache(store, new SecretCacheOptions { NotFoundTtl = TimeSpan.Zero }, time);
                var keys = Keys.Take(count).ToList();
                foreach (var key in keys)
                {
                    store.Set(key, key + "#old");
                }

                store.Block();
                var readers = keys.Select(k => cache.GetAsync(k).AsTask()).ToList();
                await store.WaitForCallsAsync(count);
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
                        store.Set(key, key + "#new");
                    }
                }

                if (fail)
                {
                    store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, "503");
                }

                store.Release();
                foreach (var reader in readers)
                {
                    try
                    {
                        await reader.WaitAsync(TimeSpan.FromSeconds(30));
                    }
                    catch (SecretStoreUnavailableException) when (fail)
                    {
                    }
                }

                await cache.IdleAsync();
                store.Fault = null;
                var callsBefore = store.Calls;
                var storeAnsweredAgain = false;
                foreach (var key in keys)
                {
                    var calls = store.Calls;
                    if (fail && !cleared.Contains(key) && !storeAnsweredAgain)
                    {
                        // Not cleared: the failure is remembered and the store is not asked again before the backoff.
                        await Assert.ThrowsAsync<SecretStoreUnavailableException>(() => cache.GetAsync(key).AsTask());
                        Assert.Equal(calls, store.Calls);
                        continue;
                    }

                    var secret = await cache.GetAsync(key);
                    if (cleared.Contains(key) || fail)
                    {
                        // Cleared while its fetch was in flight: nothing of that fetch was kept; the store is asked again.
                        // Or it failed, and a later success of another secret brought its retry forward.
                        Assert.Equal(calls + 1, store.Calls);
                        Assert.Equal(key + (changeValue ? "#new" : "#old"), secret.SecretString);
                        storeAnsweredAgain = true;
                    }
                    else
                    {
                        Assert.Equal(calls, store.Calls);
                    }
                }

                Assert.True(store.Calls >= callsBefore);
            },
            seed: "0b1Jx7Fq9Z2w",
            iter: ClearCases,
            threads: 1);
    }

    /// <summary>One generated run: a cache over a fake store, on fake time, and what the test knows of the truth.</summary>
    private sealed class ModelRun : IDisposable
    {
        private readonly Dictionary<string, (string Key, string Value)> _versions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTimeOffset> _currentUntil = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _history = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private TimeSpan _longestTtl = TimeSpan.FromSeconds(60);
        private bool _faultSeen;
        private int _sets;

        public ModelRun()
        {
            Cache = new SecretCache(
                Store,
                new SecretCacheOptions
                {
                    DefaultTtl = TimeSpan.FromSeconds(60),
                    MaxStale = MaxStale,
                    MaxEntries = MaxEntries,
                    NotFoundTtl = TimeSpan.FromSeconds(5),
                    BackoffBase = TimeSpan.FromSeconds(1),
                    BackoffMax = TimeSpan.FromSeconds(30),
                    StoreTimeout = TimeSpan.FromSeconds(5),
                },
                Time);
            foreach (var key in Keys)
            {
                Set(key);
            }
        }

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

        public FakeSecretStore Store { get; } = new();

        public SecretCache Cache { get; }

        public bool Concurrent { get; init; }

        public long ValidReads;

        public async Task ApplyAsync(Op op)
        {
            var key = Keys[op.Key];
            try
            {
                switch (op.Kind)
                {
                    case Kind.Get:
                        Interlocked.Increment(ref ValidReads);
                        CheckCurrent(key, await Cache.GetAsync(key), null);
                        break;
                    case Kind.Lookup:
                        Interlocked.Increment(ref ValidReads);
                        CheckLookup(key, await Cache.LookupAsync(key), null, MaxStale);
                        break;
                    case Kind.LookupTtl:
                        var ttl = TimeSpan.FromSeconds(op.Seconds);
                        Interlocked.Increment(ref ValidReads);
                        CheckLookup(key, await Cache.LookupAsync(key, new SecretReadOptions { Ttl = ttl }), ttl, MaxStale);
                        break;
                    case Kind.LookupMaxStale:
                        var maxStale = TimeSpan.FromSeconds(op.Pick % 120);
                        Interlocked.Increment(ref ValidReads);
                        CheckLookup(key, await Cache.LookupAsync(key, new SecretReadOptions { MaxStale = maxStale }), null, maxStale);
                        break;
                    case Kind.LookupPrevious:
                        await LookupPreviousAsync(key);
                        break;
                    case Kind.LookupVersion:
                        await LookupVersionAsync(key, op.Pick);
                        break;
                    case Kind.Refresh:
                        CheckCurrent(key, await Cache.RefreshAsync(key), null);
                        break;
                    case Kind.Warm:
                        var ids = Keys.Where((_, i) => ((op.Pick >> i) & 1) != 0).DefaultIfEmpty(key).ToList();
                        var ttls = ids.ToDictionary(id => id, _ => TimeSpan.FromSeconds(op.Seconds));
                        lock (_gate)
                        {
                            _longestTtl = TimeSpan.FromSeconds(Math.Max(_longestTtl.TotalSeconds, op.Seconds));
                        }

                        var report = await Cache.WarmAsync(ids, op.Pick % 2 == 0 ? ttls : null);
                        Assert.Equal(ids.Count, report.Successful + report.Failed);
                        break;
                    case Kind.ClearOne:
                        Cache.Clear(key);
                        break;
                    case Kind.ClearAll:
                        Cache.Clear();
                        break;
                    case Kind.Advance:
                        Time.Advance(TimeSpan.FromSeconds(op.Seconds % 3 == 0 ? op.Seconds : op.Seconds % 40));
                        break;
                    case Kind.SetValue:
                        Set(key);
                        break;
                    case Kind.FaultOn:
                        lock (_gate)
                        {
                            _faultSeen = true;
                        }

                        Store.Fault = r => new SecretStoreUnavailableException(r.SecretId, StoreFailureReason.ServerError, "503 from the store");
                        break;
                    case Kind.FaultOff:
                        Store.Fault = null;
                        break;
                    case Kind.InvalidRead:
                        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await ((op.Pick % 3) switch
                        {
                            0 => Cache.GetAsync(string.Empty),
                            1 => Cache.GetAsync(key, new SecretReadOptions { Ttl = TimeSpan.Zero }),
                            _ => Cache.GetAsync(new string('x', 2049)),
                        }));
                        break;
                }
            }
            catch (SecretStoreUnavailableException) when (FaultSeen)
            {
                // A transient error with nothing (or nothing young enough) cached: allowed while the store fails.
            }

            if (!Concurrent)
            {
                await Cache.IdleAsync();
            }
        }

        public async Task CheckInvariantsAsync()
        {
            await Cache.IdleAsync();
            var stats = Cache.GetStats();
            Assert.True(stats.TotalCacheEntries <= MaxEntries, $"{stats.TotalCacheEntries} entries > {MaxEntries}");
            Assert.Equal(Interlocked.Read(ref ValidReads), stats.Hits + stats.Misses);
            Assert.Equal(Store.Calls, stats.BackendCalls);
            Assert.True(stats.StaleServed <= stats.Hits + stats.Misses);
            Assert.True(stats.BackendErrors <= stats.BackendCalls);
        }

        public void Dispose() => Cache.Dispose();

        private bool FaultSeen
        {
            get
            {
                lock (_gate)
                {
                    return _faultSeen;
                }
            }
        }

        private void Set(string key)
        {
            lock (_gate)
            {
                var value = $"{key}#{_sets++}";
                var now = Time.GetUtcNow();
                if (_history.TryGetValue(key, out var list) && list.Count > 0)
                {
                    _currentUntil[list[^1]] = now;
                }

                var secret = Store.Set(key, value);
                _versions[secret.VersionId] = (key, value);
                (_history.TryGetValue(key, out list) ? list : _history[key] = []).Add(secret.VersionId);
            }
        }

        private async Task LookupPreviousAsync(string key)
        {
            Interlocked.Increment(ref ValidReads);
            try
            {
                var lookup = await Cache.LookupAsync(key, new SecretReadOptions { VersionStage = "AWSPREVIOUS" });
                CheckVersion(key, lookup.Secret);
                Assert.Contains("AWSPREVIOUS", lookup.Secret.VersionStages);
                CheckAgeBounds(lookup, null, MaxStale);
            }
            catch (SecretNotFoundException)
            {
                // A key with one version has no AWSPREVIOUS (remembered for the negative TTL).
            }
        }

        private async Task LookupVersionAsync(string key, int pick)
        {
            string versionId;
            lock (_gate)
            {
                var list = _history[key];
                versionId = list[pick % list.Count];
            }

            Interlocked.Increment(ref ValidReads);
            var lookup = await Cache.LookupAsync(key, new SecretReadOptions { VersionId = versionId });
            Assert.Equal(versionId, lookup.Secret.VersionId);
            CheckVersion(key, lookup.Secret);
            CheckAgeBounds(lookup, null, MaxStale);
        }

        private void CheckLookup(string key, SecretLookup lookup, TimeSpan? ttl, TimeSpan maxStale)
        {
            CheckCurrent(key, lookup.Secret, lookup.Age, ttl);
            CheckAgeBounds(lookup, ttl, maxStale);
        }

        private void CheckAgeBounds(SecretLookup lookup, TimeSpan? ttl, TimeSpan maxStale)
        {
            if (lookup.IsStale)
            {
                Assert.True(lookup.Age <= maxStale, $"a stale value {lookup.Age.TotalSeconds} s old, MaxStale {maxStale.TotalSeconds} s");
            }
            else if (lookup.FromCache)
            {
                var bound = ttl ?? LongestTtl;
                Assert.True(lookup.Age < bound, $"a fresh value {lookup.Age.TotalSeconds} s old, TTL {bound.TotalSeconds} s");
            }
        }

        /// <summary>The right key, a version of it with its own value, AWSCURRENT, and no older than it says.</summary>
        private void CheckCurrent(string key, Secret secret, TimeSpan? age, TimeSpan? callerTtl = null)
        {
            CheckVersion(key, secret);
            Assert.Contains("AWSCURRENT", secret.VersionStages);
            DateTimeOffset? replacedAt;
            lock (_gate)
            {
                replacedAt = _currentUntil.TryGetValue(secret.VersionId, out var until) ? until : null;
            }

            if (replacedAt is { } replaced && !Concurrent)
            {
                // The value was current when fetched, so it was fetched before it was replaced: its age is at least that long.
                var sinceReplaced = Time.GetUtcNow() - replaced;
                if (age is { } reported)
                {
                    Assert.True(reported >= sinceReplaced - TimeSpan.FromMilliseconds(1), $"age {reported.TotalSeconds} s, but replaced {sinceReplaced.TotalSeconds} s ago");
                }

                // A caller's own TTL may be longer than any other: a value that old is still fresh for that call.
                var bound = TimeSpan.FromSeconds(Math.Max(Math.Max(LongestTtl.TotalSeconds, MaxStale.TotalSeconds), callerTtl?.TotalSeconds ?? 0));
                Assert.True(sinceReplaced <= bound, $"a value replaced {sinceReplaced.TotalSeconds} s ago was served (bound {bound.TotalSeconds} s)");
            }
        }

        private void CheckVersion(string key, Secret secret)
        {
            Assert.Equal(key, secret.Name);
            (string Key, string Value) known;
            lock (_gate)
            {
                Assert.True(_versions.TryGetValue(secret.VersionId, out known), $"unknown version {secret.VersionId}");
            }

            Assert.Equal(key, known.Key);
            Assert.Equal(known.Value, secret.SecretString);
        }

        private TimeSpan LongestTtl
        {
            get
            {
                lock (_gate)
                {
                    return _longestTtl;
                }
            }
        }
    }
}
