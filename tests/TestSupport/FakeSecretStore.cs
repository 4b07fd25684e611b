using System.Collections.Concurrent;
using Secretary;

namespace Secretary.Testing;

/// <summary>
/// An in-memory store for tests: counts calls, can hold calls at a gate (latency under the
/// test's control), inject faults, or hang. Versions get fresh ids on every change.
/// </summary>
public sealed class FakeSecretStore : ISecretStore
{
    private readonly ConcurrentDictionary<string, Secret> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Secret> _previous = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Secret> _byVersion = new(StringComparer.Ordinal);
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly Lock _gateLock = new();
    private TaskCompletionSource? _gate;
    private int _getCalls;
    private int _batchCalls;

    public string Kind => "fake";

    public string? Region { get; set; } = "us-test-1";

    public int MaxBatchSize { get; set; } = 20;

    /// <summary>Calls to <see cref="GetSecretAsync"/>.</summary>
    public int GetCalls => Volatile.Read(ref _getCalls);

    /// <summary>Calls to <see cref="GetSecretsAsync"/>.</summary>
    public int BatchCalls => Volatile.Read(ref _batchCalls);

    /// <summary>All calls.</summary>
    public int Calls => GetCalls + BatchCalls;

    /// <summary>When set, every call throws what it returns (after the gate).</summary>
    public Func<SecretRequest, Exception>? Fault { get; set; }

    /// <summary>Awaited before each answer: per-request latency or holds under the test's control.</summary>
    public Func<SecretRequest, CancellationToken, Task>? BeforeAnswer { get; set; }

    /// <summary>When true, calls never complete unless cancelled (and <see cref="IgnoreCancellation"/> is false).</summary>
    public bool Hang { get; set; }

    /// <summary>A hanging call ignores its cancellation token.</summary>
    public bool IgnoreCancellation { get; set; }

    /// <summary>Sets a secret's current value (a new version; the old one becomes AWSPREVIOUS).</summary>
    public Secret Set(string name, string value)
    {
        var secret = new Secret(name, Guid.NewGuid().ToString(), value, versionStages: [SecretRequest.CurrentStage], arn: $"arn:aws:secretsmanager:us-test-1:123456789012:secret:{name}-AbCdEf");
        if (_current.TryGetValue(name, out var old))
        {
            _previous[name] = new Secret(name, old.VersionId, old.SecretString, versionStages: [SecretRequest.PreviousStage], arn: old.Arn);
        }

        _current[name] = secret;
        _byVersion[secret.VersionId] = secret;
        return secret;
    }

    public Secret SetBinary(string name, byte[] value)
    {
        var secret = new Secret(name, Guid.NewGuid().ToString(), secretBinary: value);
        _current[name] = secret;
        _byVersion[secret.VersionId] = secret;
        return secret;
    }

    public void Delete(string name) => _current.TryRemove(name, out _);

    /// <summary>Holds every call until <see cref="Release"/>.</summary>
    public void Block()
    {
        lock (_gateLock)
        {
            _gate ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets held calls (and later ones) through.</summary>
    public void Release()
    {
        TaskCompletionSource? gate;
        lock (_gateLock)
        {
            gate = _gate;
            _gate = null;
        }

        gate?.TrySetResult();
    }

    /// <summary>Completes when at least <paramref name="count"/> calls have started.</summary>
    public Task WaitForCallsAsync(int count)
    {
        lock (_waiters)
        {
            if (Calls >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _getCalls);
        Signal();
        await PassAsync(cancellationToken);
        if (BeforeAnswer is { } before)
        {
            await before(request, cancellationToken);
        }

        if (Fault is { } fault)
        {
            throw fault(request);
        }

        return Find(request) ?? throw new SecretNotFoundException(request.SecretId, $"Secrets Manager can't find the specified secret.");
    }

    public async Task<IReadOnlyList<SecretBatchResult>> GetSecretsAsync(IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken = default)
    {
        if (requests.Count > MaxBatchSize)
        {
            throw new SecretParameterException(null, $"A batch takes at most {MaxBatchSize} ids.");
        }

        Interlocked.Increment(ref _batchCalls);
        Signal();
        await PassAsync(cancellationToken);
        if (Fault is { } fault)
        {
            throw fault(requests[0]);
        }

        return [.. requests.Select(r => Find(r) is { } s
            ? SecretBatchResult.Success(r, s)
            : SecretBatchResult.Failure(r, new SecretNotFoundException(r.SecretId)))];
    }

    private Secret? Find(SecretRequest request) => request switch
    {
        { VersionId: { } id } => _byVersion.TryGetValue(id, out var s) && _current.ContainsKey(s.Name) ? s : null,
        { VersionStage: SecretRequest.PreviousStage } => _previous.TryGetValue(request.SecretId, out var p) ? p : null,
        _ => _current.TryGetValue(request.SecretId, out var c) ? c : null,
    };

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        Task? gate;
        lock (_gateLock)
        {
            gate = _gate?.Task;
        }

        if (gate is not null)
        {
            await gate.WaitAsync(cancellationToken);
        }

        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, IgnoreCancellation ? CancellationToken.None : cancellationToken);
        }
    }

    private void Signal()
    {
        lock (_waiters)
        {
            var calls = Calls;
            foreach (var waiter in _waiters.Where(w => w.Count <= calls).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
