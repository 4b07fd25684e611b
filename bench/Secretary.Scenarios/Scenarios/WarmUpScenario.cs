using System.Diagnostics;
using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class WarmUpScenario
{
    public static async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var latency = TimeSpan.FromMilliseconds(50);
        var ids = Enumerable.Range(0, 100).Select(i => $"app/secret-{i:000}").ToList();
        var result = new ScenarioResult
        {
            Id = "warm-up",
            Title = "Cold warm-up of 100 secrets",
            Setup = "Each cache warms 100 secrets the best way its API allows: Secretary's WarmAsync (batches of 20, 4 at a time); "
                + "the peers, which have no batch read, with 100 concurrent reads; the seed with a loop of get_secret (its lock serialises them anyway). "
                + "50 ms per store call, single or batch. Then every secret is read once more, which should cost no store call. Real time.",
            Metrics = [new("store round trips", MetricKind.Count), new("elapsed", MetricKind.Milliseconds), new("calls on the next read of all 100", MetricKind.Count, Ratio: false)],
        };

        foreach (var name in ScenarioContext.Caches)
        {
            var store = new FakeStore(_ => latency);
            using var contender = Contenders.Create(name, store, TimeSpan.FromMinutes(5));
            var started = Stopwatch.GetTimestamp();
            await contender.WarmAsync(ids);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var warmCalls = store.Calls;
            foreach (var id in ids)
            {
                await contender.ReadAsync(id);
            }

            result.Add(name, warmCalls, elapsed, store.Calls - warmCalls);
            ScenarioContext.Log($"warm-up {name}: {warmCalls} round trips, {elapsed:0} ms");
        }

        var secretary = result.Rows[0].Values;
        result.Targets.Add(new("warm-up of 100 → 5 round trips", $"{secretary[0]:0} round trips, {secretary[1]:0} ms", secretary[0] == 5 && secretary[2] == 0));
        return result;
    }
}
