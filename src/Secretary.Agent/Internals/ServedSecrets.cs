using System.Collections.Concurrent;

namespace Secretary.Agent.Internals;

/// <summary>
/// The secret ids the agent has answered, so a fleet backplane can re-read them after a reconnect. Bounded: past four
/// times the cache size it starts over (an id is added again on its next read). Adding a known id is one lookup.
/// </summary>
internal sealed class ServedSecrets(int cacheSize)
{
    private readonly ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);
    private readonly int _limit = Math.Max(16, cacheSize * 4);

    public void Add(string secretId)
    {
        if (_ids.ContainsKey(secretId))
        {
            return;
        }

        if (_ids.Count >= _limit)
        {
            _ids.Clear();
        }

        _ids.TryAdd(secretId, 0);
    }

    public IReadOnlyCollection<string> Snapshot() => [.. _ids.Keys];
}
