using Microsoft.Extensions.Time.Testing;
using static Secretary.Reliability.Tests.RecordingStore;

namespace Secretary.Reliability.Tests;

/// <summary>
/// A model of what <see cref="SecretCache"/> must serve, stated from its documented contract and checked against
/// every answer the store gave (the <see cref="RecordingStore"/> log), never from the cache's internals:
/// <list type="bullet">
/// <item>a value the store gave within its TTL is served from the cache, as it was given, with its true age;</item>
/// <item>past its TTL the store is asked; a value is served stale only when the store's last answer for it (or an
/// answer during the read) was a transient failure, and only within MaxStale;</item>
/// <item>a transient failure with nothing usable cached is a <see cref="SecretStoreUnavailableException"/>; a
/// permanent one is its typed error, remembered at most for NotFoundTtl, and drops the cached value;</item>
/// <item>a failing secret is asked again at the latest when its backoff has passed (the next read after a first
/// failure while it holds a value, then base x2, ±jitter, capped);</item>
/// <item>after <c>Clear</c> nothing of the old value, its error or its backoff is left: the store is asked again;</item>
/// <item><c>RefreshAsync</c> asks the store unless it did within MinRefreshInterval, and then answers as that call did;</item>
/// <item>the counters add up (reads, store calls, stale reads) and the entries stay within MaxEntries.</item>
/// </list>
/// Where the contract leaves a choice (which entry an eviction picks, whether a remembered not-found is kept), the
/// model allows each choice and nothing more.
/// </summary>
internal sealed class CacheModel : IDisposable
{
    public static readonly string[] Keys = ["app/a", "app/b", "app/c", "app/d", "app/e", "app/f"];
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxStale = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan NotFoundTtl = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>The earliest fraction of a TTL at which a refresh-ahead may call the store (the default 0.8, or a later derived one).</summary>
    private const double EarliestRefreshAhead = 0.8;

    /// <summary>Rounding between the cache's timestamps and the store's clock.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1);

    private readonly Dictionary<SecretRequest, KeyState> _keys = [];
    private readonly HashSet<SecretRequest> _present = [];
    private readonly Dictionary<string, (string Key, string Value)> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _history = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly int _maxEntries;
    private readonly double _jitter;
    private int _absorbed;
    private int _sets;
    private long _reads;
    private long _staleLow;
    private long _staleHigh;

