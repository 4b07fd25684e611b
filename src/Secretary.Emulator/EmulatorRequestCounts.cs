namespace Secretary.Emulator;

/// <summary>A snapshot of the calls the emulator received on its Secrets Manager endpoint (admin calls are not counted).</summary>
public sealed class EmulatorRequestCounts
{
    /// <summary>Gets every call received, whatever its outcome.</summary>
    public long Total { get; init; }

    /// <summary>Gets calls by operation name; calls without a known <c>X-Amz-Target</c> count under <c>Unknown</c>.</summary>
    public IReadOnlyDictionary<string, long> Operations { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the calls answered (or dropped) by an injected fault.</summary>
    public long Faulted { get; init; }

    /// <summary>Gets the calls answered with an error that was not injected (signature, validation, not found, ...).</summary>
    public long Failed { get; init; }

    /// <summary>Returns the count for one operation, 0 when it was never called.</summary>
    /// <param name="operation">The operation name, for example <c>GetSecretValue</c>.</param>
    /// <returns>The number of calls received for <paramref name="operation"/>.</returns>
    public long For(string operation) => Operations.TryGetValue(operation, out var n) ? n : 0;
}
