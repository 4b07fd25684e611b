using Secretary;

namespace Secretary.Testing;

/// <summary>Waits on a cache's own state.</summary>
public static class CacheWaits
{
    /// <summary>Completes when the cache has no store call under way (background refreshes included).</summary>
    public static Task IdleAsync(this ISecretCache cache) =>
        Eventually.TrueAsync(() => cache.GetStats().RefreshesInFlight == 0, "the cache's store calls to finish");
}
