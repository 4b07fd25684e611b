using Secretary.Internals;
using Secretary.Internals.Eviction;

namespace Secretary;

public sealed partial class SecretCache
{
    /// <inheritdoc />
    public void Clear(string secretId)
    {
        ArgumentNullException.ThrowIfNull(secretId);
        ThrowIfDisposed();
        var removed = 0;
        foreach (var entry in _index.Find(secretId))
        {
            removed += Remove(entry, evicting: false, EntryClass.New) == EvictionOutcome.Evicted ? 1 : 0;
        }

        Log.Cleared(_logger, _options.Name, secretId, removed);
    }

    /// <inheritdoc />
    public void Clear()
    {
        ThrowIfDisposed();
        var removed = RemoveAll();
        Log.Cleared(_logger, _options.Name, "*", removed);
    }

    /// <summary>
    /// Finds or creates the entry of <paramref name="key"/>. A new entry is in the index before it is in
    /// the table, so a <see cref="Clear(string)"/> that runs meanwhile either sees it or runs before it
    /// exists; an entry removed before it was published is taken out again and the lookup retried.
    /// </summary>
    private CacheEntry GetOrAddEntry(SecretRequest key)
    {
        while (true)
        {
            if (_table.TryGet(key, out var existing))
            {
                if (!existing.Removed)
                {
                    return existing;
                }

                _table.TryRemove(existing); // help a removal that is under way
                continue;
            }

            var created = new CacheEntry(key, TtlFor(key.SecretId));
            lock (created.Gate)
            {
                created.Aliases = [key.SecretId];
                _index.Add(key.SecretId, created);
            }

            var entry = _table.GetOrAdd(created);
            if (!ReferenceEquals(entry, created))
            {
                lock (created.Gate)
                {
                    created.Removed = true;
                    _index.Remove(key.SecretId, created);
                }

                continue;
            }

            if (created.Removed)
            {
                _table.TryRemove(created); // cleared between the index and the table
                continue;
            }

            return created;
        }
    }

    /// <summary>Makes the entry findable by the secret's name and ARN too (under the entry's gate).</summary>
    private void AddAliases(CacheEntry entry, Secret secret)
    {
        var aliases = entry.Aliases;
        if (!aliases.Contains(secret.Name))
        {
            _index.Add(secret.Name, entry);
            aliases = [.. aliases, secret.Name];
        }

        if (secret.Arn is { } arn && !aliases.Contains(arn))
        {
            _index.Add(arn, entry);
            aliases = [.. aliases, arn];
        }

        entry.Aliases = aliases;
    }

    /// <summary>
    /// Removes an entry from every structure. When <paramref name="evicting"/>, refuses an entry whose
    /// fetch is under way (<see cref="EvictionOutcome.Busy"/>) or that left the ring being swept.
    /// </summary>
    private EvictionOutcome Remove(CacheEntry entry, bool evicting, EntryClass sweptClass)
    {
        lock (entry.Gate)
        {
            if (entry.Removed || (evicting && entry.Class != sweptClass))
            {
                return EvictionOutcome.Gone;
            }

            if (evicting && entry.Flight is not null)
            {
                return EvictionOutcome.Busy;
            }

            entry.Removed = true;
            if (entry.ConsecutiveFailures > 0)
            {
                entry.ConsecutiveFailures = 0;
                _recovery.Remove(entry);
            }

            _ledger.Forget(entry);
            _eviction.Leave(entry);
            foreach (var alias in entry.Aliases)
            {
                _index.Remove(alias, entry);
            }
        }

        _table.TryRemove(entry);
        return EvictionOutcome.Evicted;
    }

    /// <summary>Forgets everything; flights under way (started in an older generation) store nothing.</summary>
    private int RemoveAll()
    {
        Interlocked.Increment(ref _generation);
        var removed = 0;
        foreach (var entry in _table.All())
        {
            removed += Remove(entry, evicting: false, EntryClass.New) == EvictionOutcome.Evicted ? 1 : 0;
        }

        return removed;
    }

    /// <summary>After a store answer: keep both budgets (O(1) amortised) and the due queue's garbage bounded.</summary>
    private void Maintain(long now)
    {
        _eviction.Sweep(_evict);
        if (_due.NeedsCompaction(_ledger.Count))
        {
            _due.Compact(_ledger.Values(), now);
        }
    }

    private long TtlFor(string secretId)
    {
        if (_options.SecretTtls.TryGetValue(secretId, out var ttl))
        {
            return ToTimestamp(ttl);
        }

        foreach (var (kind, kindTtl) in _options.StoreKindTtls)
        {
            if (string.Equals(_store.Kind, kind, StringComparison.Ordinal)
                || (secretId.Length > kind.Length && secretId[kind.Length] == ':' && secretId.StartsWith(kind, StringComparison.Ordinal)))
            {
                return ToTimestamp(kindTtl);
            }
        }

        return _defaultTtl;
    }
}
