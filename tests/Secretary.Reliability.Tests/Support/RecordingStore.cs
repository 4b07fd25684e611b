namespace Secretary.Reliability.Tests;

/// <summary>
/// A store for the property tests: a <see cref="FakeSecretStore"/> behind faults the test switches (transient errors,
/// answers that break the store contract, access denied for one secret), and a log of every answer it gave, with
/// the time it gave it. The log is the truth a model of the cache is checked against: the cache can only know what
/// the store told it.
/// </summary>
internal sealed class RecordingStore(FakeSecretStore inner, TimeProvider time) : ISecretStore
{
    private readonly List<StoreEvent> _events = [];
    private readonly HashSet<string> _denied = new(StringComparer.Ordinal);
    private int _calls;
    private int _fault;

    /// <summary>What the store does instead of answering.</summary>
    public enum FaultKind
    {
        None,

        /// <summary>A typed transient error (503).</summary>
        Unavailable,

        /// <summary>A typed transient error (throttling).</summary>
        Throttled,

        /// <summary>An exception that is not a <see cref="SecretaryException"/> (a store bug; transient for the cache).</summary>
        Untyped,

        /// <summary>A null answer (a store breaking its contract; transient for the cache).</summary>
        NullAnswer,

        /// <summary>Another secret than the one asked for (a store breaking its contract; transient for the cache).</summary>
        WrongSecret,
    }

    /// <summary>What one answer was, as the cache must understand it.</summary>
    public enum Outcome
    {
        Value,
        NotFound,
        Denied,
        Transient,
    }

    /// <summary>One answer for one request (a batch call gives one per request).</summary>
    /// <param name="Sequence">The answer's place in the log.</param>
    /// <param name="Request">The request, normalised (a stage filled in when neither a stage nor a version id is given).</param>
    /// <param name="At">The store's clock when it answered.</param>
    /// <param name="Outcome">What the answer means to the cache.</param>
    /// <param name="Secret">The secret answered, for <see cref="Outcome.Value"/>.</param>
    /// <param name="Batch">The answer came from a batch call.</param>
    /// <param name="WholeBatch">A batch call that failed as a whole (no result per secret).</param>
    public sealed record StoreEvent(int Sequence, SecretRequest Request, DateTimeOffset At, Outcome Outcome, Secret? Secret, bool Batch, bool WholeBatch);

    public string Kind => "recording";

    public int MaxBatchSize => inner.MaxBatchSize;

    /// <summary>Calls of either kind (a batch is one call), as the cache's <c>backend_calls</c> should count them.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public FaultKind Fault
    {
        get => (FaultKind)Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, (int)value);
    }

    public FakeSecretStore Inner => inner;

    /// <summary>Every answer so far, in order.</summary>
    public IReadOnlyList<StoreEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The answers from <paramref name="from"/> (a count of events seen before) on.</summary>
    public IReadOnlyList<StoreEvent> EventsSince(int from)
    {
        lock (_events)
        {
            return [.. _events.Skip(from)];
        }
    }

    public int EventCount
    {
        get
        {
            lock (_events)
            {
                return _events.Count;
            }
        }
    }

    /// <summary>From now on the store answers AccessDenied for <paramref name="secretId"/> (or stops doing so).</summary>
    public void SetDenied(string secretId, bool denied)
    {
        lock (_denied)
        {
            _ = denied ? _denied.Add(secretId) : _denied.Remove(secretId);
        }
    }

    public bool IsDenied(string secretId)
    {
        lock (_denied)
        {
            return _denied.Contains(secretId);
        }
    }

    public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        Secret? secret = null;
        SecretaryException? error = null;
        try
        {
            secret = await inner.GetSecretAsync(request, cancellationToken);
        }
        catch (SecretaryException ex)
        {
            error = ex;
        }

        var key = request.Normalize();
        switch (Fault)
        {
            case FaultKind.None:
                break;
            case FaultKind.NullAnswer:
                Record(key, Outcome.Transient, null, batch: false, wholeBatch: false);
                return null!;
            case FaultKind.WrongSecret:
                Record(key, Outcome.Transient, null, batch: false, wholeBatch: false);
                return Impostor();
            default:
                Record(key, Outcome.Transient, null, batch: false, wholeBatch: false);
                throw TransientError(request.SecretId);
        }

        if (IsDenied(request.SecretId))
        {
            Record(key, Outcome.Denied, null, batch: false, wholeBatch: false);
            throw new SecretAccessDeniedException(request.SecretId, "Access to the secret is denied.", "AccessDeniedException", 400);
        }

        if (error is not null)
        {
            Record(key, error is SecretNotFoundException ? Outcome.NotFound : Outcome.Transient, null, batch: false, wholeBatch: false);
            throw error;
        }

        Record(key, Outcome.Value, secret, batch: false, wholeBatch: false);
        return secret!;
    }

    public async Task<IReadOnlyList<SecretBatchResult>> GetSecretsAsync(IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var results = await inner.GetSecretsAsync(requests, cancellationToken);
        switch (Fault)
        {
            case FaultKind.None:
                break;
            case FaultKind.NullAnswer:
                foreach (var request in requests)
                {
                    Record(request.Normalize(), Outcome.Transient, null, batch: true, wholeBatch: true);
                }

                return null!;
            case FaultKind.WrongSecret:
                foreach (var request in requests)
                {
                    Record(request.Normalize(), Outcome.Transient, null, batch: true, wholeBatch: false);
                }

                return [.. requests.Select(r => SecretBatchResult.Success(r, Impostor()))];
            default:
                foreach (var request in requests)
                {
                    Record(request.Normalize(), Outcome.Transient, null, batch: true, wholeBatch: true);
                }

                throw TransientError(requests[0].SecretId);
        }

        var answered = new List<SecretBatchResult>(results.Count);
        foreach (var result in results)
        {
            var key = result.Request.Normalize();
            if (IsDenied(key.SecretId))
            {
                Record(key, Outcome.Denied, null, batch: true, wholeBatch: false);
                answered.Add(SecretBatchResult.Failure(result.Request, new SecretAccessDeniedException(key.SecretId, "Access to the secret is denied.", "AccessDeniedException", 400)));
            }
            else if (result.Secret is { } secret)
            {
                Record(key, Outcome.Value, secret, batch: true, wholeBatch: false);
                answered.Add(result);
            }
            else
            {
                Record(key, result.Error is SecretNotFoundException ? Outcome.NotFound : Outcome.Transient, null, batch: true, wholeBatch: false);
                answered.Add(result);
            }
        }

        return answered;
    }

    private Exception TransientError(string secretId) => Fault switch
    {
        FaultKind.Throttled => new SecretStoreUnavailableException(secretId, StoreFailureReason.Throttled, "Rate exceeded."),
        FaultKind.Untyped => new InvalidOperationException("A bug in the store."),
        _ => new SecretStoreUnavailableException(secretId, StoreFailureReason.ServerError, "503 from the store."),
    };

    /// <summary>An answer for a secret nobody asked for.</summary>
    private static Secret Impostor() =>
        new("impostor/secret", Guid.NewGuid().ToString(), "impostor-value", versionStages: [SecretRequest.CurrentStage]);

    private void Record(SecretRequest request, Outcome outcome, Secret? secret, bool batch, bool wholeBatch)
    {
        lock (_events)
        {
            _events.Add(new StoreEvent(_events.Count, request, time.GetUtcNow(), outcome, secret, batch, wholeBatch));
        }
    }
}
