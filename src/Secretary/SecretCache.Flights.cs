using Secretary.Internals;
using Secretary.Internals.Diagnostics;

namespace Secretary;

public sealed partial class SecretCache
{
    /// <summary>Why a flight is started; each mode has its own rule for when the store may be called.</summary>
    private enum FlightMode
    {
        /// <summary>A reader that must wait: not while the key backs off after a failure.</summary>
        Read,

        /// <summary>Refresh-ahead or a stale read's retry: not while the key backs off.</summary>
        Background,

        /// <summary><see cref="RefreshAsync"/>: at most once per <see cref="SecretCacheOptions.MinRefreshInterval"/>.</summary>
        Explicit,

        /// <summary>Another instance saw a change (rate-limited by the caller).</summary>
        Remote,

        /// <summary>The recovery monitor's probe during an outage: regardless of backoff.</summary>
        Probe,
    }

    /// <summary>
    /// Joins the key's flight or starts one. Only this key's gate is taken. Returns null when a
    /// background refresh is not due (the key backs off). For readers it first re-checks, under the
    /// gate, that no answer arrived since they looked (<paramref name="observed"/>): a store that
    /// answers synchronously would otherwise let a second reader start a second call.
    /// </summary>
    private Task<CachedValue>? StartFlight(CacheEntry entry, long now, FlightMode mode, CachedValue? observed = null, long freshFor = 0)
    {
        Flight flight;
        lock (entry.Gate)
        {
            if (entry.Flight is { } running)
            {
                running.Join();
                return running.Task;
            }

            switch (mode)
            {
                case FlightMode.Read:
                    if (entry.Value is { } arrived && !ReferenceEquals(arrived, observed) && now - arrived.FetchedAt < freshFor)
                    {
                        return Task.FromResult(arrived);
                    }

                    if (entry.Negative is { } negative && now < negative.Until)
                    {
                        return Task.FromException<CachedValue>(negative.CreateException());
                    }

                    if (now < entry.RetryAt && entry.LastError is { } last)
                    {
                        // Backing off: the store is not called again before the retry time.
                        return Task.FromException<CachedValue>(last.Copy());
                    }

                    break;
                case FlightMode.Background when now < entry.RetryAt:
                    return null;
                case FlightMode.Explicit when now - entry.LastFetchStartedAt < _minRefreshInterval:
                    // Rate-limited: answer with what the last store call gave, without calling again.
                    if (entry.Value is { } current && current.FetchedAt >= entry.LastFetchStartedAt)
                    {
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

            flight = new Flight(Volatile.Read(ref _generation), mode == FlightMode.Remote, mode == FlightMode.Probe, ReasonOf(mode, entry), now);
            entry.Flight = flight;
            entry.LastFetchStartedAt = now;

            Interlocked.Increment(ref _flightCount);
        }

        if (mode is FlightMode.Read or FlightMode.Explicit)
        {
            RunOffCallerContext(entry, flight);
        }
        else
        {
            // Never make the reader that noticed the age, or a timer, run the store call.
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.cache.FetchAsync(state.entry, state.flight), (cache: this, entry, flight), preferLocal: false);
        }

        return flight.Task;
    }

    private static string ReasonOf(FlightMode mode, CacheEntry entry) => mode switch
    {
        FlightMode.Read => entry.Value is null ? "miss" : "expired",
        FlightMode.Background => entry.ConsecutiveFailures > 0 ? "stale" : "refresh-ahead",
        FlightMode.Explicit => "refresh",
        FlightMode.Remote => "remote",
        _ => "probe",
    };

    private void TryStartBackgroundRefresh(CacheEntry entry, long now)
    {
        if (!entry.HasFlight && now >= Volatile.Read(ref entry.RetryAt))
        {
            StartFlight(entry, now, FlightMode.Background);
        }
    }

    /// <summary>The recovery monitor's probe: one retry of a failing entry, regardless of its backoff. False when it cannot be probed.</summary>
    internal bool Probe(CacheEntry entry, long now)
    {
        if (IsDisposed || entry.Removed || entry.HasFlight)
        {
            return false;
        }

        StartFlight(entry, now, FlightMode.Probe);
        return true;
    }

    /// <summary>
    /// Starts the store call on the caller's thread (a synchronous store answers without a thread
    /// hop) but never on the caller's <see cref="SynchronizationContext"/> or task scheduler: a store
    /// that awaits without ConfigureAwait(false) would otherwise need a UI or single-threaded context
    /// that the synchronous read forms are blocking, and hang until the store timeout.
    /// </summary>
    private void RunOffCallerContext(CacheEntry entry, Flight flight)
    {
        var context = SynchronizationContext.Current;
        if (TaskScheduler.Current != TaskScheduler.Default)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.cache.FetchAsync(state.entry, state.flight), (cache: this, entry, flight), preferLocal: false);
            return;
        }

