using Secretary.Bench;

namespace Secretary.Scenarios;

/// <summary>
/// What a continuously read secret costs: one secret (TTL 300 s) read every second for a
/// simulated hour. The floor is 12 store calls an hour (one per TTL); every reader that had to
/// wait for the store is counted too.
/// </summary>
internal static class RefreshCostScenario
{
    public static ScenarioResult Run(ScenarioContext context)
    {
        const double hour = 3600;
        const string id = "surgicase/rds-credentials";
        var ttl = TimeSpan.FromMinutes(5);
        var fusionScale = context.Quick ? 400 : 100;
        var result = new ScenarioResult
        {
            Id = "refresh-cost",
            Title = "Refresh cost: one secret read every second for an hour (TTL 300 s)",
            Setup = "After the first read, the secret is read once a simulated second for 3,600 s; each store call takes 20 ms of real time (a read that took ≥ 10 ms waited for it). "
                + $"Simulated time (FakeTimeProvider); FusionCache, which reads the wall clock, runs in real time {fusionScale}× faster with its durations divided by {fusionScale}.",
            Metrics =
            [
                new("store calls in the hour", MetricKind.Count), new("reads that waited for the store", MetricKind.Count),
            ],
        };

        foreach (var name in ScenarioContext.Caches)
        {
            // The store takes 20 ms of real time, so a read that waits for it is seen (≥ 10 ms); the simulated clock stands still meanwhile.
            var (contender, store, clock) = SimulatedRun.Create(name, ttl, fusionScale, latency: TimeSpan.FromMilliseconds(20));
            using (contender)
            {
                SimulatedRun.TryRead(contender, id);
                contender.Settle();
                var start = clock.Now;
                var before = store.Calls;
                var waited = 0;
                for (var second = 1; second <= hour; second++)
                {
                    clock.AdvanceTo(start + second);
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    ScenarioContext.Wait(contender.ReadAsync(id));
                    waited += System.Diagnostics.Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(10) ? 1 : 0;
                    contender.Settle();
                }

                var calls = store.Calls - before;
                result.Add(name, calls, waited);
                ScenarioContext.Log($"refresh-cost {name}: {calls} calls, {waited} reads waited");
            }
        }

        var secretary = result.Rows[0].Values;
        result.Targets.Add(new(
            "a continuously read secret, TTL 300 s → ≤ 13 store calls an hour, no reader waits",
            $"{secretary[0]:0} calls, {secretary[1]:0} reads waited",
            secretary[0] <= 13 && secretary[1] == 0));
        result.Notes.Add("FusionCache's waits are not comparable: its TTL is compressed with its clock but the store's 20 ms are not, so its store is relatively hundreds of times slower.");
        result.Notes.Add("12 calls an hour is the floor for a 300 s TTL. A fixed refresh-ahead at 0.8 of the TTL costs 15; Secretary refreshes at TTL − max(1 s, 10 × the store's p99 latency).");
        return result;
    }
}
