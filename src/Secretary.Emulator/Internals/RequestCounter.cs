using System.Collections.Concurrent;

namespace Secretary.Emulator.Internals;

/// <summary>Counts calls per operation (lock-free) for <c>GET /_emulator/requests</c>.</summary>
internal sealed class RequestCounter
{
    public const string Unknown = "Unknown";

    private ConcurrentDictionary<string, long> _operations = new(StringComparer.Ordinal);
    private long _total;
    private long _faulted;
    private long _failed;

    public void Count(string operation)
    {
        _operations.AddOrUpdate(operation, 1, static (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    public void CountFaulted() => Interlocked.Increment(ref _faulted);

    public void CountFailed() => Interlocked.Increment(ref _failed);

    public EmulatorRequestCounts Snapshot() => new()
    {
        Total = Interlocked.Read(ref _total),
        Operations = new SortedDictionary<string, long>(_operations, StringComparer.Ordinal),
        Faulted = Interlocked.Read(ref _faulted),
        Failed = Interlocked.Read(ref _failed),
    };

    public void Reset()
    {
        Interlocked.Exchange(ref _operations, new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _faulted, 0);
        Interlocked.Exchange(ref _failed, 0);
    }
}
