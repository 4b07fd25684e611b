using ScottPlot;
using ScottPlot.TickGenerators;

namespace Secretary.Scenarios;

/// <summary>Headless PNG charts with ScottPlot: latency distributions and store calls over time.</summary>
internal static class Charts
{
    private static readonly (double Percentile, string Label)[] Points =
        [(50, "p50"), (90, "p90"), (99, "p99"), (99.9, "p99.9"), (99.99, "p99.99"), (100, "max")];

    private static readonly Dictionary<string, Color> Palette = new()
    {
        ["Secretary"] = new Color(0x1f, 0x77, 0xb4),
        ["SeedStyleCache"] = new Color(0xd6, 0x27, 0x28),
        ["IMemoryCache"] = new Color(0xff, 0x7f, 0x0e),
        ["FusionCache"] = new Color(0x2c, 0xa0, 0x2c),
        ["HybridCache"] = new Color(0x94, 0x67, 0xbd),
        ["no cache"] = new Color(0x7f, 0x7f, 0x7f),
    };

    static Charts() => Fonts.Default = "DejaVu Sans";

    /// <summary>Latency at each percentile, one line per contender, on a log scale.</summary>
    public static void Latency(string path, string title, IReadOnlyDictionary<string, LatencyHistogram> histograms)
    {
        var plot = new Plot();
        double[] xs = [.. Enumerable.Range(0, Points.Length).Select(i => (double)i)];
        foreach (var (name, histogram) in histograms)
        {
            double[] ys = [.. Points.Select(p => Math.Log10(Math.Max(1, p.Percentile >= 100 ? histogram.MaxNs : histogram.PercentileNs(p.Percentile))))];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.Color = Palette.GetValueOrDefault(name, Colors.Black);
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(xs, [.. Points.Select(p => p.Label)]);
        LogTicks(plot.Axes.Left, ["1 ns", "10 ns", "100 ns", "1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s", "10 s"]);
        plot.Axes.SetLimitsX(-0.3, Points.Length - 0.7);
        plot.Title(title);
        plot.XLabel("percentile of reads");
        plot.YLabel("read latency (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 520);
    }

    /// <summary>Store calls per bucket over time, one line per contender, on a log scale (0 at the axis).</summary>
    public static void StoreCallsOverTime(string path, string title, IReadOnlyDictionary<string, double[]> calls, double bucketSeconds, double outageEndsAt)
    {
        var plot = new Plot();
        foreach (var (name, series) in calls)
        {
            double[] xs = [.. Enumerable.Range(0, series.Length).Select(i => (i + 0.5) * bucketSeconds / 60)];
            double[] ys = [.. series.Select(v => Math.Log10(1 + v))];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = name;
            line.LineWidth = name switch { "Secretary" => 3, "SeedStyleCache" => 6, _ => 2 };
            line.LinePattern = name switch { "IMemoryCache" => LinePattern.Dashed, "HybridCache" => LinePattern.Dotted, _ => LinePattern.Solid };
            line.MarkerSize = 0;
            line.Color = Palette.GetValueOrDefault(name, Colors.Black);
        }

        var end = plot.Add.VerticalLine(outageEndsAt / 60);
        end.LineColor = Colors.Gray;
        end.LinePattern = LinePattern.Dashed;
        double[] values = [0, 1, 10, 100, 1000, 10000];
        plot.Axes.Left.TickGenerator = new NumericManual([.. values.Select(v => Math.Log10(1 + v))], [.. values.Select(v => v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsY(-0.1, Math.Log10(1 + 20000));
        plot.Title(title);
        plot.XLabel("minutes since the store went down (dashed: the store is back)");
        plot.YLabel($"store calls per {bucketSeconds:0} s (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 900, 520);
    }

    private static void LogTicks(IAxis axis, string[] labels)
    {
        double[] positions = [.. Enumerable.Range(0, labels.Length).Select(i => (double)i)];
        axis.TickGenerator = new NumericManual(positions, labels);
    }
}
