namespace Secretary.Internals;

/// <summary>
/// One store call for one key, shared by every reader that arrives while it runs. It is
/// completed exactly once, by <c>SecretCache.Complete</c>, in a <c>finally</c>.
/// </summary>
internal sealed class Flight(long generation, bool remoteTriggered, bool probe)
    : TaskCompletionSource<CachedValue>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    /// <summary>The cache's generation when the flight started: a <c>Clear()</c> since then keeps its answer out of the cache.</summary>
    public long Generation { get; } = generation;

    /// <summary>Started by a message from another instance.</summary>
    public bool RemoteTriggered { get; } = remoteTriggered;

    /// <summary>The recovery monitor's probe: its failure leaves the key's own backoff as it was.</summary>
    public bool Probe { get; } = probe;
}
