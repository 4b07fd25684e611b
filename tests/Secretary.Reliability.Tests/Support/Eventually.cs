namespace Secretary.Reliability.Tests;

/// <summary>Polls a condition with a generous real-time bound (for work on other threads and in other processes); never a timing assertion.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {seconds} s: {what}.");
            }

            await Task.Delay(5);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {seconds} s: {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the cache has no store call under way.</summary>
    public static Task IdleAsync(this ISecretCache cache) =>
        TrueAsync(() => cache.GetStats().RefreshesInFlight == 0, "the cache's store calls to finish");
}