    public CacheModel(int maxEntries, double jitter, bool concurrent = false)
    {
        _maxEntries = maxEntries;
        _jitter = jitter;
        Concurrent = concurrent;
        Inner = new FakeSecretStore();
        Store = new RecordingStore(Inner, Time);
        Cache = new SecretCache(
            Store,
            new SecretCacheOptions
            {
                DefaultTtl = DefaultTtl,
                MaxStale = MaxStale,
                MaxEntries = maxEntries,
                NotFoundTtl = NotFoundTtl,
                BackoffBase = BackoffBase,
                BackoffMax = BackoffMax,
                BackoffJitter = jitter,
                StoreTimeout = TimeSpan.FromSeconds(5),
                MinRefreshInterval = MinRefreshInterval,
            },
            Time);
        foreach (var key in Keys)
        {
            Set(key);
        }
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public FakeSecretStore Inner { get; }

    public RecordingStore Store { get; }

    public SecretCache Cache { get; }

    /// <summary>Operations run at once with no time passing: only what holds whatever the interleaving is checked.</summary>
    public bool Concurrent { get; }

    public async Task ApplyAsync(CacheOp op)
    {
        var key = Keys[op.Key];
        switch (op.Kind)
        {
            case CacheOpKind.Get:
                await ReadAsync(new SecretRequest(key), null, lookup: false);
                break;
            case CacheOpKind.Lookup:
                await ReadAsync(new SecretRequest(key), null, lookup: true);
                break;
            case CacheOpKind.LookupTtl:
                await ReadAsync(new SecretRequest(key), new SecretReadOptions { Ttl = TimeSpan.FromSeconds(op.Seconds) }, lookup: true);
                break;
            case CacheOpKind.LookupMaxStale:
                await ReadAsync(new SecretRequest(key), new SecretReadOptions { MaxStale = TimeSpan.FromSeconds(op.Pick % 120) }, lookup: true);
                break;
            case CacheOpKind.LookupPrevious:
                await ReadAsync(new SecretRequest(key, null, SecretRequest.PreviousStage), new SecretReadOptions { VersionStage = SecretRequest.PreviousStage }, lookup: op.Pick % 2 == 0);
                break;
            case CacheOpKind.LookupVersion:
                string versionId;
                lock (_gate)
                {
                    var list = _history[key];
                    versionId = list[op.Pick % list.Count];
                }

                await ReadAsync(new SecretRequest(key, versionId), new SecretReadOptions { VersionId = versionId }, lookup: op.Pick % 2 == 0);
                break;
            case CacheOpKind.Refresh:
                await RefreshAsync(key);
                break;
            case CacheOpKind.Warm:
                var ids = Keys.Where((_, i) => ((op.Pick >> i) & 1) != 0).DefaultIfEmpty(key).ToList();
                await WarmAsync(ids, op.Pick % 2 == 0 ? TimeSpan.FromSeconds(op.Seconds) : null);
                break;
            case CacheOpKind.ClearOne:
                Cache.Clear(key);
                Forget(k => k.SecretId == key);
                break;
            case CacheOpKind.ClearAll:
                Cache.Clear();
                Forget(_ => true);
                break;
            case CacheOpKind.Advance:
                Time.Advance((op.Pick % 4) switch
                {
                    0 => TimeSpan.FromSeconds(op.Seconds),
                    3 => TimeSpan.FromMilliseconds(op.Pick),
                    _ => TimeSpan.FromSeconds(op.Seconds % 40),
                });
                break;
            case CacheOpKind.SetValue:
                Set(key);
                break;
            case CacheOpKind.Delete:
                Inner.Delete(key);
                break;
            case CacheOpKind.Deny:
                Store.SetDenied(key, !Store.IsDenied(key));
                break;
            case CacheOpKind.FaultOn:
                Store.Fault = (FaultKind)(1 + (op.Pick % 5));
                break;
            case CacheOpKind.FaultOff:
                Store.Fault = FaultKind.None;
                break;
            case CacheOpKind.InvalidRead:
                await Assert.ThrowsAnyAsync<ArgumentException>(async () => await ((op.Pick % 3) switch
                {
                    0 => Cache.GetAsync(string.Empty),
                    1 => Cache.GetAsync(key, new SecretReadOptions { Ttl = TimeSpan.Zero }),
                    _ => Cache.GetAsync(new string('x', 2049)),
                }));
                break;
        }

        if (!Concurrent)
        {
            await Cache.IdleAsync();
            Absorb();
        }
    }

    /// <summary>The counters and the bound, after every sequential operation (and at the end of a concurrent run).</summary>
    public async Task CheckInvariantsAsync()
    {
        await Cache.IdleAsync();
        Absorb();
        var stats = Cache.GetStats();
        Assert.True(stats.TotalCacheEntries <= _maxEntries, $"{stats.TotalCacheEntries} entries > MaxEntries {_maxEntries}");
        Assert.Equal(Interlocked.Read(ref _reads), stats.Hits + stats.Misses);
        Assert.Equal(Store.Calls, stats.BackendCalls);

        // backend_errors: every failed single call, and at most one per failed answer (a batch may fail per secret).
        var events = Store.Events;
        var failedSingles = events.Count(e => !e.Batch && e.Outcome != Outcome.Value);
        var failedAnswers = events.Count(e => e.Outcome != Outcome.Value);
        Assert.True(stats.BackendErrors >= failedSingles && stats.BackendErrors <= failedAnswers, $"backend_errors {stats.BackendErrors}; the store failed {failedSingles} single calls and {failedAnswers} answers in all");
        if (Concurrent)
        {
            return;
        }

        Assert.InRange(stats.StaleServed, _staleLow, _staleHigh);
        if (_present.Count <= _maxEntries && !_keys.Values.Any(k => k.MaybeEvicted))
        {
            // Nothing can have been evicted: the cache holds exactly the values the store gave and nothing since dropped.
            var held = _keys.Where(k => k.Value.Good is not null).ToList();
            Assert.True(held.Count == stats.TotalCacheEntries, $"{stats.TotalCacheEntries} entries, but the store's answers leave {held.Count} values to hold");
            Assert.Equal(held.Select(k => k.Key.SecretId).Distinct().Count(), stats.CachedSecretsCount);
        }
    }

    /// <summary>After Dispose, every API throws <see cref="ObjectDisposedException"/>, and Dispose again is harmless.</summary>
    public async Task CheckDisposedAsync()
    {
        Cache.Dispose();
        Cache.Dispose();
        var key = Keys[0];
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Cache.GetAsync(key));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Cache.GetAsync(key, new SecretReadOptions { Ttl = TimeSpan.FromSeconds(1) }));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Cache.LookupAsync(key));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Cache.RefreshAsync(key));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Cache.WarmAsync([key]));
        Assert.Throws<ObjectDisposedException>(() => Cache.Clear(key));
        Assert.Throws<ObjectDisposedException>(() => Cache.Clear());
        Assert.Throws<ObjectDisposedException>(() => Cache.GetStats());
        Assert.Throws<ObjectDisposedException>(() => Cache.HandleRemoteChange(key, null, "v", Time.GetUtcNow()));
    }

    /// <summary>Removes every fault, so the next read can reach the store.</summary>
    public void Heal()
    {
        Store.Fault = FaultKind.None;
        foreach (var key in Keys)
        {
            Store.SetDenied(key, false);
        }
    }

    /// <summary>A read the run counts as valid (it passed argument validation).</summary>
    public void CountRead() => Interlocked.Increment(ref _reads);

    public void Dispose() => Cache.Dispose();

    private async Task ReadAsync(SecretRequest request, SecretReadOptions? options, bool lookup)
    {
        var key = request.Normalize();
        var now = Time.GetUtcNow();
        var before = Before(key);
        CountRead();
        SecretLookup? found = null;
        Secret? secret = null;
        Exception? error = null;
        try
        {
            if (lookup)
            {
                found = await Cache.LookupAsync(request.SecretId, options);
                secret = found.Value.Secret;
            }
            else
            {
                secret = await Cache.GetAsync(request.SecretId, options);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        if (Concurrent)
        {
            CheckAgainstLog(key, secret, error);
            return;
        }

        await Cache.IdleAsync();
        var mine = Absorb().Where(e => e.Request == key).ToList();
        var what = $"{(lookup ? "LookupAsync" : "GetAsync")}({key}{Describe(options)}) at +{(now - Start).TotalSeconds:0.###} s";
        Judge(what, key, before, mine, now, options?.Ttl, options?.MaxStale ?? MaxStale, found, secret, error);
    }

    private async Task RefreshAsync(string id)
    {
        var key = new SecretRequest(id).Normalize();
        var now = Time.GetUtcNow();
        var before = Before(key);
        Secret? secret = null;
        Exception? error = null;
        try
        {
            secret = await Cache.RefreshAsync(id);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        if (Concurrent)
        {
            CheckAgainstLog(key, secret, error);
            return;
        }

        await Cache.IdleAsync();
        var mine = Absorb().Where(e => e.Request == key).ToList();
        var what = $"RefreshAsync({id}) at +{(now - Start).TotalSeconds:0.###} s";
        StoreEvent answer;
        if (mine.Count > 0)
        {
            // It asked the store: it answers as the store did.
            answer = mine[^1];
        }
        else
        {
            // It did not: only allowed within MinRefreshInterval of the last store call, answering as that call did.
            // (A value given at the very instant that call started, on this fake clock, is as recent as the call.)
            var recent = new[] { before.LastSingle, before.Last }.Where(e => e is not null && now - e.At < MinRefreshInterval).ToList();
            if (recent.Count > 0 && before.Good is { } held && held.At >= recent.Min(e => e!.At))
            {
                recent.Add(held);
            }

            Assert.True(recent.Count > 0, $"{what} did not ask the store, and its last store call was {Since(before.Last, now)} ago (MinRefreshInterval {MinRefreshInterval.TotalSeconds} s)");
            answer = recent.FirstOrDefault(e => Matches(e!, secret, error)) ?? recent[0]!;
        }

        Assert.True(Matches(answer, secret, error), $"{what} answered {Show(secret, error)}; the store's answer was {answer.Outcome} {answer.Secret?.VersionId}");
    }

    private async Task WarmAsync(List<string> ids, TimeSpan? ttl)
    {
        var keys = ids.Select(id => new SecretRequest(id).Normalize()).ToList();
        foreach (var key in keys)
        {
            Touch(key);
        }

        var ttls = ttl is { } t ? ids.ToDictionary(id => id, _ => t) : null;
        SecretWarmReport? report = null;
        Exception? error = null;
        try
        {
            report = await Cache.WarmAsync(ids, ttls);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        var what = $"WarmAsync([{string.Join(",", ids)}]{(ttl is null ? string.Empty : $", ttl {ttl.Value.TotalSeconds} s")})";
        Assert.True(error is null, $"{what} threw {error?.GetType().Name}: {error?.Message}; a store failure is a failed entry in the report");
        Assert.Equal(ids.Count, report!.TotalSecrets);
        Assert.Equal(ids.Count, report.Successful + report.Failed);
        if (Concurrent)
        {
            return;
        }

        await Cache.IdleAsync();
        var events = Absorb();
        foreach (var (id, key) in ids.Zip(keys))
        {
            var answer = events.LastOrDefault(e => e.Request == key);
            var detail = report.Details.Single(d => d.SecretName == id);
            var expected = answer?.Outcome == Outcome.Value ? "success" : "failed";
            Assert.True(expected == detail.Status, $"{what}: {id} reported {detail.Status}, but the store answered {answer?.Outcome.ToString() ?? "nothing"}");
            if (ttl is { } given)
            {
                var state = State(key);
                if (answer?.Outcome == Outcome.Value)
                {
                    state.Ttls = [given];
                }
                else
                {
                    state.Ttls.Add(given);
                }
            }
        }
    }

    /// <summary>What a read may have answered, given what the store told the cache before and during it.</summary>
    private void Judge(
        string what,
        SecretRequest key,
        KeyState before,
        List<StoreEvent> mine,
        DateTimeOffset now,
        TimeSpan? callerTtl,
        TimeSpan maxStale,
        SecretLookup? found,
        Secret? secret,
        Exception? error)
    {
        HashSet<TimeSpan> entryTtls = [.. before.Ttls, .. before.MaybeEvicted ? [DefaultTtl] : Array.Empty<TimeSpan>()];
        HashSet<TimeSpan> ttls = callerTtl is { } c ? [c] : entryTtls;
        TimeSpan shortest = ttls.Min(), longest = ttls.Max();

        // Refresh-ahead may follow the caller's TTL or the entry's own schedule, whichever comes first.
        var refreshFrom = TimeSpan.FromTicks((long)(Math.Min(shortest.Ticks, entryTtls.Min().Ticks) * EarliestRefreshAhead)) - Slack;
        var good = before.Good;
        var age = good is null ? TimeSpan.MaxValue : now - good.At;
        var failing = before.Last?.Outcome == Outcome.Transient || mine.Any(e => e.Outcome == Outcome.Transient);
        var answered = mine.LastOrDefault(e => e.Outcome == Outcome.Value);
        var permanent = mine.LastOrDefault(e => e.Outcome is Outcome.NotFound or Outcome.Denied);
        var remembered = before.Negative is { } n && now - n.At < NotFoundTtl ? n : null;
        // The next read retries a first failure only while the entry surely still holds its value (an evicted one waits out the backoff).
        var heldValue = before.Good is not null && !before.MaybeEvicted;
        var retryDue = before.Last?.Outcome == Outcome.Transient && now - before.LastFailureAt > LongestBackoff(before.Failures, heldValue) + Slack;
        var mustHit = good is not null && !before.MaybeEvicted && age < shortest;
        var context = $"{what}: answered {Show(secret, error)}{(found is { } f ? $" (stale {f.IsStale}, age {f.Age.TotalSeconds:0.###} s, from cache {f.FromCache})" : string.Empty)}; " +
            $"held {good?.Secret?.VersionId ?? "nothing"} (age {(good is null ? "-" : $"{age.TotalSeconds:0.###} s")}, TTL {string.Join("/", ttls.Select(t => t.TotalSeconds))} s), " +
            $"last store answer {before.Last?.Outcome.ToString() ?? "none"} {Since(before.Last, now)} ago (failures {before.Failures}), during the read {string.Join(",", mine.Select(e => e.Outcome))}";

        if (mustHit)
        {
            // A fresh value: served from the cache as it is; the store may be asked only by refresh-ahead.
            Assert.True(error is null && Same(secret, good!.Secret), $"A fresh value was not served. {context}");
            Assert.True(mine.Count == 0 || age >= refreshFrom, $"The store was asked for a value at {age / shortest:P0} of its TTL. {context}");
            if (found is { } hit)
            {
                Assert.True(!hit.IsStale && hit.FromCache, $"A fresh cached value was flagged wrongly. {context}");
                AssertAge(age, hit.Age, context);
            }

            return;
        }

        if (error is null)
        {
            var fresh = good is not null && Same(secret, good.Secret) && age < longest;
            var stale = good is not null && Same(secret, good.Secret) && age >= shortest && age <= maxStale && failing;
            var fromStore = answered is not null && Same(secret, answered.Secret);
            if (found is { } lookup)
            {
                if (lookup.IsStale)
                {
                    Assert.True(stale, $"A stale answer was not allowed: stale only past the TTL, within MaxStale ({maxStale.TotalSeconds} s) and while the store fails. {context}");
                    AssertAge(age, lookup.Age, context);
                }
                else if (lookup.FromCache)
                {
                    Assert.True(fresh, $"A cached answer flagged fresh was not within its TTL. {context}");
                    AssertAge(age, lookup.Age, context);
                }
                else
                {
                    Assert.True(fromStore, $"An answer said to come from the store is not what the store answered. {context}");
                    AssertAge(now - answered!.At, lookup.Age, context);
                }

                (fresh, stale, fromStore) = (lookup is { IsStale: false, FromCache: true }, lookup.IsStale, lookup is { IsStale: false, FromCache: false });
            }

            Assert.True(fresh || stale || fromStore, $"The value served is neither the held value within its TTL, nor a stale one allowed, nor the store's answer. {context}");
            Assert.False(stale && !fresh && !fromStore && mine.Count == 0 && retryDue, $"Served stale without asking the store after the backoff ({LongestBackoff(before.Failures, heldValue).TotalSeconds:0.###} s at most) had passed. {context}");
            if (stale && !fresh && !fromStore)
            {
                _staleLow++;
            }

            _staleHigh += stale ? 1 : 0;
            return;
        }

        switch (error)
        {
            case SecretStoreUnavailableException:
                Assert.True(failing, $"A transient error while the store was not failing. {context}");
                Assert.True(good is null || age > maxStale || before.MaybeEvicted, $"A transient error although a value within MaxStale ({maxStale.TotalSeconds} s) was held. {context}");
                Assert.False(mine.Count == 0 && retryDue, $"Failed without asking the store after the backoff ({LongestBackoff(before.Failures, heldValue).TotalSeconds:0.###} s at most) had passed. {context}");
                break;
            case SecretNotFoundException or SecretAccessDeniedException:
                var expected = error is SecretNotFoundException ? Outcome.NotFound : Outcome.Denied;
                var fromThisCall = permanent is not null && permanent.Outcome == expected && mine[^1] == permanent;
                var fromMemory = mine.Count == 0 && remembered is not null && remembered.Outcome == expected;
                Assert.True(fromThisCall || fromMemory, $"A permanent error the store did not give now, nor within NotFoundTtl ({NotFoundTtl.TotalSeconds} s). {context}");
                break;
            default:
                Assert.Fail($"An error outside the cache's contract. {context}\n{error}");
                break;
        }
    }

    /// <summary>Concurrent runs: whatever the interleaving, a value served is one the store gave for that very key, and an error is one the store gave for it.</summary>
    private void CheckAgainstLog(SecretRequest key, Secret? secret, Exception? error)
    {
        var events = Store.Events.Where(e => e.Request == key).ToList();
        var context = $"{key}: answered {Show(secret, error)}; the store answered it {string.Join(",", events.Select(e => e.Outcome))}";
        if (error is null)
        {
            Assert.True(events.Any(e => e.Outcome == Outcome.Value && Same(secret, e.Secret)), $"A value the store never gave for this key. {context}");
            CheckVersion(key.SecretId, secret!);
            return;
        }

        var allowed = error switch
        {
            SecretStoreUnavailableException => events.Any(e => e.Outcome == Outcome.Transient),
            SecretNotFoundException => events.Any(e => e.Outcome == Outcome.NotFound),
            SecretAccessDeniedException => events.Any(e => e.Outcome == Outcome.Denied),
            _ => false,
        };
        Assert.True(allowed, $"An error the store never gave for this key. {context}\n{error}");
    }

    private void CheckVersion(string id, Secret secret)
    {
        Assert.Equal(id, secret.Name);
        (string Key, string Value) known;
        lock (_gate)
        {
            Assert.True(_versions.TryGetValue(secret.VersionId, out known), $"unknown version {secret.VersionId}");
        }

        Assert.Equal(id, known.Key);
        Assert.Equal(known.Value, secret.SecretString);
    }

    /// <summary>Applies the store's new answers to what the cache knows; returns them.</summary>
    private List<StoreEvent> Absorb()
    {
        var events = Store.EventsSince(_absorbed).ToList();
        _absorbed += events.Count;
        foreach (var e in events)
        {
            var state = State(e.Request);
            if (!e.Batch)
            {
                state.LastSingle = e;
            }

            state.Last = e;
            switch (e.Outcome)
            {
                case Outcome.Value:
                    state.Good = e;
                    state.Failures = 0;
                    state.Negative = null;
                    Touch(e.Request);
                    if (_present.Count <= _maxEntries)
                    {
                        state.MaybeEvicted = false;
                    }

                    break;
                case Outcome.Transient:
                    state.Failures++;
                    state.LastFailureAt = e.At;
                    break;
                default:
                    state.Good = null;
                    state.Failures = 0;
                    state.Negative = e;
                    Touch(e.Request);
                    break;
            }
        }

        return events;
    }

    /// <summary>The key's state before an operation; the operation's key may take an entry, which may evict others.</summary>
    private KeyState Before(SecretRequest key)
    {
        Touch(key);
        return State(key).Copy();
    }

    private void Touch(SecretRequest key)
    {
        lock (_gate)
        {
            if (_present.Add(key) && _present.Count > _maxEntries)
            {
                foreach (var state in _keys.Values)
                {
                    state.MaybeEvicted = true;
                }
            }
        }
    }

    private void Forget(Func<SecretRequest, bool> which)
    {
        lock (_gate)
        {
            foreach (var key in _keys.Keys.Where(which).ToList())
            {
                _keys[key] = new KeyState();
            }

            _present.RemoveWhere(k => which(k));
        }
    }

    private KeyState State(SecretRequest key)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(key, out var state))
            {
                _keys[key] = state = new KeyState { MaybeEvicted = _present.Count > _maxEntries };
            }

            return state;
        }
    }

    private void Set(string key)
    {
        lock (_gate)
        {
            var value = $"{key}#{_sets++}";
            var secret = Inner.Set(key, value);
            _versions[secret.VersionId] = (key, value);
            (_history.TryGetValue(key, out var list) ? list : _history[key] = []).Add(secret.VersionId);
        }
    }

    /// <summary>The longest wait the backoff design allows after <paramref name="failures"/> consecutive failures (none after the first while a value is held).</summary>
    private TimeSpan LongestBackoff(int failures, bool holdsValue) =>
        BackoffBounds.LongestWait(Math.Max(failures, 1), BackoffBase, BackoffMax, _jitter, holdsValue);

    private DateTimeOffset Start { get; } = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static bool Matches(StoreEvent answer, Secret? secret, Exception? error) => answer.Outcome switch
    {
        Outcome.Value => error is null && Same(secret, answer.Secret),
        Outcome.Transient => error is SecretStoreUnavailableException,
        Outcome.NotFound => error is SecretNotFoundException,
        _ => error is SecretAccessDeniedException,
    };

    private static bool Same(Secret? served, Secret? expected) =>
        served is not null && expected is not null
        && served.Name == expected.Name && served.VersionId == expected.VersionId && served.SecretString == expected.SecretString;

    private static void AssertAge(TimeSpan expected, TimeSpan reported, string context) =>
        Assert.True((reported - expected).Duration() <= Slack, $"Reported age {reported.TotalSeconds:0.###} s, but the value was given {expected.TotalSeconds:0.###} s ago. {context}");

    private static string Since(StoreEvent? e, DateTimeOffset now) => e is null ? "never" : $"{(now - e.At).TotalSeconds:0.###} s";

    private static string Show(Secret? secret, Exception? error) => error is null ? $"version {secret?.VersionId}" : $"{error.GetType().Name}";

    private static string Describe(SecretReadOptions? options) => options switch
    {
        null => string.Empty,
        { Ttl: { } ttl } => $", ttl {ttl.TotalSeconds} s",
        { MaxStale: { } stale } => $", maxStale {stale.TotalSeconds} s",
        _ => string.Empty,
    };

    /// <summary>What the store has told the cache about one key since it was last cleared.</summary>
    private sealed class KeyState
    {
        /// <summary>The last value the store gave (dropped by a permanent error).</summary>
        public StoreEvent? Good { get; set; }

        /// <summary>The store's last answer.</summary>
        public StoreEvent? Last { get; set; }

        /// <summary>The store's last answer to a single (not whole-batch) call.</summary>
        public StoreEvent? LastSingle { get; set; }

        /// <summary>A permanent error, remembered for NotFoundTtl.</summary>
        public StoreEvent? Negative { get; set; }

        /// <summary>Transient failures since the last value or permanent error.</summary>
        public int Failures { get; set; }

        public DateTimeOffset LastFailureAt { get; set; }

        /// <summary>The TTLs the key's entry may have (one, unless a warm-up may or may not have set it).</summary>
        public HashSet<TimeSpan> Ttls { get; set; } = [DefaultTtl];

        /// <summary>The entry may have been evicted since the cache last showed it held it.</summary>
        public bool MaybeEvicted { get; set; }

        public KeyState Copy() => new()
        {
            Good = Good,
            Last = Last,
            LastSingle = LastSingle,
            Negative = Negative,
            Failures = Failures,
            LastFailureAt = LastFailureAt,
            Ttls = [.. Ttls],
            MaybeEvicted = MaybeEvicted,
        };
    }
}
