using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class StampedeScenario
{
    public static async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        const int callers = 1000;
        var latency = TimeSpan.FromMilliseconds(50);
        var result = new ScenarioResult
        {
            Id = "stampede",
            Title = "Stampede: 1000 concurrent cold callers of one secret",
            Setup = "1000 tasks released together read one secret nobody has read yet; the store answers after 50 ms. Real time.",
            Metrics = [new("store calls", MetricKind.Count), new("first answer", MetricKind.Milliseconds), new("last answer", MetricKind.Milliseconds)],
        };

        foreach (var name in ScenarioContext.Caches)
        {
            await Practice.RunAsync(name);
        }

        foreach (var name in ScenarioContext.CachesAndNoCache)
        {
            var store = new FakeStore(_ => latency);
            using var contender = Contenders.Create(name, store, TimeSpan.FromMinutes(5));
            var ids = Enumerable.Repeat("surgicase/main", callers).ToList();
            var (first, last, _) = await ConcurrentCallers.RunAsync(contender, ids);
            result.Add(name, store.Calls, first, last);
            ScenarioContext.Log($"stampede {name}: {store.Calls} calls, last {last:0} ms");
        }

        var secretary = result.Rows[0].Values;
        result.Targets.Add(new("stampede → exactly 1 store call", secretary[0] == 1 ? "1 store call" : $"{secretary[0]:0} store calls", secretary[0] == 1));
        return result;
    }
}
