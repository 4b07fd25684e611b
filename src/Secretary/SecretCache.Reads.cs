using System.Runtime.CompilerServices;
using Secretary.Internals;

namespace Secretary;

public sealed partial class SecretCache
{
    /// <inheritdoc />
    public ValueTask<Secret> GetAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        // The hit path: one string-keyed lookup and a flag; no clock read, no lock, no allocation.
        // The due queue marks values due when their refresh time passes; due values take the checked path.
        if (TryHit(secretId, options, out var hit))
        {
            return new ValueTask<Secret>(hit);
        }

        var lookup = LookupAsync(secretId, options, cancellationToken);
        return lookup.IsCompletedSuccessfully
            ? new ValueTask<Secret>(lookup.Result.Secret)
            : UnwrapAsync(lookup);

        static async ValueTask<Secret> UnwrapAsync(ValueTask<SecretLookup> pending) =>
            (await pending.ConfigureAwait(false)).Secret;
    }

    /// <inheritdoc />
    public ValueTask<Secret?> TryGetAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (TryHit(secretId, options, out var hit))
        {
            return new ValueTask<Secret?>(hit);
        }

        // A remembered error answers null without an exception: no allocation, no throw.
        var lookup = Lookup(secretId, options, cancellationToken, out var remembered);
        if (remembered is not null)
        {
            return default;
        }

        return lookup.IsCompletedSuccessfully ? new ValueTask<Secret?>(lookup.Result.Secret) : OrNullAsync(lookup);

        static async ValueTask<Secret?> OrNullAsync(ValueTask<SecretLookup> pending)
        {
            try
            {
                return (await pending.ConfigureAwait(false)).Secret;
            }
            catch (SecretaryException)
            {
                return null;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<SecretLookup> LookupAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var lookup = Lookup(secretId, options, cancellationToken, out var remembered);
        return remembered is null ? lookup : ValueTask.FromException<SecretLookup>(remembered.CreateException());
    }

    /// <inheritdoc />
    public async Task<Secret> RefreshAsync(string secretId, SecretReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var policy = Resolve(secretId, options);
        var entry = GetOrAddEntry(policy.Key);
        var flight = StartFlight(entry, _time.GetTimestamp(), FlightMode.Explicit)!;
        var value = await WaitAsync(flight, cancellationToken).ConfigureAwait(false);
        return value.Secret;
    }

    /// <summary>
    /// A hit needs the current stage, a value not yet due, and options that cannot make that value
    /// stale: none, or only a TTL at least the entry's own (a value not due for the entry's TTL is
    /// not due for a longer one either).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryHit(string secretId, SecretReadOptions? options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Secret? secret)
    {
        if (secretId is { Length: > 0 and <= SecretRequest.MaxSecretIdLength }
            && _table.TryGetCurrent(secretId, out var entry)
            && entry.Value is { Due: false } value
            && (options is null || AllowsHit(options, entry)))
        {
            MarkReferenced(entry);
            _hits.Increment();
            secret = value.Secret;
            return true;
        }

        secret = null;
        return false;
    }

    /// <summary>
    /// Sets the eviction hand's reference bit — on hits only: an entry read once (a miss) starts
    /// without it, so a scan of one-off ids cannot push out the entries that are read again.
    /// Written only when clear, so readers of a hot entry on several cores do not fight over its line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MarkReferenced(CacheEntry entry)
    {
        if (!entry.Referenced)
        {
            entry.Referenced = true;
        }
    }

    private bool AllowsHit(SecretReadOptions options, CacheEntry entry) =>
        options is { VersionId: null, VersionStage: null, RefreshAhead: null, MaxStale: null, Ttl: { } ttl }
        && ttl <= SecretCacheDefaults.MaxTtl
        && ToTimestamp(ttl) >= Volatile.Read(ref entry.Ttl);

    /// <summary>The checked read. A remembered error is handed back in <paramref name="remembered"/> instead of being thrown.</summary>
    private ValueTask<SecretLookup> Lookup(string secretId, SecretReadOptions? options, CancellationToken cancellationToken, out NegativeResult? remembered)
    {
        ThrowIfDisposed();
        var policy = Resolve(secretId, options);
        var entry = GetOrAddEntry(policy.Key);
        var now = _time.GetTimestamp();
        remembered = null;
        if (entry.Negative is { } negative && now < negative.Until)
        {
            _hits.Increment();
            remembered = negative;
            return default;
        }

        var value = entry.Value;
        if (value is not null)
        {
            var ttl = policy.Ttl > 0 ? policy.Ttl : Volatile.Read(ref entry.Ttl);
            var age = now - value.FetchedAt;
            if (age < ttl)
            {
                if (now >= RefreshAt(value, policy, ttl))
                {
                    TryStartBackgroundRefresh(entry, now);
                }

                MarkReferenced(entry);
                _hits.Increment();
                return new ValueTask<SecretLookup>(new SecretLookup(value.Secret, false, ToTimeSpan(age), true));
            }

            if (Volatile.Read(ref entry.ConsecutiveFailures) > 0 && age <= policy.MaxStale)
            {
                MarkReferenced(entry);
                if (now >= Volatile.Read(ref entry.RetryAt))
                {
                    // The retry is due: ask the store, so a store that is back answers this very read — a permission
                    // revoked meanwhile is the error, not the old value — but wait at most StaleRetryWait for it.
                    _misses.Increment();
                    return RetryOrStaleAsync(entry, policy, value, ttl, cancellationToken);
                }

                // Backing off: answer at once with the last good value, without a store call.
                _hits.Increment();
                _stale.Increment();
                return new ValueTask<SecretLookup>(new SecretLookup(value.Secret, true, ToTimeSpan(age), true));
            }
        }

        _misses.Increment();
        return AwaitStoreAsync(entry, policy, value, cancellationToken);
    }

    /// <summary>When a read of <paramref name="value"/> under <paramref name="policy"/> should start a background refresh.</summary>
    private long RefreshAt(CachedValue value, in ReadPolicy policy, long ttl) =>
        policy.Ttl == 0 && policy.RefreshAhead is null
            ? value.RefreshAt
            : value.FetchedAt + RefreshOffset(ttl, policy.RefreshAhead ?? _options.RefreshAhead);

    /// <summary>
    /// How long after a fetch a value is refreshed: a fixed fraction of the TTL when one is set,
    /// else TTL − max(1 s, 10 × the store's p99 latency), the lead capped at a fifth of the TTL.
    /// </summary>
    private long RefreshOffset(long ttl, double? refreshAhead)
    {
        if (refreshAhead is { } fraction)
        {
            return (long)(ttl * fraction);
        }

        var lead = Math.Max(_minRefreshLead, SecretCacheDefaults.RefreshLeadLatencyFactor * _latency.P99());
        return ttl - Math.Min(lead, (long)(ttl * SecretCacheDefaults.MaxRefreshLeadFraction));
    }

    private async ValueTask<SecretLookup> AwaitStoreAsync(CacheEntry entry, ReadPolicy policy, CachedValue? previous, CancellationToken cancellationToken)
    {
        var ttl = policy.Ttl > 0 ? policy.Ttl : Volatile.Read(ref entry.Ttl);
        var flight = StartFlight(entry, _time.GetTimestamp(), FlightMode.Read, previous, ttl)!;
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

    /// <summary>
    /// A due retry of a failing entry, on the reader's time: the store's answer when it comes within
    /// <see cref="SecretCacheDefaults.StaleRetryWait"/> (a value, or a permanent error, thrown); the stale
    /// value when the store fails again or is slow (the call goes on and stores its answer when it comes).
    /// </summary>
    private async ValueTask<SecretLookup> RetryOrStaleAsync(CacheEntry entry, ReadPolicy policy, CachedValue stale, long ttl, CancellationToken cancellationToken)
    {
        var flight = StartFlight(entry, _time.GetTimestamp(), FlightMode.Read, stale, ttl)!;
        try
        {
            var value = await flight.WaitAsync(SecretCacheDefaults.StaleRetryWait, _time, cancellationToken).ConfigureAwait(false);
            return new SecretLookup(value.Secret, false, ToTimeSpan(_time.GetTimestamp() - value.FetchedAt), false);
        }
        catch (Exception ex) when ((ex is TimeoutException || (ex is SecretaryException { IsTransient: true })) && !entry.Removed)
        {
            var age = _time.GetTimestamp() - stale.FetchedAt;
            if (age > policy.MaxStale)
            {
                throw;
            }

            _stale.Increment();
            return new SecretLookup(stale.Secret, true, ToTimeSpan(age), false);
        }
    }

    private static Task<CachedValue> WaitAsync(Task<CachedValue> flight, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? flight.WaitAsync(cancellationToken) : flight;

    private ReadPolicy Resolve(string secretId, SecretReadOptions? options)
    {
        var request = new SecretRequest(secretId, options?.VersionId, options?.VersionStage).Normalize();
        request.Validate();
        if (options is null)
        {
            return new ReadPolicy(request, 0, null, _maxStale);
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
            options.RefreshAhead,
            options.MaxStale is { } m ? ToTimestamp(m) : _maxStale);
    }

    /// <summary>What one read asks for: its key, its TTL (0: the entry's), its refresh-ahead fraction (null: the cache's) and MaxStale.</summary>
    private readonly record struct ReadPolicy(SecretRequest Key, long Ttl, double? RefreshAhead, long MaxStale);
}
