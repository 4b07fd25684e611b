namespace Secretary.Internals;

/// <summary>
/// One store call for one key, shared by every reader that arrives while it runs. It is
/// completed exactly once, by <c>SecretCache.Complete</c>, in a <c>finally</c>.
/// </summary>
internal sealed class Flight(long generation, bool remoteTriggered, bool probe, string reason, long startedAt)
    : TaskCompletionSource<CachedValue>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    private int _waiters = 1;

    /// <summary>Why the store is called, for the span: miss, refresh-ahead, stale, refresh, remote, probe, warm-up, recovery.</summary>
    public string Reason { get; } = reason;

    /// <summary>Readers served by this one call: the one that started it and every one that joined.</summary>
    public int Waiters => Volatile.Read(ref _waiters);

    public void Join() => Interlocked.Increment(ref _waiters);

    /// <summary>The cache's generation when the flight started: a <c>Clear()</c> since then keeps its answer out of the cache.</summary>
    public long Generation { get; } = generation;

    /// <summary>When the flight started (a timestamp): a remote change seen before it needs no refresh of its own.</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>Started by a message from another instance.</summary>
    public bool RemoteTriggered { get; } = remoteTriggered;

    /// <summary>The recovery monitor's probe: its failure leaves the key's own backoff as it was.</summary>
    public bool Probe { get; } = probe;
}
