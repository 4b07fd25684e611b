namespace Secretary.Internals;

/// <summary>
/// Finds a secret's entries by any id it is known by — the id it was requested with, its name,
/// its ARN — without walking the cache (<see cref="SecretCache.Clear(string)"/>, remote
/// changes). Striped: 32 dictionaries, each under its own short lock. Updated only under the
/// entry's gate.
/// </summary>
internal sealed class SecretIndex
{
    private const int StripeCount = 32;

    private readonly Stripe[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new Stripe())];

    public void Add(string alias, CacheEntry entry)
    {
        var stripe = StripeOf(alias);
        lock (stripe.Gate)
        {
            if (!stripe.Map.TryGetValue(alias, out var entries))
            {
                stripe.Map[alias] = entries = new List<CacheEntry>(1);
            }

            if (!entries.Contains(entry))
            {
                entries.Add(entry);
            }
        }
    }

    public void Remove(string alias, CacheEntry entry)
    {
        var stripe = StripeOf(alias);
        lock (stripe.Gate)
        {
            if (stripe.Map.TryGetValue(alias, out var entries) && entries.Remove(entry) && entries.Count == 0)
            {
                stripe.Map.Remove(alias);
            }
        }
    }

    /// <summary>The entries known by <paramref name="alias"/> now (a copy).</summary>
    public CacheEntry[] Find(string alias)
    {
        var stripe = StripeOf(alias);
        lock (stripe.Gate)
        {
            return stripe.Map.TryGetValue(alias, out var entries) ? [.. entries] : [];
        }
    }

    private Stripe StripeOf(string alias) => _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(alias) % StripeCount)];

    private sealed class Stripe
    {
        public Lock Gate { get; } = new();

        public Dictionary<string, List<CacheEntry>> Map { get; } = new(StringComparer.Ordinal);
    }
}
