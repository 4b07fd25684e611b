namespace Secretary.Bench;

/// <summary>One cache under test, read the way its users would read it.</summary>
public interface ICacheContender : IDisposable
{
    /// <summary>The row label in tables and charts.</summary>
    string Name { get; }

    /// <summary>Reads one secret (the whole value) through the cache.</summary>
    ValueTask<object> ReadAsync(string secretId);

    /// <summary>The best warm-up a user of this cache could write (a batch where the cache has one).</summary>
    Task WarmAsync(IReadOnlyList<string> secretIds);

    /// <summary>Waits for the cache's own background work (used between simulated-time steps).</summary>
    void Settle()
    {
    }
}
