using System.Diagnostics;
using Secretary.Bench;

namespace Secretary.Scenarios;

/// <summary>
/// Hit throughput on one thread and on two, with the process's CPU time beside the wall time.
/// On a busy machine the wall-clock speedup says as much about the neighbours as about the
/// cache; the CPU time per hit does not: if two threads overlapping make each hit cost more CPU,
/// they are fighting over something (a lock, a shared cache line). "Parallelism" (CPU time over
/// wall time while two threads ran, at most 2) says how much they actually overlapped.
/// </summary>
internal static class HitScalingScenario
{
    public static ScenarioResult Run(ScenarioContext context)
    {
        var rounds = context.Quick ? 2 : 5;
        var target = TimeSpan.FromMilliseconds(context.Quick ? 150 : 300);
        const string id = "surgicase/main";
        var result = new ScenarioResult
        {
            Id = "hit-scaling",
            Title = "Hit throughput on one and two threads",
            Setup = $"A warm secret read in a loop by one thread, then by two, each contender in turn, {rounds} rounds; each run sized to take about {target.TotalMilliseconds:0} ms on one thread. "
                + "Wall time gives the throughput speedup; the process's CPU time gives the cost of a hit. The control is a plain Dictionary lookup with no cache. Real time.",
            Metrics =
            [
                new("one thread, per hit", MetricKind.Nanoseconds), new("two threads, per hit (wall)", MetricKind.Nanoseconds),
                new("throughput speedup", MetricKind.Number, Ratio: false), new("CPU per hit, two threads ÷ one", MetricKind.Number, Ratio: false),
                new("parallelism achieved (of 2)", MetricKind.Number, Ratio: false),
            ],
        };

        var lanes = ScenarioContext.Caches.Select(name =>
        {
            var contender = Contenders.Create(name, new FakeStore(), TimeSpan.FromDays(1));
            ScenarioContext.Wait(contender.ReadAsync(id));
            return (Name: name, Contender: contender);
        }).Append((Name: "Dictionary (control)", Contender: (ICacheContender)new DictionaryControl(id))).ToList();

        var sums = lanes.ToDictionary(l => l.Name, _ => new double[5]);
        foreach (var lane in lanes)
        {
            Loop(lane.Contender, id, 200_000); // JIT and tiering
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, contender) in lanes)
            {
                var calibrate = Stopwatch.GetTimestamp();
                Loop(contender, id, 100_000);
                var perHit = Stopwatch.GetElapsedTime(calibrate).TotalNanoseconds / 100_000;
                var hits = (int)Math.Clamp(target.TotalNanoseconds / perHit, 100_000, 50_000_000);

                var (wallOne, cpuOne) = Time(() => Loop(contender, id, hits));
                var (wallTwo, cpuTwo) = Time(() =>
                {
                    var other = new Thread(() => Loop(contender, id, hits)) { IsBackground = true };
                    other.Start();
                    Loop(contender, id, hits);
                    other.Join();
                });

                var s = sums[name];
                s[0] += wallOne / hits;
                s[1] += wallTwo / (2.0 * hits);
                s[2] += wallOne * 2 / wallTwo;
                s[3] += (cpuTwo / (2.0 * hits)) / (cpuOne / hits);
                s[4] += cpuTwo / wallTwo;
            }
        }

        foreach (var (name, contender) in lanes)
        {
            var s = sums[name].Select(v => v / rounds).ToArray();
            result.Add(name, s);
            ScenarioContext.Log($"hit scaling {name}: {s[0]:0.0} ns one thread, speedup {s[2]:0.00}, CPU ratio {s[3]:0.00}, parallelism {s[4]:0.00}");
            contender.Dispose();
        }

        var secretary = result.Rows[0].Values;
        var control = result.Rows[^1].Values;
        result.Targets.Add(new(
            "two threads ≥ 1.7× one thread's hit throughput (scenario harness)",
            $"{secretary[2]:0.00}× with {secretary[4]:0.00} of 2 cores overlapping (control {control[2]:0.00}×); CPU per hit two threads ÷ one {secretary[3]:0.00}",
            secretary[2] >= 1.7));
        result.Notes.Add("Averages over the rounds. A CPU ratio near 1.00 with parallelism near 2 means the hits did not contend; a speedup below 1.7 with parallelism well under 2 means the machine did not give the second core.");
        return result;
    }

    private static int Loop(ICacheContender contender, string id, int hits)
    {
        var sum = 0;
        for (var i = 0; i < hits; i++)
        {
            var pending = contender.ReadAsync(id);
            sum += pending.IsCompletedSuccessfully ? 1 : (ScenarioContext.Wait(pending) is null ? 0 : 1);
        }

        return sum;
    }

    private static (double WallNs, double CpuNs) Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        action();
        var wall = Stopwatch.GetElapsedTime(started).TotalNanoseconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalNanoseconds);
    }

    private sealed class DictionaryControl(string id) : ICacheContender
    {
        private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal) { [id] = "value" };

        public string Name => "Dictionary (control)";

        public ValueTask<object> ReadAsync(string secretId) => new(_values[secretId]);

        public Task WarmAsync(IReadOnlyList<string> secretIds) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
