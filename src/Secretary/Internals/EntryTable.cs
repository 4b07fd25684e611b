using System.Collections.Concurrent;

namespace Secretary.Internals;

/// <summary>
/// The cache's entries in two maps: the current stage of a secret (the key almost every read
/// uses) under its plain id, where a string lookup costs a few nanoseconds, and every other
/// stage or version under the full request. Each entry lives in exactly one map.
/// </summary>
internal sealed class EntryTable
{
    private readonly ConcurrentDictionary<string, CacheEntry> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SecretRequest, CacheEntry> _other = new();
    private int _walks;

    public static bool IsCurrent(SecretRequest key) => key.VersionId is null && key.VersionStage == SecretRequest.CurrentStage;

    public bool TryGetCurrent(string secretId, out CacheEntry entry) => _current.TryGetValue(secretId, out entry!);

    public bool TryGet(SecretRequest key, out CacheEntry entry) =>
        IsCurrent(key) ? _current.TryGetValue(key.SecretId, out entry!) : _other.TryGetValue(key, out entry!);

    public CacheEntry GetOrAdd(CacheEntry created) =>
        IsCurrent(created.Key) ? _current.GetOrAdd(created.Key.SecretId, created) : _other.GetOrAdd(created.Key, created);

    public bool TryRemove(CacheEntry entry) =>
        IsCurrent(entry.Key)
            ? _current.TryRemove(new KeyValuePair<string, CacheEntry>(entry.Key.SecretId, entry))
            : _other.TryRemove(new KeyValuePair<SecretRequest, CacheEntry>(entry.Key, entry));

    /// <summary>How many times the whole table was walked: only <c>Clear()</c> and <c>Dispose</c> may (tests hold the rest to zero).</summary>
    public int Walks => Volatile.Read(ref _walks);

    /// <summary>A moment-in-time walk over every entry (safe while others add and remove).</summary>
    public IEnumerable<CacheEntry> All()
    {
        Interlocked.Increment(ref _walks);
        foreach (var (_, entry) in _current)
        {
            yield return entry;
        }

        foreach (var (_, entry) in _other)
        {
            yield return entry;
        }
    }
}
