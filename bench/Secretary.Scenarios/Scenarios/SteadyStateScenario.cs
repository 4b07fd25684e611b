using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class SteadyStateScenario
{
    public const string ChartId = "steady-state";

    public static ScenarioResult Run(ScenarioContext context)
    {
        const int readers = 4;
        var rounds = context.Quick ? 2 : 4;
        var slice = TimeSpan.FromSeconds(context.Quick ? 2 : 5);
        var measured = slice * rounds;
        var ttl = TimeSpan.FromSeconds(2);
        var secrets = ScenarioContext.SpecSecrets;
        var result = new ScenarioResult
        {
            Id = ChartId,
            Title = "Steady state with expiries",
            Setup = $"{readers} threads read one of the {secrets.Length} specification secrets at random in a tight loop, {measured.TotalSeconds:0} s measured per contender "
                + $"in {rounds} slices of {slice.TotalSeconds:0} s taken in turn with the other contenders (so background load falls on all alike); "
                + "TTL 2 s, so every secret expires about every 2 s; the store takes 50 ms. Real time, dedicated threads.",
            Metrics =
            [
                new("p50", MetricKind.Nanoseconds), new("p99", MetricKind.Nanoseconds), new("p99.9", MetricKind.Nanoseconds),
                new("max", MetricKind.Nanoseconds), new("reads ≥ 40 ms", MetricKind.Count), new("reader time in reads ≥ 1 ms", MetricKind.Percent, Ratio: false), new("reads", MetricKind.Count), new("store calls", MetricKind.Count),
            ],
        };

        var lanes = ScenarioContext.Caches.Select(name =>
        {
            var store = new FakeStore(_ => TimeSpan.FromMilliseconds(50));
            var contender = Contenders.Create(name, store, ttl);
            foreach (var id in secrets)
            {
                ScenarioContext.Wait(contender.ReadAsync(id));
            }

            return (Name: name, Store: store, Contender: contender, Histogram: new LatencyHistogram(), Calls: new int[1], Measured: new double[1]);
        }).ToList();

        for (var round = 0; round < rounds; round++)
        {
            foreach (var lane in lanes)
            {
                var threads = new ReaderThreads(readers, lane.Contender, random => secrets[random.Next(secrets.Length)]);
                threads.Start();
                Thread.Sleep(TimeSpan.FromSeconds(round == 0 ? 1 : 0.2));
                threads.Measure();
                var callsBefore = lane.Store.Calls;
                Thread.Sleep(slice);
                lane.Histogram.Merge(threads.Stop());
                lane.Measured[0] += threads.Measured.TotalNanoseconds;
                lane.Calls[0] += lane.Store.Calls - callsBefore;
            }
        }

        var charts = context.Latencies[ChartId] = [];
        foreach (var lane in lanes)
        {
            var histogram = lane.Histogram;
            charts[lane.Name] = histogram;
            result.Add(lane.Name, histogram.PercentileNs(50), histogram.PercentileNs(99), histogram.PercentileNs(99.9), histogram.MaxNs, histogram.WaitedCount, Stalled(histogram, readers, lane.Measured[0]), histogram.Count, lane.Calls[0]);
            ScenarioContext.Log($"steady state {lane.Name}: p99.9 {Metric.FormatNs(histogram.PercentileNs(99.9))}, max {Metric.FormatNs(histogram.MaxNs)}, {lane.Calls[0]} calls");
            lane.Contender.Dispose();
        }

        var p999 = result.Rows[0].Values[2];
        result.Targets.Add(new("steady state → p99.9 ≤ 5 µs", Metric.FormatNs(p999), p999 <= 5_000));
        return result;
    }

    private static double Stalled(LatencyHistogram histogram, int readers, double measuredNs) =>
        100.0 * histogram.StalledNs / (readers * measuredNs);
}
