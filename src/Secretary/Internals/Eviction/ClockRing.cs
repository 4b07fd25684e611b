using System.Collections.Concurrent;

namespace Secretary.Internals.Eviction;

/// <summary>
/// One budget of entries under the CLOCK (second-chance) policy: a lock-free FIFO of nodes that
/// the hand walks. A node whose entry was read since the hand last passed (its reference bit is
/// set) gets its bit cleared and goes round again; the first node without the bit is evicted.
/// A node is live while its entry is in this ring at the node's epoch; nodes of entries that
/// were removed or moved to the other ring are tombstones, dropped when the hand reaches them
/// and reclaimed eagerly when they outnumber the live ones, so the queue stays within about
/// twice the live count. Only one thread moves the hand at a time (<see cref="Lock.TryEnter()"/>):
/// the others never wait — the one holding it brings the count down for everybody.
/// </summary>
internal sealed class ClockRing(EntryClass entryClass, int budget)
{
    /// <summary>Bits cleared per eviction at most, so one eviction costs O(1) even when every entry is hot.</summary>
    internal const int MaxSecondChances = 256;

    private const int TombstoneSlack = 64;

    private readonly ConcurrentQueue<Node> _queue = new();
    private readonly Lock _hand = new();
    private int _count;
    private int _tombstones;

    public int Count => Volatile.Read(ref _count);

    public int Budget => budget;

    public EntryClass EntryClass => entryClass;

    /// <summary>Adds an entry that just joined this ring (called under the entry's gate, with its new epoch).</summary>
    public void Add(CacheEntry entry, int epoch)
    {
        _queue.Enqueue(new Node(entry, epoch));
        Interlocked.Increment(ref _count);
    }

    /// <summary>An entry left this ring (removed, or moved to the other one): its node is now a tombstone.</summary>
    public void Left()
    {
        Interlocked.Decrement(ref _count);
        Interlocked.Increment(ref _tombstones);
    }

    /// <summary>True when the ring is over its budget or holds too many tombstones.</summary>
    public bool NeedsHand => Volatile.Read(ref _count) > budget || Volatile.Read(ref _tombstones) > Volatile.Read(ref _count) + TombstoneSlack;

    /// <summary>
    /// Evicts until the ring is within its budget, and reclaims tombstones. Returns how many
    /// entries were evicted. Bounded: it walks at most the queue's length plus a little.
    /// </summary>
    public int Sweep(Func<CacheEntry, EntryClass, EvictionOutcome> evict)
    {
        if (!NeedsHand || !_hand.TryEnter())
        {
            return 0;
        }

        var evicted = 0;
        try
        {
            var steps = Volatile.Read(ref _count) + Volatile.Read(ref _tombstones) + TombstoneSlack;
            var secondChances = 0;
            while (NeedsHand && steps-- > 0 && _queue.TryDequeue(out var node))
            {
                var entry = node.Entry;
                if (entry.Removed || Volatile.Read(ref entry.RingEpoch) != node.Epoch)
                {
                    Interlocked.Decrement(ref _tombstones);
                    continue;
                }

                if (Volatile.Read(ref _count) <= budget)
                {
                    _queue.Enqueue(node); // only reclaiming tombstones: the hand passes without judging
                    continue;
                }

                if (entry.HasFlight)
                {
                    _queue.Enqueue(node); // never evict an entry whose fetch is under way
                    continue;
                }

                if (entry.Referenced && secondChances < MaxSecondChances)
                {
                    entry.Referenced = false;
                    secondChances++;
                    _queue.Enqueue(node);
                    continue;
                }

                switch (evict(entry, entryClass))
                {
                    case EvictionOutcome.Evicted:
                        Interlocked.Decrement(ref _tombstones); // the removal made this node a tombstone; it is consumed
                        evicted++;
                        secondChances = 0;
                        break;
                    case EvictionOutcome.Busy:
                        _queue.Enqueue(node);
                        break;
                    default:
                        // Gone meanwhile (removed or moved): whoever did it counted the tombstone; consume it.
                        Interlocked.Decrement(ref _tombstones);
                        break;
                }
            }
        }
        finally
        {
            _hand.Exit();
        }

        return evicted;
    }

    private readonly record struct Node(CacheEntry Entry, int Epoch);
}
