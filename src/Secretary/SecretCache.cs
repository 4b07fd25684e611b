using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Secretary.Internals;

namespace Secretary;

/// <summary>
/// The secret cache. A hit is a lock-free dictionary lookup of an immutable value: no lock, no
/// allocation, no await. Misses of one key share one store call (single flight); misses of
/// different keys never wait on each other. Past <see cref="SecretCacheOptions.RefreshAhead"/>
/// of the TTL the first reader starts one background refresh and still gets the current value.
/// When the store fails transiently the last good value is served, flagged stale, up to
/// <see cref="SecretCacheOptions.MaxStale"/>, and the store is retried with per-secret
/// exponential backoff. Permanent errors surface as typed exceptions.
/// </summary>
public sealed partial class SecretCache : ISecretCache, IDisposable
{
    private const string GetOperation = "GetSecretValue";
    private const string BatchOperation = "BatchGetSecretValue";

    private readonly ISecretStore _store;
    private readonly SecretCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SecretCacheMetrics _metrics;
    private readonly EntryTable _table = new();
    private readonly DueTimer _due;
    private readonly Lock _evictionGate = new();
    private readonly StripedCounter _hits = new();
    private readonly StripedCounter _misses = new();
    private readonly StripedCounter _stale = new();
    private readonly long _defaultTtl;
    private readonly long _maxStale;
    private readonly long _notFoundTtl;
    private readonly long _minRefreshInterval;
    private readonly long _touchInterval;
    private long _backendCalls;
    private long _backendErrors;
    private int _entryCount;
    private int _flightCount;
    private int _failingEntries;
    private long _lastRecoveryScan = long.MinValue / 2;

    /// <summary>Builds a cache over <paramref name="store"/>.</summary>
    /// <param name="store">Where secrets come from.</param>
    /// <param name="options">Settings; copied, so later changes have no effect. Validated: every problem is reported in one <see cref="ArgumentException"/>.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where to log; nowhere when null.</param>
    /// <param name="meterFactory">Creates the <c>Secretary</c> meter; a private meter when null.</param>
    public SecretCache(
        ISecretStore store,
        SecretCacheOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<SecretCache>? logger = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options = (options ?? new SecretCacheOptions()).Duplicate();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid SecretCacheOptions: " + string.Join(" ", problems), nameof(options));
        }

