using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Secretary.Scenarios;

// dotnet run -c Release --project bench/Secretary.Scenarios -- [--quick] [--json FILE] [--markdown FILE] [--charts DIR] [--only ID,...]
var quick = false;
string? jsonPath = null, markdownPath = null, chartsDir = null;
HashSet<string>? only = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--json" when i + 1 < args.Length:
            jsonPath = args[++i];
            break;
        case "--markdown" when i + 1 < args.Length:
            markdownPath = args[++i];
            break;
        case "--charts" when i + 1 < args.Length:
            chartsDir = args[++i];
            break;
        case "--only" when i + 1 < args.Length:
            only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)];
            break;
        case "-h" or "--help":
            Console.WriteLine("Usage: Secretary.Scenarios [--quick] [--json FILE] [--markdown FILE] [--charts DIR] [--only stampede,independence,hits-during-misses,steady-state,hit-scaling,warm-up,outage,refresh-cost,spec-workload]");
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Try --help.");
            return 2;
    }
}

var context = new ScenarioContext(quick);
var machine = MachineDescription();
var scenarios = new (string Id, Func<Task<ScenarioResult>> Run)[]
{
    ("stampede", () => StampedeScenario.RunAsync(context)),
    ("independence", () => IndependenceScenario.RunAsync(context)),
    ("hits-during-misses", () => Task.FromResult(HitsDuringMissesScenario.Run(context))),
    ("steady-state", () => Task.FromResult(SteadyStateScenario.Run(context))),
    ("hit-scaling", () => Task.FromResult(HitScalingScenario.Run(context))),
    ("warm-up", () => WarmUpScenario.RunAsync(context)),
    ("outage", () => Task.FromResult(OutageScenario.Run(context))),
    ("refresh-cost", () => Task.FromResult(RefreshCostScenario.Run(context))),
    ("spec-workload", () => Task.FromResult(SpecWorkloadScenario.Run(context))),
};

var started = Stopwatch.GetTimestamp();
var results = new List<ScenarioResult>();
var crashed = false;
Console.WriteLine($"# Secretary scenarios ({(quick ? "quick" : "full")} run)");
Console.WriteLine();
Console.WriteLine(machine);
Console.WriteLine();
foreach (var (id, run) in scenarios)
{
    if (only is not null && !only.Contains(id))
    {
        continue;
    }

    Console.Error.WriteLine($"Running {id}...");
    var scenarioStarted = Stopwatch.GetTimestamp();
    try
    {
        var result = await run();
        result.ElapsedSeconds = Stopwatch.GetElapsedTime(scenarioStarted).TotalSeconds;
        results.Add(result);
        Console.WriteLine(result.ToMarkdown());
    }
    catch (Exception ex)
    {
        crashed = true;
        Console.Error.WriteLine($"Scenario {id} crashed: {ex}");
    }
}

var targets = results.SelectMany(r => r.Targets).ToList();
var summary = new StringBuilder();
summary.AppendLine("### Secretary's targets").AppendLine();
summary.AppendLine("| target | measured | |").AppendLine("|---|---|---|");
foreach (var target in targets)
{
    summary.Append("| ").Append(target.Target).Append(" | ").Append(target.Measured).Append(" | ").Append(target.Met ? "met" : "**missed**").AppendLine(" |");
}

Console.WriteLine(summary);
var total = Stopwatch.GetElapsedTime(started).TotalSeconds;
Console.WriteLine($"Finished in {total:0} s.");

if (chartsDir is not null)
{
    Directory.CreateDirectory(chartsDir);
    if (context.Latencies.TryGetValue(SteadyStateScenario.ChartId, out var steady))
    {
        Charts.Latency(Path.Combine(chartsDir, "steady-state-latency.png"), "Steady state with expiries: read latency (4 readers, TTL 2 s, store 50 ms)", steady);
    }

    if (context.Latencies.TryGetValue(HitsDuringMissesScenario.ChartId, out var hits))
    {
        Charts.Latency(Path.Combine(chartsDir, "hits-during-misses-latency.png"), "Hits during misses: warm-read latency while another thread misses (store 200 ms)", hits);
    }

    if (context.OutageCalls.Count > 0)
    {
        Charts.StoreCallsOverTime(Path.Combine(chartsDir, "outage-store-calls.png"), "Outage: store calls over time (9 secrets, each read every 100 ms)", context.OutageCalls, context.OutageBucketSeconds, context.OutageEndsAt);
    }

    Console.Error.WriteLine($"Charts written to {chartsDir}.");
}

if (markdownPath is not null)
{
    var text = new StringBuilder();
    text.AppendLine(machine).AppendLine();
    foreach (var result in results)
    {
        text.AppendLine(result.ToMarkdown());
    }

    text.Append(summary);
    text.AppendLine().AppendLine($"{(quick ? "Quick" : "Full")} run, {total:0} s in all.");
    await File.WriteAllTextAsync(markdownPath, text.ToString());
}

if (jsonPath is not null)
{
    var document = new
    {
        mode = quick ? "quick" : "full",
        machine,
        elapsed_seconds = Math.Round(total, 1),
        scenarios = results.Select(r => new
        {
            id = r.Id,
            title = r.Title,
            setup = r.Setup,
            elapsed_seconds = Math.Round(r.ElapsedSeconds, 1),
            metrics = r.Metrics.Select(m => m.Header),
            rows = r.Rows.Select(row => new { contender = row.Contender, values = row.Values.Select(v => double.IsFinite(v) ? v : (double?)null) }),
            targets = r.Targets,
        }),
    };
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
}

return crashed ? 1 : 0;

static string MachineDescription()
{
    var cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
    var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3) : [];
    var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
    return $"Machine: {Environment.ProcessorCount} logical cores ({cpu ?? "unknown CPU"}), {memory:0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, "
        + $".NET {Environment.Version}; load average at start {string.Join(" ", load)}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
}
