using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class IndependenceScenario
{
    public static async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        const int secrets = 20;
        const int callersPerSecret = 10;
        var latency = TimeSpan.FromMilliseconds(50);
        var result = new ScenarioResult
        {
            Id = "independence",
            Title = "Independence: 20 cold secrets × 10 callers each",
            Setup = "200 tasks released together, 10 per secret, 20 secrets nobody has read yet; the store answers after 50 ms. A miss of one secret should not wait for another's. Real time.",
            Metrics = [new("store calls", MetricKind.Count), new("first answer", MetricKind.Milliseconds), new("last answer", MetricKind.Milliseconds)],
        };

        foreach (var name in ScenarioContext.Caches)
        {
            await Practice.RunAsync(name);
        }

        foreach (var name in ScenarioContext.Caches)
        {
            var store = new FakeStore(_ => latency);
            using var contender = Contenders.Create(name, store, TimeSpan.FromMinutes(5));
            var ids = Enumerable.Range(0, secrets * callersPerSecret).Select(i => $"app/secret-{i % secrets:00}").ToList();
            var (first, last, _) = await ConcurrentCallers.RunAsync(contender, ids);
            result.Add(name, store.Calls, first, last);
            ScenarioContext.Log($"independence {name}: {store.Calls} calls, first {first:0} ms, last {last:0} ms");
        }

        var secretary = result.Rows[0].Values;
        result.Targets.Add(new("independence → last answer ≤ store latency + 15 ms (65 ms)", $"{secretary[2]:0.0} ms", secretary[2] <= 65));
        return result;
    }
}