        if (context is null)
        {
            _ = FetchAsync(entry, flight);
            return;
        }

        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            _ = FetchAsync(entry, flight);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private async Task FetchAsync(CacheEntry entry, Flight flight)
    {
        var key = entry.Key;
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _backendCalls);
        var member = _store.StoreFor(key.SecretId);
        var operation = StoreOperations.Read(member.Kind);
        using var activity = SecretaryActivities.StartStoreCall(member, operation, flight.Reason, _options.TraceSecretNames ? key.SecretId : null, 1);
        Secret? secret = null;
        SecretaryException? error;
        try
        {
            secret = await CallStoreAsync(key.SecretId, ct => _store.GetSecretAsync(key, ct)).ConfigureAwait(false);
            error = CheckAnswer(key, secret);
        }
        catch (Exception ex)
        {
            error = Classify(key.SecretId, ex);
        }

        var now = _time.GetTimestamp();
        Complete(entry, flight, error is null ? secret : null, error, now);
        RecordCall(operation, member, error, started, now);
        SecretaryActivities.Stop(activity, error, flight.Waiters);
    }

    private async Task<T> CallStoreAsync<T>(string secretId, Func<CancellationToken, Task<T>> call)
    {
        using var timeout = new CancellationTokenSource(_options.StoreTimeout, _time);
        try
        {
            // WaitAsync also cuts a store that ignores its token.
            return await call(timeout.Token).WaitAsync(_options.StoreTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && timeout.IsCancellationRequested))
        {
            throw new SecretStoreUnavailableException(
                secretId,
                StoreFailureReason.Timeout,
                $"The secret store did not answer within {_options.StoreTimeout.TotalSeconds:0.###} s; the cache will retry with backoff.");
        }
    }

    /// <summary>
    /// What the store answered must be what was asked for. A null, another secret, another
    /// version, or text that is not valid UTF-16 is a broken store: never cached, never served.
    /// </summary>
    private SecretaryException? CheckAnswer(SecretRequest request, Secret? secret)
    {
        if (secret is null)
        {
            return new SecretStoreUnavailableException(
                request.SecretId, StoreFailureReason.ServerError, "The secret store answered with no secret (a broken store); the answer was discarded and the cache will retry with backoff.");
        }

        if (!_store.Answers(request, secret))
        {
            return new SecretStoreUnavailableException(
                request.SecretId, StoreFailureReason.ServerError, $"The secret store answered with another secret ('{secret.Name}') than the one asked for; the answer was discarded and the cache will retry with backoff.");
        }

        if (request.VersionId is not null && secret.VersionId != request.VersionId)
        {
            return new SecretStoreUnavailableException(
                request.SecretId, StoreFailureReason.ServerError, "The secret store answered with another version than the one asked for; the answer was discarded.");
        }

        if (!secret.HasValidText)
        {
            return new SecretFormatException(
                request.SecretId, $"The secret '{secret.Name}' holds text that is not valid UTF-16 (an unpaired surrogate); it cannot be served. Fix the value in the store.");
        }

        return null;
    }

    /// <summary>
    /// Ends a flight: records the answer, then releases every waiter exactly once, with the value or
    /// a typed error. The release is in a <c>finally</c>, so nothing that goes wrong while recording —
    /// a bug, an out-of-range figure — can leave a waiter hanging or the key wedged. Logs, metrics and
    /// events come after the release and cannot reach the waiters at all.
    /// </summary>
    private void Complete(CacheEntry entry, Flight flight, Secret? secret, SecretaryException? error, long now, bool countError = true)
    {
        CachedValue? value = null;
        var stored = false;
        string? previousVersion = null;
        var failures = 0;
        TimeSpan retryIn = default;
        CachedValue? kept = null;
        var recovered = false;
        try
        {
            if (secret is not null)
            {
                value = new CachedValue(secret, Math.Min(flight.StartedAt, now), now, now + RefreshOffset(Volatile.Read(ref entry.Ttl), _options.RefreshAhead));
                stored = Accept(entry, flight, value, now, out previousVersion);
                recovered = _recovery.Answered(now);
            }
            else
            {
                error ??= new SecretStoreUnavailableException(entry.Key.SecretId, StoreFailureReason.ServerError, "The secret store gave no answer for this secret.");
                if (countError)
                {
                    Interlocked.Increment(ref _backendErrors);
                }

                (failures, retryIn, kept) = Reject(entry, flight, error, now);
                if (error.IsTransient)
                {
                    _recovery.Failed(now);
                }
                else
                {
                    recovered = _recovery.Answered(now); // a permanent answer is an answer: the store is up
                }
            }
        }
        catch (Exception ex)
        {
            error ??= new SecretStoreUnavailableException(
                entry.Key.SecretId, StoreFailureReason.ServerError, $"The cache failed while recording the store's answer ({ex.GetType().Name}).");
        }
        finally
        {
            Release(entry, flight);
            if (value is not null)
            {
                flight.TrySetResult(value);
            }
            else
            {
                flight.TrySetException(error!);
                _ = flight.Task.Exception; // a background refresh nobody awaits must not raise UnobservedTaskException
            }
        }

        // After the release: nothing here can hold or fail a waiter.
        try
        {
            Maintain(now);
            if (recovered)
            {
                StartRecovery();
            }

            if (value is not null)
            {
                if (stored && previousVersion is not null && previousVersion != value.Secret.VersionId)
                {
                    Log.VersionChanged(_logger, _options.Name, entry.Key.SecretId, previousVersion, value.Secret.VersionId);
                    RaiseVersionChanged(entry.Key, value.Secret, previousVersion, flight.RemoteTriggered);
                }
            }
            else if (error!.IsTransient)
            {
                Log.StoreFailed(_logger, _options.Name, entry.Key.SecretId, StoreOperations.Read(_store.StoreFor(entry.Key.SecretId).Kind), error.Category, Reason(error), failures, retryIn.TotalSeconds);
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
        catch (Exception)
        {
            // A throwing logger or listener must not break the cache; there is nowhere left to report it.
        }
    }

    /// <summary>Stores a fetched value unless a Clear, an eviction or Dispose removed the entry since the flight started.</summary>
    private bool Accept(CacheEntry entry, Flight flight, CachedValue value, long now, out string? previousVersion)
    {
        lock (entry.Gate)
        {
            previousVersion = entry.Value?.Secret.VersionId;
            if (entry.Removed || flight.Generation != Volatile.Read(ref _generation))
            {
                return false;
            }

            entry.Value = value;
            entry.Negative = null;
            if (entry.ConsecutiveFailures > 0)
            {
                entry.ConsecutiveFailures = 0;
                _recovery.Remove(entry);
            }

            entry.RetryAt = 0;
            entry.LastError = null;
            _eviction.MoveTo(entry, Internals.EntryClass.Valued);
            _ledger.Record(entry, value.FetchedAt, value.Secret.Name);
            AddAliases(entry, value.Secret);
            _due.Schedule(value, now);
            return true;
        }
    }

    /// <summary>Records a failure. Transient: the value is kept and the key backs off. Permanent: never masked by an old value; remembered briefly.</summary>
    private (int Failures, TimeSpan RetryIn, CachedValue? Kept) Reject(CacheEntry entry, Flight flight, SecretaryException error, long now)
    {
        lock (entry.Gate)
        {
            if (entry.Removed || flight.Generation != Volatile.Read(ref _generation))
            {
                return (0, default, null);
            }

            entry.LastError = error;
            if (error.IsTransient && flight.Probe && entry.ConsecutiveFailures > 0)
            {
                // A failed probe says the outage goes on; the key keeps its own retry schedule.
                return (entry.ConsecutiveFailures, ToTimeSpan(entry.RetryAt - now), entry.Value);
            }

            if (error.IsTransient)
            {
                var failures = ++entry.ConsecutiveFailures;
                if (failures == 1)
                {
                    _recovery.Add(entry);
                }

                // A key that still has a value retries first on the next read (that read waits for it, briefly), so the
                // end of a short outage — and a permission revoked during it — is seen at once; then 1 s, 2 s, 4 s ...
                var retryIn = failures == 1 && entry.Value is not null
                    ? TimeSpan.Zero
                    : Backoff.Delay(entry.Value is not null ? failures - 1 : failures, _options.BackoffBase, _options.BackoffMax, _options.BackoffJitter, Random.Shared.NextDouble());
                entry.RetryAt = now + ToTimestamp(retryIn);
                if (entry.Value is null)
                {
                    _eviction.MoveTo(entry, Internals.EntryClass.Valueless);
                }

                return (failures, retryIn, entry.Value);
            }

            if (entry.ConsecutiveFailures > 0)
            {
                entry.ConsecutiveFailures = 0;
                _recovery.Remove(entry);
            }

            entry.RetryAt = 0;
            if (entry.Value is not null)
            {
                entry.Value = null;
                _ledger.Forget(entry);
            }

            entry.Negative = _notFoundTtl > 0 ? new NegativeResult(error, now + _notFoundTtl) : null;
            _eviction.MoveTo(entry, Internals.EntryClass.Valueless);
            return (0, default, null);
        }
    }

    /// <summary>The flight is over: the key may start another. Runs in <see cref="Complete"/>'s <c>finally</c>.</summary>
    private void Release(CacheEntry entry, Flight flight)
    {
        lock (entry.Gate)
        {
            if (ReferenceEquals(entry.Flight, flight))
            {
                entry.Flight = null;
            }
        }

        if (Interlocked.Decrement(ref _flightCount) == 0)
        {
            SignalIdle();
        }
    }

    /// <summary>Raised off the fetch, each subscriber on its own: a slow or throwing handler never holds the readers or silences the handlers after it.</summary>
    private void RaiseVersionChanged(SecretRequest key, Secret secret, string previousVersion, bool remoteTriggered)
    {
        if (VersionChanged is not { } handlers)
        {
            return;
        }

        var args = new SecretVersionChangedEventArgs(key, secret.Name, previousVersion, secret.VersionId, remoteTriggered);
        ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                foreach (var handler in state.handlers.GetInvocationList())
                {
                    try
                    {
                        ((EventHandler<SecretVersionChangedEventArgs>)handler)(state.cache, state.args);
                    }
                    catch (Exception ex)
                    {
                        try
                        {
                            Log.HandlerFailed(state.cache._logger, state.cache._options.Name, state.args.Request.SecretId, ex.GetType().Name);
                        }
                        catch (Exception)
                        {
                            // The logger failed too; the next handler still runs.
                        }
                    }
                }
            },
            (handlers, cache: this, args),
            preferLocal: false);
    }

    /// <summary>Counts a store call in the metrics; a throwing listener is contained.</summary>
    private void RecordCall(string operation, ISecretStore store, SecretaryException? error, long started, long now)
    {
        _latency.Record(now - started);
        _storeCalls.GetOrAdd(store.Kind, static _ => new StoreCallCounts()).Record(failed: error is not null);
        try
        {
            _metrics.StoreCall(operation, store.Kind, Outcome(error), store.Region, _time.GetElapsedTime(started, now));
        }
        catch (Exception)
        {
            // A metrics listener that throws must not break the cache.
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
            SecretErrorCategory.Format => "format_error",
            _ => "error",
        },
    };

    private static string Reason(SecretaryException error) =>
        error is SecretStoreUnavailableException unavailable ? unavailable.Reason.ToString() : error.Category.ToString();

    /// <summary>Calls and failed calls to one store kind (a member of a composite store, or the store itself).</summary>
    private sealed class StoreCallCounts
    {
        private long _calls;
        private long _errors;

        public long Calls => Interlocked.Read(ref _calls);

        public long Errors => Interlocked.Read(ref _errors);

        public void Record(bool failed)
        {
            Interlocked.Increment(ref _calls);
            if (failed)
            {
                Interlocked.Increment(ref _errors);
            }
        }
    }
}
