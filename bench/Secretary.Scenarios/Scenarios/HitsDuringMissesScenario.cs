using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class HitsDuringMissesScenario
{
    public const string ChartId = "hits-during-misses";

    public static ScenarioResult Run(ScenarioContext context)
    {
        const int readers = 2;
        var warmUp = TimeSpan.FromSeconds(context.Quick ? 0.5 : 1);
        var measured = TimeSpan.FromSeconds(context.Quick ? 2 : 8);
        var result = new ScenarioResult
        {
            Id = ChartId,
            Title = "Hits during misses",
            Setup = $"One thread fetches cold secrets back to back (the store takes 200 ms each) while {readers} threads read a warm secret in a tight loop; "
                + $"the readers' latency over {measured.TotalSeconds:0} s (after {warmUp.TotalSeconds:0.#} s unmeasured). Real time, dedicated threads.",
            Metrics =
            [
                new("p50 hit", MetricKind.Nanoseconds), new("p99 hit", MetricKind.Nanoseconds), new("p99.9 hit", MetricKind.Nanoseconds),
                new("max hit", MetricKind.Nanoseconds), new("reader time in stalls ≥ 1 ms", MetricKind.Percent), new("hits", MetricKind.Count), new("cold fetches done", MetricKind.Count, Ratio: false),
            ],
        };
        var charts = context.Latencies[ChartId] = [];

        foreach (var name in ScenarioContext.Caches)
        {
            var store = new FakeStore(id => TimeSpan.FromMilliseconds(id.StartsWith("cold/", StringComparison.Ordinal) ? 200 : 50));
            using var contender = Contenders.Create(name, store, TimeSpan.FromHours(1));
            ScenarioContext.Wait(contender.ReadAsync("surgicase/main"));

            var stop = false;
            var misses = 0;
            var missThread = new Thread(() =>
            {
                while (!Volatile.Read(ref stop))
                {
                    ScenarioContext.Wait(contender.ReadAsync($"cold/{misses}"));
                    misses++;
                }
            }) { IsBackground = true, Name = "misses" };

            var threads = new ReaderThreads(readers, contender, static _ => "surgicase/main");
            threads.Start();
            missThread.Start();
            Thread.Sleep(warmUp);
            threads.Measure();
            var missesBefore = Volatile.Read(ref misses);
            Thread.Sleep(measured);
            var histogram = threads.Stop();
            Volatile.Write(ref stop, true);
            missThread.Join();

            charts[name] = histogram;
            result.Add(name, histogram.PercentileNs(50), histogram.PercentileNs(99), histogram.PercentileNs(99.9), histogram.MaxNs, Stalled(histogram, readers, measured), histogram.Count, misses - missesBefore);
            ScenarioContext.Log($"hits during misses {name}: p99 {Metric.FormatNs(histogram.PercentileNs(99))}, max {Metric.FormatNs(histogram.MaxNs)}, {histogram.Count:N0} hits");
        }

        var p99 = result.Rows[0].Values[1];
        result.Targets.Add(new("hits during misses → p99 hit ≤ 10 µs", Metric.FormatNs(p99), p99 <= 10_000));
        return result;
    }

    private static double Stalled(LatencyHistogram histogram, int readers, TimeSpan measured) =>
        100.0 * histogram.StalledNs / (readers * measured.TotalNanoseconds);
}
