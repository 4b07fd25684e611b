using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class SteadyStateScenario
{
    public const string ChartId = "steady-state";

    public static ScenarioResult Run(ScenarioContext context)
    {
        const int readers = 4;
        var warmUp = TimeSpan.FromSeconds(context.Quick ? 0.5 : 1);
        var measured = TimeSpan.FromSeconds(context.Quick ? 4 : 20);
        var ttl = TimeSpan.FromSeconds(2);
        var secrets = ScenarioContext.SpecSecrets;
        var result = new ScenarioResult
        {
            Id = ChartId,
            Title = "Steady state with expiries",
            Setup = $"{readers} threads read one of the {secrets.Length} specification secrets at random in a tight loop for {measured.TotalSeconds:0} s "
                + $"(after {warmUp.TotalSeconds:0.#} s unmeasured); TTL 2 s, so every secret expires about {measured.TotalSeconds / 2:0} times; the store takes 50 ms. Real time, dedicated threads.",
            Metrics =
            [
                new("p50", MetricKind.Nanoseconds), new("p99", MetricKind.Nanoseconds), new("p99.9", MetricKind.Nanoseconds),
                new("max", MetricKind.Nanoseconds), new("reader time in stalls ≥ 1 ms", MetricKind.Percent), new("reads", MetricKind.Count), new("store calls", MetricKind.Count),
            ],
        };
        var charts = context.Latencies[ChartId] = [];

        foreach (var name in ScenarioContext.Caches)
        {
            var store = new FakeStore(_ => TimeSpan.FromMilliseconds(50));
            using var contender = Contenders.Create(name, store, ttl);
            foreach (var id in secrets)
            {
                ScenarioContext.Wait(contender.ReadAsync(id));
            }

            var threads = new ReaderThreads(readers, contender, random => secrets[random.Next(secrets.Length)]);
            threads.Start();
            Thread.Sleep(warmUp);
            threads.Measure();
            var callsBefore = store.Calls;
            Thread.Sleep(measured);
            var histogram = threads.Stop();
            var calls = store.Calls - callsBefore;

            charts[name] = histogram;
            result.Add(name, histogram.PercentileNs(50), histogram.PercentileNs(99), histogram.PercentileNs(99.9), histogram.MaxNs, Stalled(histogram, readers, measured), histogram.Count, calls);
            ScenarioContext.Log($"steady state {name}: p99.9 {Metric.FormatNs(histogram.PercentileNs(99.9))}, max {Metric.FormatNs(histogram.MaxNs)}, {calls} calls");
        }

        var p999 = result.Rows[0].Values[2];
        result.Targets.Add(new("steady state → p99.9 ≤ 5 µs", Metric.FormatNs(p999), p999 <= 5_000));
        return result;
    }

    private static double Stalled(LatencyHistogram histogram, int readers, TimeSpan measured) =>
        100.0 * histogram.StalledNs / (readers * measured.TotalNanoseconds);
}
