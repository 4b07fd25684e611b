using Secretary.Bench;

namespace Secretary.Scenarios;

/// <summary>
/// Builds a contender for a scenario in simulated time: on a <see cref="SimClock.Fake"/> for
/// every cache that takes a clock (Secretary and the seed port a <see cref="TimeProvider"/>,
/// IMemoryCache through <c>MemoryCacheOptions.Clock</c>, HybridCache through both); FusionCache
/// reads the wall clock, so it runs in real time <c>fusionScale</c> times faster with
/// its TTL and fail-safe throttle (30 s) divided by the same factor.
/// </summary>
internal static class SimulatedRun
{
    public static (ICacheContender Contender, FakeStore Store, SimClock Clock) Create(string name, TimeSpan ttl, double fusionScale, TimeSpan? latency = null)
    {
        SimClock clock = name == Contenders.FusionName ? new SimClock.Compressed(fusionScale) : new SimClock.Fake();
        var store = new FakeStore(latency is { } l ? _ => l : null, clock: () => clock.Now);
        var contender = name == Contenders.FusionName
            ? Contenders.Create(name, store, ttl / fusionScale, fusionThrottle: TimeSpan.FromSeconds(30) / fusionScale)
            : Contenders.Create(name, store, ttl, clock.Provider);
        return (contender, store, clock);
    }

    /// <summary>Reads one secret; true when the cache answered, false when it threw.</summary>
    public static bool TryRead(ICacheContender contender, string id)
    {
        try
        {
            ScenarioContext.Wait(contender.ReadAsync(id));
            return true;
        }
        catch (SecretaryException)
        {
            return false;
        }
    }
}