        _store = store;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _defaultTtl = ToTimestamp(options.DefaultTtl);
        _maxStale = ToTimestamp(options.MaxStale);
        _notFoundTtl = ToTimestamp(options.NotFoundTtl);
        _minRefreshInterval = ToTimestamp(options.MinRefreshInterval);
        _touchInterval = ToTimestamp(TimeSpan.FromMilliseconds(1));
        _metrics = new SecretCacheMetrics(options.Name, meterFactory, this);
        _due = new DueTimer(this, _time);
    }

    /// <inheritdoc />
    public event EventHandler<SecretVersionChangedEventArgs>? VersionChanged;

    /// <summary>The fleet backplane attached to this cache, if any; its state shows in <see cref="GetStats"/>.</summary>
    public ISecretBackplane? Backplane { get; set; }

    /// <summary>The store behind this cache.</summary>
    public ISecretStore Store => _store;

    /// <summary>The cache's settings (a copy; changing it has no effect).</summary>
    public SecretCacheOptions Options => _options.Duplicate();

    internal long HitCount => _hits.Sum();

    internal long MissCount => _misses.Sum();

    internal long StaleCount => _stale.Sum();

    internal long EntryCount => Volatile.Read(ref _entryCount);

    internal long FlightCount => Volatile.Read(ref _flightCount);

    /// <inheritdoc />
    public ValueTask<Secret> GetAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        // The hit path: one string-keyed lookup and a flag; no clock read, no lock, no allocation.
        // The cache's timer marks values due when their refresh time passes; due values take the checked path.
        if (options is null
            && secretId is { Length: > 0 and <= SecretRequest.MaxSecretIdLength }
            && _table.TryGetCurrent(secretId, out var entry)
            && entry.Value is { Due: false } value)
        {
            Touch(entry, Volatile.Read(ref _due.CoarseNow));
            _hits.Increment();
            return new ValueTask<Secret>(value.Secret);
        }

        var lookup = LookupAsync(secretId, options, cancellationToken);
        return lookup.IsCompletedSuccessfully
            ? new ValueTask<Secret>(lookup.Result.Secret)
            : UnwrapAsync(lookup);

        static async ValueTask<Secret> UnwrapAsync(ValueTask<SecretLookup> pending) =>
            (await pending.ConfigureAwait(false)).Secret;
    }

    /// <inheritdoc />
    public ValueTask<SecretLookup> LookupAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var policy = Resolve(secretId, options);
        var entry = GetOrAddEntry(policy.Key);
        var now = _time.GetTimestamp();
        Touch(entry, now);
        if (now - Volatile.Read(ref _due.CoarseNow) >= _touchInterval)
        {
            Volatile.Write(ref _due.CoarseNow, now);
        }

        if (entry.Negative is { } negative && now < negative.Until)
        {
            _hits.Increment();
            return ValueTask.FromException<SecretLookup>(negative.CreateException());
        }

        var value = entry.Value;
        if (value is not null)
        {
            var ttl = policy.Ttl > 0 ? policy.Ttl : Volatile.Read(ref entry.Ttl);
            var age = now - value.FetchedAt;
            if (age < ttl)
            {
                if (age >= (long)(ttl * policy.RefreshAhead))
                {
                    TryStartBackgroundRefresh(entry, now);
                }

                _hits.Increment();
                return new ValueTask<SecretLookup>(new SecretLookup(value.Secret, false, ToTimeSpan(age), true));
            }

            if (Volatile.Read(ref entry.ConsecutiveFailures) > 0 && age <= policy.MaxStale)
            {
                // The store is failing: answer at once with the last good value, retry in the background.
                TryStartBackgroundRefresh(entry, now);
                _hits.Increment();
                _stale.Increment();
                return new ValueTask<SecretLookup>(new SecretLookup(value.Secret, true, ToTimeSpan(age), true));
            }
        }

        _misses.Increment();
        return AwaitStoreAsync(entry, policy, value, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Secret> RefreshAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var policy = Resolve(secretId, options);
        var entry = GetOrAddEntry(policy.Key);
        var now = _time.GetTimestamp();
        var flight = StartFlight(entry, now, FlightMode.Explicit, out var rateLimited);
        if (rateLimited is not null)
        {
            return rateLimited.Secret;
        }

        var value = await WaitAsync(flight, cancellationToken).ConfigureAwait(false);
        return value.Secret;
    }

    /// <inheritdoc />
    public async Task<SecretWarmReport> WarmAsync(
        IEnumerable<string> secretIds,
        IReadOnlyDictionary<string, TimeSpan>? ttls = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretIds);
        var ids = secretIds.Distinct(StringComparer.Ordinal).ToList();
        foreach (var id in ids)
        {
            SecretIds.Validate(id);
        }

        foreach (var (id, ttl) in ttls ?? new Dictionary<string, TimeSpan>())
        {
            if (ttl <= TimeSpan.Zero || ttl > SecretCacheDefaults.MaxTtl)
            {
                throw new ArgumentOutOfRangeException(nameof(ttls), ttl, $"The TTL for '{id}' must be greater than zero and at most 365 days.");
            }
        }

        var started = _time.GetTimestamp();
        var details = new SecretWarmDetail[ids.Count];
        var batchSize = Math.Clamp(_store.MaxBatchSize, 1, 100);
        var chunks = ids.Select((id, index) => (id, index)).Chunk(batchSize).ToList();
        var storeCalls = 0;

        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = _options.WarmConcurrency, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                Interlocked.Increment(ref storeCalls);
                var results = await WarmChunkAsync(chunk.Select(c => c.id).ToList(), ttls, ct).ConfigureAwait(false);
                for (var i = 0; i < chunk.Length; i++)
                {
                    details[chunk[i].index] = results[i];
                }
            }).ConfigureAwait(false);

        var successful = details.Count(d => d.Status == "success");
        var report = new SecretWarmReport
        {
            TotalSecrets = ids.Count,
            Successful = successful,
            Failed = ids.Count - successful,
            Details = details,
            DurationSeconds = Math.Round(_time.GetElapsedTime(started).TotalSeconds, 3),
            StoreCalls = storeCalls,
        };
        Log.Warmed(_logger, _options.Name, report.TotalSecrets, report.Successful, report.Failed, report.StoreCalls, report.DurationSeconds);
        return report;
    }

    /// <inheritdoc />
    public bool HandleRemoteChange(string secretId, string? versionStage, string? versionId, DateTimeOffset observedAt)
    {
        SecretIds.Validate(secretId);
        var stage = versionStage ?? SecretRequest.CurrentStage;
        var now = _time.GetTimestamp();
        var wallNow = _time.GetUtcNow();
        var started = false;
        foreach (var entry in _table.All())
        {
            var value = entry.Value;
            if (value is null || entry.Key.VersionId is not null || entry.Key.VersionStage != stage
                || !(entry.Key.SecretId == secretId || value.Secret.Name == secretId || value.Secret.Arn == secretId))
            {
                continue;
            }

            var readAt = wallNow - ToTimeSpan(now - value.FetchedAt);
            if ((versionId is not null && value.Secret.VersionId == versionId) || observedAt <= readAt)
            {
                continue; // a duplicate, or older than what we hold
            }

            lock (entry.Gate)
            {
                if (entry.Flight is not null)
                {
                    continue; // a refresh is already under way: it will see the new version
                }

                entry.RemoteTriggered = true;
            }

            StartFlight(entry, now, FlightMode.Remote, out _);
            started = true;
        }

        return started;
    }

    /// <inheritdoc />
    public void Clear(string secretId)
    {
        ArgumentNullException.ThrowIfNull(secretId);
        var removed = 0;
        foreach (var entry in _table.All())
        {
            var secret = entry.Value?.Secret;
            if (entry.Key.SecretId == secretId || secret?.Name == secretId || secret?.Arn == secretId)
            {
                removed += Remove(entry, evicting: false) ? 1 : 0;
            }
        }

        Log.Cleared(_logger, _options.Name, secretId, removed);
    }

    /// <inheritdoc />
    public void Clear()
    {
        var removed = 0;
        foreach (var entry in _table.All())
        {
            removed += Remove(entry, evicting: false) ? 1 : 0;
        }

        Log.Cleared(_logger, _options.Name, "*", removed);
    }

    /// <inheritdoc />
    public SecretCacheStats GetStats()
    {
        var now = _time.GetTimestamp();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int entries = 0, staleEntries = 0;
        double oldest = 0, newest = double.MaxValue, total = 0;
        foreach (var entry in _table.All())
        {
            if (entry.Value is not { } value)
            {
                continue;
            }

            var age = ToTimeSpan(now - value.FetchedAt).TotalSeconds;
            entries++;
            names.Add(value.Secret.Name);
            total += age;
            oldest = Math.Max(oldest, age);
            newest = Math.Min(newest, age);
            if (now >= value.FetchedAt + Volatile.Read(ref entry.Ttl) && Volatile.Read(ref entry.ConsecutiveFailures) > 0)
            {
                staleEntries++;
            }
        }

        var average = entries == 0 ? 0 : total / entries;
        long hits = _hits.Sum(), misses = _misses.Sum();
        return new SecretCacheStats
        {
            CachedSecretsCount = names.Count,
            TotalCacheEntries = entries,
            OldestCacheAgeSeconds = Math.Round(oldest, 2),
            NewestCacheAgeSeconds = entries == 0 ? 0 : Math.Round(newest, 2),
            Region = _store.Region ?? "local",
            CacheEfficiency = new SecretCacheEfficiency
            {
                AvgCacheAgeSeconds = Math.Round(average, 2),
                CacheUtilizationPercent = Math.Round(entries * 100.0 / _options.MaxEntries, 2),
                CacheStatus = SecretCacheStats.StatusFor(entries, average),
            },
            Hits = hits,
            Misses = misses,
            HitRatio = hits + misses == 0 ? 0 : Math.Round((double)hits / (hits + misses), 5),
            StaleServed = _stale.Sum(),
            BackendCalls = Interlocked.Read(ref _backendCalls),
            BackendErrors = Interlocked.Read(ref _backendErrors),
            RefreshesInFlight = Volatile.Read(ref _flightCount),
            MaxEntries = _options.MaxEntries,
            StaleEntries = staleEntries,
            Backplane = Backplane?.State,
        };
    }

    /// <summary>Stops the cache's timer and releases its private meter.</summary>
    public void Dispose()
    {
        _due.Dispose();
        _metrics.Dispose();
    }

    /// <summary>Marks values whose refresh time has passed; returns when the timer should fire next.</summary>
    internal long MarkDue(long now, long latest)
    {
        var next = long.MaxValue;
        foreach (var entry in _table.All())
        {
            if (entry.Value is not { } value)
            {
                continue;
            }

            next = Math.Min(next, latest);
            if (value.Due)
            {
                continue;
            }

            if (now >= value.RefreshAt)
            {
                value.Due = true;
            }
            else
            {
                next = Math.Min(next, value.RefreshAt);
            }
        }

        return next;
    }

    internal double OldestAgeSeconds()
    {
        var now = _time.GetTimestamp();
        long oldest = 0;
        foreach (var entry in _table.All())
        {
            if (entry.Value is { } value)
            {
                oldest = Math.Max(oldest, now - value.FetchedAt);
            }
        }

        return ToTimeSpan(oldest).TotalSeconds;
    }

    private async ValueTask<SecretLookup> AwaitStoreAsync(CacheEntry entry, ReadPolicy policy, CachedValue? previous, CancellationToken cancellationToken)
    {
        var flight = StartFlight(entry, _time.GetTimestamp(), FlightMode.Read, out _);
        try
        {
            var value = await WaitAsync(flight, cancellationToken).ConfigureAwait(false);
            return new SecretLookup(value.Secret, false, ToTimeSpan(_time.GetTimestamp() - value.FetchedAt), false);
        }
        catch (SecretaryException ex) when (ex.IsTransient && previous is not null && !entry.Removed)
        {
            var age = _time.GetTimestamp() - previous.FetchedAt;
            if (age > policy.MaxStale)
            {
                throw;
            }

            _stale.Increment();
            return new SecretLookup(previous.Secret, true, ToTimeSpan(age), false);
        }
    }

    private static Task<CachedValue> WaitAsync(Task<CachedValue> flight, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? flight.WaitAsync(cancellationToken) : flight;

    private void TryStartBackgroundRefresh(CacheEntry entry, long now)
    {
        if (!entry.HasFlight && now >= Volatile.Read(ref entry.RetryAt))
        {
            StartFlight(entry, now, FlightMode.Background, out _);
        }
    }

    /// <summary>Joins the key's flight or starts one. Only this key's gate is taken.</summary>
    private Task<CachedValue> StartFlight(CacheEntry entry, long now, FlightMode mode, out CachedValue? rateLimited)
    {
        rateLimited = null;
        TaskCompletionSource<CachedValue> flight;
        lock (entry.Gate)
        {
            if (entry.Flight is { } running)
            {
                return running.Task;
            }

            switch (mode)
            {
                case FlightMode.Read when now < entry.RetryAt && entry.LastError is { } last:
                    // Backing off: the store is not called again before the retry time.
                    return Task.FromException<CachedValue>(last.Copy());
                case FlightMode.Background when now < entry.RetryAt:
                    return Task.FromResult<CachedValue>(null!);
                case FlightMode.Explicit when now - entry.LastFetchStartedAt < _minRefreshInterval:
                    // Rate-limited: answer with what the last store call gave, without calling again.
                    if (entry.Value is { } current && current.FetchedAt >= entry.LastFetchStartedAt)
                    {
                        rateLimited = current;
                        return Task.FromResult(current);
                    }

                    if (entry.LastError is { } failed)
                    {
                        return Task.FromException<CachedValue>(failed.Copy());
                    }

                    break;
                default:
                    break;
            }

            flight = new TaskCompletionSource<CachedValue>(TaskCreationOptions.RunContinuationsAsynchronously);
            entry.Flight = flight;
            entry.LastFetchStartedAt = now;
            Interlocked.Increment(ref _flightCount);
        }

        if (mode is FlightMode.Background or FlightMode.Remote)
        {
            // Never make the reader that noticed the age run the store call.
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.cache.FetchAsync(state.entry, state.flight), (cache: this, entry, flight), preferLocal: false);
        }
        else
        {
            _ = FetchAsync(entry, flight);
        }

        return flight.Task;
    }

    private async Task FetchAsync(CacheEntry entry, TaskCompletionSource<CachedValue> flight)
    {
        var key = entry.Key;
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _backendCalls);
        Secret? secret = null;
        SecretaryException? error = null;
        try
        {
            secret = await CallStoreAsync(key.SecretId, ct => _store.GetSecretAsync(key, ct)).ConfigureAwait(false);
            if (key.VersionId is not null && secret.VersionId != key.VersionId)
            {
                error = new SecretStoreUnavailableException(
                    key.SecretId, StoreFailureReason.ServerError, "The secret store answered with another version than the one asked for; the answer was discarded.");
            }
        }
        catch (Exception ex)
        {
            error = Classify(key.SecretId, ex);
        }

        var now = _time.GetTimestamp();
        _metrics.StoreCall(GetOperation, Outcome(error), _store.Region, _time.GetElapsedTime(started, now));

        if (error is null)
        {
            var value = Accept(entry, secret!, now, flight);
            Interlocked.Decrement(ref _flightCount);
            flight.SetResult(value);
        }
        else
        {
            Reject(entry, error, now, flight);
            Interlocked.Decrement(ref _flightCount);
            flight.SetException(error);
            _ = flight.Task.Exception; // a background refresh nobody awaits must not raise UnobservedTaskException
        }
    }

    private async Task<T> CallStoreAsync<T>(string secretId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_options.StoreTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            // WaitAsync also cuts a store that ignores its token.
            return await call(linked.Token).WaitAsync(_options.StoreTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && (ex is TimeoutException || (ex is OperationCanceledException && timeout.IsCancellationRequested)))
        {
            throw new SecretStoreUnavailableException(
                secretId,
                StoreFailureReason.Timeout,
                $"The secret store did not answer within {_options.StoreTimeout.TotalSeconds:0.###} s; the cache will retry with backoff.");
        }
    }

    /// <summary>
    /// The store answered while other secrets are backing off: it is probably back for them too, so their next
    /// retry is moved to now instead of waiting out up to 5 minutes of backoff each. A secret still failing
    /// backs off again from its failure count. Scans at most once per <see cref="SecretCacheOptions.BackoffBase"/>.
    /// </summary>
    private void BringRetriesForward(long now)
    {
        var last = Interlocked.Read(ref _lastRecoveryScan);
        if (now - last < ToTimestamp(_options.BackoffBase) || Interlocked.CompareExchange(ref _lastRecoveryScan, now, last) != last)
        {
            return;
        }

        foreach (var entry in _table.All())
        {
            if (Volatile.Read(ref entry.ConsecutiveFailures) == 0)
            {
                continue;
            }

            lock (entry.Gate)
            {
                if (entry.ConsecutiveFailures > 0 && entry.RetryAt > now)
                {
                    entry.RetryAt = now;
                }
            }
        }
    }

    /// <summary>A fetch ends its own flight only: a warm-up answer, or a fetch outlived by a newer one, leaves the running flight alone.</summary>
    private static void ClearFlight(CacheEntry entry, TaskCompletionSource<CachedValue>? flight)
    {
        if (flight is not null && ReferenceEquals(entry.Flight, flight))
        {
            entry.Flight = null;
        }
    }

    /// <summary>Stores a fetched value unless a Clear or eviction removed the entry meanwhile.</summary>
    private CachedValue Accept(CacheEntry entry, Secret secret, long now, TaskCompletionSource<CachedValue>? flight)
    {
        var ttl = Volatile.Read(ref entry.Ttl);
        var value = new CachedValue(secret, now, now + (long)(ttl * _options.RefreshAhead));
        string? previousVersion = null;
        bool stored;
        bool remoteTriggered;
        lock (entry.Gate)
        {
            remoteTriggered = entry.RemoteTriggered;
            entry.RemoteTriggered = false;
            stored = !entry.Removed;
            if (stored)
            {
                previousVersion = entry.Value?.Secret.VersionId;
                entry.Value = value;
                entry.Negative = null;
                if (entry.ConsecutiveFailures > 0)
                {
                    Interlocked.Decrement(ref _failingEntries);
                }

                entry.ConsecutiveFailures = 0;
                entry.RetryAt = 0;
                entry.LastError = null;
            }

            ClearFlight(entry, flight);
        }

        if (stored)
        {
            _due.Schedule(value.RefreshAt, now);
            if (Volatile.Read(ref _failingEntries) > 0)
            {
                BringRetriesForward(now);
            }
        }

        if (stored && previousVersion is not null && previousVersion != secret.VersionId)
        {
            Log.VersionChanged(_logger, _options.Name, entry.Key.SecretId, previousVersion, secret.VersionId);
            if (VersionChanged is { } handlers)
            {
                // Raised off the fetch, so a slow or throwing handler never holds or fails the readers waiting on it.
                var args = new SecretVersionChangedEventArgs(entry.Key, secret.Name, previousVersion, secret.VersionId, remoteTriggered);
                ThreadPool.UnsafeQueueUserWorkItem(
                    static state =>
                    {
                        try
                        {
                            state.handlers(state.cache, state.args);
                        }
                        catch (Exception ex)
                        {
                            Log.HandlerFailed(state.cache._logger, state.cache._options.Name, state.args.Request.SecretId, ex.GetType().Name);
                        }
                    },
                    (handlers, cache: this, args),
                    preferLocal: false);
            }
        }

        return value;
    }

    private void Reject(CacheEntry entry, SecretaryException error, long now, TaskCompletionSource<CachedValue>? flight)
    {
        Interlocked.Increment(ref _backendErrors);
        CachedValue? kept = null;
        int failures;
        TimeSpan retryIn = TimeSpan.Zero;
        lock (entry.Gate)
        {
            ClearFlight(entry, flight);
            entry.LastError = error;
            if (error.IsTransient)
            {
                failures = ++entry.ConsecutiveFailures;
                if (failures == 1 && !entry.Removed)
                {
                    Interlocked.Increment(ref _failingEntries);
                }

                retryIn = Backoff.Delay(failures, _options.BackoffBase, _options.BackoffMax, _options.BackoffJitter, Random.Shared.NextDouble());
                entry.RetryAt = now + ToTimestamp(retryIn);
                kept = entry.Value;
            }
            else
            {
                // Permanent: never masked by an old value; remembered briefly so readers do not hammer the store.
                if (entry.ConsecutiveFailures > 0)
                {
                    Interlocked.Decrement(ref _failingEntries);
                }

                failures = entry.ConsecutiveFailures = 0;
                entry.RetryAt = 0;
                if (!entry.Removed)
                {
                    entry.Value = null;
                    if (_notFoundTtl > 0)
                    {
                        entry.Negative = new NegativeResult(error, now + _notFoundTtl);
                    }
                }
            }
        }

        if (error.IsTransient)
        {
            Log.StoreFailed(_logger, _options.Name, entry.Key.SecretId, GetOperation, error.Category, Reason(error), failures, retryIn.TotalSeconds);
            if (kept is not null)
            {
                Log.ServingStale(_logger, _options.Name, entry.Key.SecretId, ToTimeSpan(now - kept.FetchedAt).TotalSeconds);
            }
        }
        else
        {
            Log.PermanentError(_logger, _options.Name, entry.Key.SecretId, error.Category, error.ErrorCode);
        }
    }

    private async Task<SecretWarmDetail[]> WarmChunkAsync(List<string> ids, IReadOnlyDictionary<string, TimeSpan>? ttls, CancellationToken cancellationToken)
    {
        var requests = ids.Select(id => new SecretRequest(id, null, SecretRequest.CurrentStage)).ToList();
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _backendCalls);
        IReadOnlyList<SecretBatchResult> results;
        try
        {
            results = await CallStoreAsync(ids[0], ct => _store.GetSecretsAsync(requests, ct), cancellationToken).ConfigureAwait(false);
            _metrics.StoreCall(BatchOperation, "success", _store.Region, _time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = Classify(ids[0], ex);
            Interlocked.Increment(ref _backendErrors);
            _metrics.StoreCall(BatchOperation, Outcome(error), _store.Region, _time.GetElapsedTime(started));
            Log.StoreFailed(_logger, _options.Name, ids[0], BatchOperation, error.Category, Reason(error), 1, 0);
            return [.. ids.Select(id => Failed(id, error))];
        }

        var byRequest = new Dictionary<SecretRequest, SecretBatchResult>();
        foreach (var result in results)
        {
            byRequest.TryAdd(result.Request.Normalize(), result);
        }

        var now = _time.GetTimestamp();
        var details = new SecretWarmDetail[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var request = requests[i];
            if (!byRequest.TryGetValue(request, out var result))
            {
                details[i] = Failed(ids[i], new SecretStoreUnavailableException(
                    ids[i], StoreFailureReason.ServerError, "The secret store's batch answer left this secret out."));
                continue;
            }

            var entry = GetOrAddEntry(request);
            if (ttls is not null && ttls.TryGetValue(ids[i], out var ttl))
            {
                Volatile.Write(ref entry.Ttl, ToTimestamp(ttl));
            }

            if (result.Secret is { } secret)
            {
                Accept(entry, secret, now, flight: null);
                details[i] = new SecretWarmDetail
                {
                    SecretName = ids[i],
                    Status = "success",
                    Ttl = ToTimeSpan(Volatile.Read(ref entry.Ttl)).TotalSeconds,
                    KeysCount = secret.KeyCount,
                };
            }
            else
            {
                var error = result.Error!;
                if (!error.IsTransient)
                {
                    Reject(entry, error, now, flight: null);
                }

                details[i] = Failed(ids[i], error);
            }
        }

        return details;

        static SecretWarmDetail Failed(string id, SecretaryException error) => new()
        {
            SecretName = id,
            Status = "failed",
            Error = $"{error.Category}: {error.Message}",
        };
    }

    private CacheEntry GetOrAddEntry(SecretRequest key)
    {
        if (_table.TryGet(key, out var entry))
        {
            return entry;
        }

        var now = _time.GetTimestamp();
        var created = new CacheEntry(key, TtlFor(key.SecretId), now);
        entry = _table.GetOrAdd(created);
        if (ReferenceEquals(entry, created) && Interlocked.Increment(ref _entryCount) > _options.MaxEntries)
        {
            Evict(keep: created);
        }

        return entry;
    }

    /// <summary>Removes least-recently-used entries until the bound holds, never one with a fetch in flight.</summary>
    private void Evict(CacheEntry keep)
    {
        lock (_evictionGate)
        {
            while (Volatile.Read(ref _entryCount) > _options.MaxEntries)
            {
                CacheEntry? victim = null;
                foreach (var candidate in _table.All())
                {
                    if (!ReferenceEquals(candidate, keep) && !candidate.HasFlight
                        && (victim is null || Volatile.Read(ref candidate.LastAccess) < Volatile.Read(ref victim.LastAccess)))
                    {
                        victim = candidate;
                    }
                }

                if (victim is null || !Remove(victim, evicting: true))
                {
                    return;
                }

                Log.Evicted(_logger, _options.Name, victim.Key.SecretId);
            }
        }
    }

    private bool Remove(CacheEntry entry, bool evicting)
    {
        lock (entry.Gate)
        {
            if (entry.Removed || (evicting && entry.Flight is not null))
            {
                return false;
            }

            entry.Removed = true;
            if (entry.ConsecutiveFailures > 0)
            {
                entry.ConsecutiveFailures = 0;
                Interlocked.Decrement(ref _failingEntries);
            }
        }

        if (_table.TryRemove(entry))
        {
            Interlocked.Decrement(ref _entryCount);
        }

        return true;
    }

    private ReadPolicy Resolve(string secretId, SecretReadOptions? options)
    {
        var request = new SecretRequest(secretId, options?.VersionId, options?.VersionStage).Normalize();
        request.Validate();
        if (options is null)
        {
            return new ReadPolicy(request, 0, _options.RefreshAhead, _maxStale);
        }

        if (options.Ttl is { } ttl && (ttl <= TimeSpan.Zero || ttl > SecretCacheDefaults.MaxTtl))
        {
            throw new ArgumentOutOfRangeException(nameof(options), ttl, "The TTL must be greater than zero and at most 365 days.");
        }

        if (options.RefreshAhead is { } ahead && (double.IsNaN(ahead) || ahead <= 0 || ahead > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), ahead, "RefreshAhead must be greater than 0 and at most 1.");
        }

        if (options.MaxStale is { } maxStale && maxStale < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), maxStale, "MaxStale must be zero or more.");
        }

        return new ReadPolicy(
            request,
            options.Ttl is { } t ? ToTimestamp(t) : 0,
            options.RefreshAhead ?? _options.RefreshAhead,
            options.MaxStale is { } m ? ToTimestamp(m) : _maxStale);
    }

    private long TtlFor(string secretId) =>
        _options.SecretTtls.TryGetValue(secretId, out var ttl) ? ToTimestamp(ttl) : _defaultTtl;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Touch(CacheEntry entry, long now)
    {
        // Written at most once per millisecond, so readers on several cores do not fight over the line.
        if (now - Volatile.Read(ref entry.LastAccess) >= _touchInterval)
        {
            Volatile.Write(ref entry.LastAccess, now);
        }
    }

    private static SecretaryException Classify(string secretId, Exception exception) => exception switch
    {
        SecretaryException typed => typed,
        TimeoutException => new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, innerException: exception),
        HttpRequestException or IOException or System.Net.Sockets.SocketException =>
            new SecretStoreUnavailableException(secretId, StoreFailureReason.Network, innerException: exception),
        OperationCanceledException => new SecretStoreUnavailableException(secretId, StoreFailureReason.Timeout, innerException: exception),

        // A store that breaks its contract: transient, so a cached value still serves; the message names only the type.
        _ => new SecretStoreUnavailableException(
            secretId,
            StoreFailureReason.ServerError,
            $"The secret store failed unexpectedly ({exception.GetType().Name}); the cache will retry with backoff.",
            innerException: exception),
    };

    private static string Outcome(SecretaryException? error) => error switch
    {
        null => "success",
        SecretStoreUnavailableException unavailable => unavailable.Reason switch
        {
            StoreFailureReason.Timeout => "timeout",
            StoreFailureReason.Throttled => "throttled",
            StoreFailureReason.Network => "network_error",
            _ => "server_error",
        },
        _ => error.Category switch
        {
            SecretErrorCategory.NotFound => "not_found",
            SecretErrorCategory.AccessDenied => "access_denied",
            SecretErrorCategory.InvalidRequest => "invalid_request",
            SecretErrorCategory.InvalidParameter => "invalid_parameter",
            _ => "error",
        },
    };

    private static string Reason(SecretaryException error) =>
        error is SecretStoreUnavailableException unavailable ? unavailable.Reason.ToString() : error.Category.ToString();

    private long ToTimestamp(TimeSpan span)
    {
        var ticks = span.TotalSeconds * _time.TimestampFrequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }

    private TimeSpan ToTimeSpan(long timestampDelta) =>
        TimeSpan.FromSeconds(Math.Max(0, timestampDelta) / (double)_time.TimestampFrequency);

    private enum FlightMode
    {
        Read,
        Background,
        Explicit,
        Remote,
    }

    private readonly record struct ReadPolicy(SecretRequest Key, long Ttl, double RefreshAhead, long MaxStale);
}
