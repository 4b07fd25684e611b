using Secretary.Internals;
using Secretary.Internals.Diagnostics;

namespace Secretary;

public sealed partial class SecretCache
{
    /// <inheritdoc />
    public async Task<SecretWarmReport> WarmAsync(
        IEnumerable<string> secretIds,
        IReadOnlyDictionary<string, TimeSpan>? ttls = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretIds);
        ThrowIfDisposed();
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
        var answers = new Task<CachedValue>[ids.Count];
        var entries = new CacheEntry[ids.Count];
        var batch = new List<(CacheEntry Entry, Flight Flight)>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            var entry = entries[i] = GetOrAddEntry(new SecretRequest(ids[i], null, SecretRequest.CurrentStage));
            if (ttls is not null && ttls.TryGetValue(ids[i], out var ttl))
            {
                Volatile.Write(ref entry.Ttl, ToTimestamp(ttl));
            }

            answers[i] = JoinOrStartBatchFlight(entry, started, batch, "warm-up");
        }

        // The caller's token cancels the wait, not the fetches: readers may have joined them.
        var fetching = FetchBatchesAsync(batch);
        await ((Task)Task.WhenAll(answers).WaitAsync(cancellationToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        var storeCalls = await fetching.ConfigureAwait(false);

        var details = new SecretWarmDetail[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            details[i] = answers[i].IsCompletedSuccessfully
                ? new SecretWarmDetail
                {
                    SecretName = ids[i],
                    Status = "success",
                    Ttl = ToTimeSpan(Volatile.Read(ref entries[i].Ttl)).TotalSeconds,
                    KeysCount = answers[i].Result.Secret.KeyCount,
                }
                : Failed(ids[i], answers[i].Exception?.InnerException as SecretaryException);
        }

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

        static SecretWarmDetail Failed(string id, SecretaryException? error) => new()
        {
            SecretName = id,
            Status = "failed",
            Error = error is null ? "StoreUnavailable: the secret could not be read." : $"{error.Category}: {error.Message}",
        };
    }

    /// <summary>
    /// Refreshes every failing entry now, in batches: the store answered after an outage. Entries
    /// that fail again back off from their own failure count.
    /// </summary>
    private void StartRecovery()
    {
        if (IsDisposed)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var batch = new List<(CacheEntry Entry, Flight Flight)>();
        foreach (var entry in _recovery.Failing())
        {
            if (!entry.Removed)
            {
                JoinOrStartBatchFlight(entry, now, batch, "recovery");
            }
        }
        if (batch.Count > 0)
        {
            Log.Recovering(_logger, _options.Name, batch.Count);
            _ = FetchBatchesAsync(batch);
        }
    }

    /// <summary>Joins the key's flight, or starts one that a batch call will complete (added to <paramref name="batch"/>).</summary>
    private Task<CachedValue> JoinOrStartBatchFlight(CacheEntry entry, long now, List<(CacheEntry Entry, Flight Flight)> batch, string reason)
    {
        lock (entry.Gate)
        {
            if (entry.Flight is { } running)
            {
                running.Join();
                return running.Task;
            }

            var flight = new Flight(Volatile.Read(ref _generation), remoteTriggered: false, probe: false, reason, now);
            entry.Flight = flight;
            Interlocked.Increment(ref _flightCount);
            batch.Add((entry, flight));
            return flight.Task;
        }
    }

    /// <summary>Fetches the batch's flights, <see cref="ISecretStore.MaxBatchSize"/> a call, up to <see cref="SecretCacheOptions.WarmConcurrency"/> calls at once. Returns the number of store calls.</summary>
    private async Task<int> FetchBatchesAsync(List<(CacheEntry Entry, Flight Flight)> batch)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var chunks = batch.Chunk(Math.Clamp(_store.MaxBatchSize, 1, 100)).ToList();
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = _options.WarmConcurrency },
            async (chunk, _) => await FetchChunkAsync(chunk).ConfigureAwait(false)).ConfigureAwait(false);
        return chunks.Count;
    }

    /// <summary>One batch call. Every flight of the chunk is completed, whatever happens (the <c>finally</c>).</summary>
    private async Task FetchChunkAsync((CacheEntry Entry, Flight Flight)[] chunk)
    {
        var requests = chunk.Select(c => c.Entry.Key).ToList();
        var started = _time.GetTimestamp();
        Interlocked.Increment(ref _backendCalls);
        using var activity = SecretaryActivities.StartStoreCall(_store, BatchOperation, chunk[0].Flight.Reason, null, chunk.Length);
        IReadOnlyList<SecretBatchResult>? results = null;
        SecretaryException? callError = null;
        try
        {
            results = await CallStoreAsync(requests[0].SecretId, ct => _store.GetSecretsAsync(requests, ct)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            callError = Classify(requests[0].SecretId, ex);
        }

        var now = _time.GetTimestamp();
        if (callError is not null)
        {
            Interlocked.Increment(ref _backendErrors); // one failed call, whatever the number of secrets in it
        }

        try
        {
            var byRequest = new Dictionary<SecretRequest, SecretBatchResult>();
            foreach (var result in results ?? [])
            {
                if (result is not null)
                {
                    byRequest.TryAdd(result.Request.Normalize(), result);
                }
            }

            foreach (var (entry, flight) in chunk)
            {
                SecretaryException? error = callError;
                Secret? secret = null;
                if (error is null)
                {
                    if (!byRequest.TryGetValue(entry.Key, out var result))
                    {
                        error = new SecretStoreUnavailableException(entry.Key.SecretId, StoreFailureReason.ServerError, "The secret store's batch answer left this secret out.");
                    }
                    else if (result.Secret is { } answered)
                    {
                        error = CheckAnswer(entry.Key, answered);
                        secret = error is null ? answered : null;
                    }
                    else
                    {
                        error = result.Error;
                    }
                }

                Complete(entry, flight, secret, error, now, countError: callError is null);
            }
        }
        finally
        {
            // However the loop ended, no flight of this chunk is left open.
            foreach (var (entry, flight) in chunk)
            {
                if (!flight.Task.IsCompleted)
                {
                    Complete(entry, flight, null, callError ?? new SecretStoreUnavailableException(entry.Key.SecretId, StoreFailureReason.ServerError, "The cache failed while reading the store's batch answer."), now, countError: callError is null);
                }
            }

            RecordCall(BatchOperation, callError, started, now);
            SecretaryActivities.Stop(activity, callError, chunk.Sum(c => c.Flight.Waiters));
        }
    }
}
