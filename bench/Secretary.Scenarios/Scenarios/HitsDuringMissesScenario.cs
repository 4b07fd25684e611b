using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class HitsDuringMissesScenario
{
    public const string ChartId = "hits-during-misses";

    public static ScenarioResult Run(ScenarioContext context)
    {
        const int readers = 2;
        var rounds = context.Quick ? 2 : 4;
        var slice = TimeSpan.FromSeconds(context.Quick ? 1 : 2);
        var measured = slice * rounds;
        var result = new ScenarioResult
        {
            Id = ChartId,
            Title = "Hits during misses",
            Setup = $"One thread fetches cold secrets back to back (the store takes 200 ms each) while {readers} threads read a warm secret in a tight loop; "
                + $"{measured.TotalSeconds:0} s measured per contender in {rounds} slices of {slice.TotalSeconds:0} s taken in turn with the other contenders. Real time, dedicated threads.",
            Metrics =
            [
                new("p50 hit", MetricKind.Nanoseconds), new("p99 hit", MetricKind.Nanoseconds), new("p99.9 hit", MetricKind.Nanoseconds),
                new("max hit", MetricKind.Nanoseconds), new("reads ≥ 40 ms", MetricKind.Count), new("reader time in reads ≥ 1 ms", MetricKind.Percent, Ratio: false), new("hits", MetricKind.Count),
                new("cold fetches done", MetricKind.Count, Ratio: false),
            ],
        };

        var lanes = ScenarioContext.Caches.Select(name =>
        {
            var store = new FakeStore(id => TimeSpan.FromMilliseconds(id.StartsWith("cold/", StringComparison.Ordinal) ? 200 : 50));
            var contender = Contenders.Create(name, store, TimeSpan.FromHours(1));
            ScenarioContext.Wait(contender.ReadAsync("surgicase/main"));
            return (Name: name, Contender: contender, Histogram: new LatencyHistogram(), Misses: new int[1], Measured: new double[1]);
        }).ToList();

        for (var round = 0; round < rounds; round++)
        {
            foreach (var lane in lanes)
            {
                var stop = false;
                var misses = lane.Misses;
                var missThread = new Thread(() =>
                {
                    while (!Volatile.Read(ref stop))
                    {
                        ScenarioContext.Wait(lane.Contender.ReadAsync($"cold/{misses[0]}"));
                        Interlocked.Increment(ref misses[0]);
                    }
                }) { IsBackground = true, Name = "misses" };

                var threads = new ReaderThreads(readers, lane.Contender, static _ => "surgicase/main");
                missThread.Start();
                threads.Start();
                Thread.Sleep(TimeSpan.FromSeconds(round == 0 ? 1 : 0.3));
                threads.Measure();
                Thread.Sleep(slice);
                lane.Histogram.Merge(threads.Stop());
                lane.Measured[0] += threads.Measured.TotalNanoseconds;
                Volatile.Write(ref stop, true);
                missThread.Join();
            }
        }

        var charts = context.Latencies[ChartId] = [];
        foreach (var lane in lanes)
        {
            var histogram = lane.Histogram;
            charts[lane.Name] = histogram;
            result.Add(lane.Name, histogram.PercentileNs(50), histogram.PercentileNs(99), histogram.PercentileNs(99.9), histogram.MaxNs, histogram.WaitedCount, Stalled(histogram, readers, lane.Measured[0]), histogram.Count, lane.Misses[0]);
            ScenarioContext.Log($"hits during misses {lane.Name}: p99 {Metric.FormatNs(histogram.PercentileNs(99))}, max {Metric.FormatNs(histogram.MaxNs)}, {histogram.Count:N0} hits");
            lane.Contender.Dispose();
        }

        var p99 = result.Rows[0].Values[1];
        result.Targets.Add(new("hits during misses → p99 hit ≤ 10 µs", Metric.FormatNs(p99), p99 <= 10_000));
        return result;
    }

    private static double Stalled(LatencyHistogram histogram, int readers, double measuredNs) =>
        100.0 * histogram.StalledNs / (readers * measuredNs);
}
