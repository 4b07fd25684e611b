namespace Secretary.Internals;

/// <summary>
/// The entries that hold a value, in the order their values were fetched (an intrusive doubly
/// linked list under one short lock), with the sum of their fetch times and a count per secret
/// name. Every update is O(1), so the stats document (count, distinct secrets, oldest, newest
/// and average age) is read without walking the cache. Updated only under the entry's gate.
/// </summary>
internal sealed class ValueLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _names = new(StringComparer.Ordinal);
    private CacheEntry? _head;
    private CacheEntry? _tail;
    private int _count;
    private Int128 _sumFetchedAt;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Records that <paramref name="entry"/> now holds a value fetched at <paramref name="fetchedAt"/>: it becomes the newest.</summary>
    public void Record(CacheEntry entry, long fetchedAt, string name)
    {
        lock (_gate)
        {
            if (entry.InLedger)
            {
                Unlink(entry);
            }

            entry.InLedger = true;
            entry.LedgerFetchedAt = fetchedAt;
            entry.LedgerName = name;
            entry.LedgerPrevious = _tail;
            entry.LedgerNext = null;
            if (_tail is null)
            {
                _head = entry;
            }
            else
            {
                _tail.LedgerNext = entry;
            }

            _tail = entry;
            _count++;
            _sumFetchedAt += fetchedAt;
            _names[name] = _names.GetValueOrDefault(name) + 1;
        }
    }

    /// <summary>Records that <paramref name="entry"/> no longer holds a value.</summary>
    public void Forget(CacheEntry entry)
    {
        lock (_gate)
        {
            if (entry.InLedger)
            {
                Unlink(entry);
                entry.InLedger = false;
            }
        }
    }

    public LedgerSnapshot Read()
    {
        lock (_gate)
        {
            return _count == 0
                ? default
                : new LedgerSnapshot(_count, _names.Count, _head!.LedgerFetchedAt, _tail!.LedgerFetchedAt, (double)_sumFetchedAt / _count);
        }
    }

    /// <summary>The fetch time of the oldest value, or null when empty.</summary>
    public long? OldestFetchedAt()
    {
        lock (_gate)
        {
            return _head?.LedgerFetchedAt;
        }
    }

    /// <summary>The ids the entries holding a current-stage value were requested by (O(n): for a reconcile after a reconnect, never on a read).</summary>
    public List<string> CurrentIds()
    {
        lock (_gate)
        {
            var ids = new List<string>(_count);
            for (var entry = _head; entry is not null; entry = entry.LedgerNext)
            {
                if (EntryTable.IsCurrent(entry.Key))
                {
                    ids.Add(entry.Key.SecretId);
                }
            }

            return ids;
        }
    }

    /// <summary>Every value cached now (O(n): for rebuilding the due queue, never on a read).</summary>
    public List<CachedValue> Values()
    {
        lock (_gate)
        {
            var values = new List<CachedValue>(_count);
            for (var entry = _head; entry is not null; entry = entry.LedgerNext)
            {
                if (entry.Value is { } value)
                {
                    values.Add(value);
                }
            }

            return values;
        }
    }

    private void Unlink(CacheEntry entry)
    {
        if (entry.LedgerPrevious is null)
        {
            _head = entry.LedgerNext;
        }
        else
        {
            entry.LedgerPrevious.LedgerNext = entry.LedgerNext;
        }

        if (entry.LedgerNext is null)
        {
            _tail = entry.LedgerPrevious;
        }
        else
        {
            entry.LedgerNext.LedgerPrevious = entry.LedgerPrevious;
        }

        entry.LedgerPrevious = entry.LedgerNext = null;
        _count--;
        _sumFetchedAt -= entry.LedgerFetchedAt;
        var name = entry.LedgerName!;
        if (_names[name] == 1)
        {
            _names.Remove(name);
        }
        else
        {
            _names[name]--;
        }
    }
}

/// <summary>The ledger's figures at one moment.</summary>
internal readonly record struct LedgerSnapshot(int Count, int DistinctNames, long OldestFetchedAt, long NewestFetchedAt, double MeanFetchedAt);
