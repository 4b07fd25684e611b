using Secretary.Bench;

namespace Secretary.Scenarios;

internal static class OutageScenario
{
    public static ScenarioResult Run(ScenarioContext context)
    {
        const double step = 0.1;        // every 100 ms each secret is read once: 90 reads a second
        const double outage = 600;      // 10 minutes down
        const double recovery = 360;    // then 6 minutes up (longer than the longest backoff)
        const double bucket = 10;
        var ttl = TimeSpan.FromMinutes(5);
        var secrets = ScenarioContext.SpecSecrets;
        var fusionScale = context.Quick ? 400 : 100;
        var result = new ScenarioResult
        {
            Id = "outage",
            Title = "Outage: the store down for 10 simulated minutes after warm-up",
            Setup = $"The {secrets.Length} specification secrets are warmed (TTL 300 s), then the store fails every call for 600 s and comes back for 360 s; "
                + "each secret is read every 100 ms (54,000 reads during the outage). Simulated time (FakeTimeProvider); "
                + $"FusionCache, which reads the wall clock, runs in real time {fusionScale}× faster with its durations divided by {fusionScale}.",
            Metrics =
            [
                new("reads served in the outage", MetricKind.Percent), new("store calls in the outage", MetricKind.Count),
                new("most calls for one secret", MetricKind.Count), new("reads served after recovery", MetricKind.Percent),
                new("store back → every secret fresh", MetricKind.Seconds),
            ],
        };
        context.OutageBucketSeconds = bucket;
        context.OutageEndsAt = outage;

        foreach (var name in ScenarioContext.CachesAndNoCache)
        {
            var (contender, store, clock) = SimulatedRun.Create(name, ttl, fusionScale);
            using (contender)
            {
                contender.WarmAsync(secrets).GetAwaiter().GetResult();
                foreach (var id in secrets)
                {
                    SimulatedRun.TryRead(contender, id);
                }

                contender.Settle();
                clock.AdvanceTo(clock.Now + 1);
                var downAt = clock.Now;
                store.Down = true;
                long served = 0, reads = 0, servedAfter = 0, readsAfter = 0;
                var steps = (int)((outage + recovery) / step);
                for (var k = 1; k <= steps; k++)
                {
                    var at = k * step;
                    if (at > outage && store.Down)
                    {
                        store.Down = false;
                    }

                    clock.AdvanceTo(downAt + at);
                    foreach (var id in secrets)
                    {
                        var ok = SimulatedRun.TryRead(contender, id);
                        if (at <= outage)
                        {
                            reads++;
                            served += ok ? 1 : 0;
                        }
                        else
                        {
                            readsAfter++;
                            servedAfter += ok ? 1 : 0;
                        }
                    }

                    contender.Settle();
                }

                var calls = store.Log.Where(c => c.At >= downAt && !c.Succeeded).ToList();
                var mostForOne = calls.GroupBy(c => c.SecretId).Select(g => g.Count()).DefaultIfEmpty(0).Max();
                var timeline = new double[(int)Math.Ceiling((outage + recovery) / bucket)];
                foreach (var call in store.Log.Where(c => c.At >= downAt))
                {
                    var index = (int)((call.At - downAt) / bucket);
                    if (index < timeline.Length)
                    {
                        timeline[index]++;
                    }
                }

                // Calls after the store came back succeed: the first one per secret makes it fresh.
                var upAt = downAt + outage;
                var firstAfter = secrets.Select(id => store.Log.Where(c => c.SecretId == id && c.Succeeded && c.At > upAt).Select(c => c.At - upAt).DefaultIfEmpty(double.NaN).Min()).ToList();
                var fresh = firstAfter.Any(double.IsNaN) ? double.NaN : firstAfter.Max();
                context.OutageCalls[name] = timeline;
                result.Add(name, 100.0 * served / reads, calls.Count, mostForOne, 100.0 * servedAfter / readsAfter, fresh);
                ScenarioContext.Log($"outage {name}: {100.0 * served / reads:0.##}% served, {calls.Count} calls, most for one {mostForOne}");
            }
        }

        var secretary = result.Rows[0].Values;
        var budget = (12 * secrets.Length) + 60;
        result.Targets.Add(new(
            $"outage → 100% of reads served; ≤ 12 calls per secret by its backoff plus ≤ 6 probes a minute for the cache (≤ {budget} calls in 10 minutes)",
            $"{secretary[0]:0.##}% served, {secretary[1]:0} calls, at most {secretary[2]:0} for one secret",
            secretary[0] >= 100 && secretary[1] <= budget));
        result.Targets.Add(new(
            "store back → every stale secret fresh ≤ 15 s",
            double.IsNaN(secretary[4]) ? "n/a" : $"{secretary[4]:0.#} s",
            secretary[4] <= 15));
        result.Notes.Add("\"Store back → every secret fresh\": seconds from the store's return to the last secret's first successful store call (n/a: some secret was not refetched in the 360 s).");
        return result;
    }
}
