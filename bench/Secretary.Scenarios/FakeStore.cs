using System.Collections.Concurrent;

namespace Secretary.Scenarios;

/// <summary>
/// The one store every contender reads in a scenario: any id answers with a small JSON secret,
/// after a latency chosen per id (a real <see cref="Task.Delay(TimeSpan)"/>; zero answers at
/// once, which is what simulated-time scenarios use). <see cref="Down"/> makes every call fail
/// as a network error. Batches of up to 20 cost one round trip. Every call is counted and
/// logged with the scenario clock's time.
/// </summary>
internal sealed class FakeStore : ISecretStore, Secretary.Bench.ISyncSecretStore
{
    private readonly Func<string, TimeSpan> _latency;
    private readonly Func<double> _clock;
    private readonly ConcurrentDictionary<string, int> _perSecret = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<StoreCall> _log = new();
    private int _calls;

    /// <param name="latency">How long a call takes, by secret id (a batch takes its first id's latency once).</param>
    /// <param name="clock">The scenario clock in seconds, for the call log.</param>
    public FakeStore(Func<string, TimeSpan>? latency = null, Func<double>? clock = null)
    {
        _latency = latency ?? (_ => TimeSpan.Zero);
        _clock = clock ?? (() => 0);
    }

    public string Kind => "fake";

    public int MaxBatchSize => 20;

    /// <summary>When set, every call fails with <see cref="SecretStoreUnavailableException"/> (network).</summary>
    public volatile bool Down;

    /// <summary>Round trips: a single get or a batch of up to 20 counts one.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyDictionary<string, int> CallsPerSecret => _perSecret;

    public IEnumerable<StoreCall> Log => _log;

    public async Task<Secret> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken = default)
    {
        Record(request.SecretId, 1);
        var latency = _latency(request.SecretId);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        }

        return Answer(request.SecretId);
    }

    /// <summary>The blocking form the seed port calls: the same latency, spent sleeping on the caller's thread.</summary>
    public Secret GetSecret(SecretRequest request)
    {
        Record(request.SecretId, 1);
        var latency = _latency(request.SecretId);
        if (latency > TimeSpan.Zero)
        {
            Thread.Sleep(latency);
        }

        return Answer(request.SecretId);
    }

    public async Task<IReadOnlyList<SecretBatchResult>> GetSecretsAsync(IReadOnlyList<SecretRequest> requests, CancellationToken cancellationToken = default)
    {
        if (requests.Count > MaxBatchSize)
        {
            throw new ArgumentException("A batch holds at most 20 ids.", nameof(requests));
        }

        Interlocked.Increment(ref _calls);
        foreach (var request in requests)
        {
            Record(request.SecretId, 0);
        }

        var latency = requests.Count == 0 ? TimeSpan.Zero : _latency(requests[0].SecretId);
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, cancellationToken).ConfigureAwait(false);
        }

        return [.. requests.Select(r => SecretBatchResult.Success(r, Answer(r.SecretId)))];
    }

    private void Record(string id, int roundTrips)
    {
        if (roundTrips > 0)
        {
            Interlocked.Increment(ref _calls);
        }

        _perSecret.AddOrUpdate(id, 1, static (_, n) => n + 1);
        _log.Enqueue(new StoreCall(_clock(), id, !Down));
    }

    private Secret Answer(string id)
    {
        if (Down)
        {
            throw new SecretStoreUnavailableException(id, StoreFailureReason.Network, "The fake store is down.");
        }

        return new Secret(id, "v1", $$"""{"username":"app","password":"{{id}}-password","host":"db.internal"}""");
    }
}

/// <summary>One store call: when (scenario seconds), for which secret, and whether the store was up.</summary>
internal readonly record struct StoreCall(double At, string SecretId, bool Succeeded);
