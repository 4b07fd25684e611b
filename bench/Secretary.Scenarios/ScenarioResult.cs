using System.Globalization;
using System.Text;

namespace Secretary.Scenarios;

/// <summary>One scenario's table: a row per contender, a cell per metric, ratios against Secretary.</summary>
internal sealed class ScenarioResult
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>What was run, in one or two sentences (shown under the title).</summary>
    public required string Setup { get; init; }

    public required IReadOnlyList<Metric> Metrics { get; init; }

    public List<ScenarioRow> Rows { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Secretary's targets this scenario checks (benchmarks, not assertions).</summary>
    public List<TargetCheck> Targets { get; } = [];

    public double ElapsedSeconds { get; set; }

    public ScenarioRow Add(string contender, params double[] values)
    {
        var row = new ScenarioRow { Contender = contender, Values = values };
        Rows.Add(row);
        return row;
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("### ").AppendLine(Title).AppendLine();
        text.AppendLine(Setup).AppendLine();
        text.Append("| contender |");
        foreach (var metric in Metrics)
        {
            text.Append(' ').Append(metric.Header).Append(" |");
        }

        text.AppendLine();
        text.Append("|---|");
        foreach (var _ in Metrics)
        {
            text.Append("---:|");
        }

        text.AppendLine();
        var baseline = Rows.FirstOrDefault(r => r.Contender == Secretary.Bench.Contenders.SecretaryName);
        foreach (var row in Rows)
        {
            text.Append("| ").Append(row.Contender).Append(" |");
            for (var i = 0; i < Metrics.Count; i++)
            {
                text.Append(' ').Append(Cell(Metrics[i], row.Values[i], baseline?.Values[i], ReferenceEquals(row, baseline))).Append(" |");
            }

            text.AppendLine();
        }

        foreach (var note in Notes)
        {
            text.AppendLine().Append("- ").Append(note);
        }

        if (Notes.Count > 0)
        {
            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Cell(Metric metric, double value, double? baseline, bool isBaseline)
    {
        if (double.IsNaN(value))
        {
            return "n/a";
        }

        var text = metric.Format(value);
        if (!metric.Ratio || isBaseline || baseline is not { } b || double.IsNaN(b))
        {
            return text;
        }

        if (b == 0)
        {
            return value == 0 ? text + " (=)" : text;
        }

        var ratio = value / b;
        var formatted = ratio < 0.01 ? "<0.01"
            : ratio >= 100 ? ratio.ToString("N0", CultureInfo.InvariantCulture)
            : ratio >= 10 ? ratio.ToString("0", CultureInfo.InvariantCulture)
            : ratio.ToString("0.##", CultureInfo.InvariantCulture);
        return $"{text} ({formatted}×)";
    }
}

/// <summary>One of Secretary's targets: what it asks, what was measured, and whether it was met.</summary>
internal sealed record TargetCheck(string Target, string Measured, bool Met);

internal sealed class ScenarioRow
{
    public required string Contender { get; init; }

    public required double[] Values { get; init; }
}

/// <summary>A column: its header with the unit, how to print it, and whether to show the ratio to Secretary.</summary>
internal sealed record Metric(string Header, MetricKind Kind, bool Ratio = true)
{
    public string Format(double value) => Kind switch
    {
        MetricKind.Count => value.ToString("N0", CultureInfo.InvariantCulture),
        MetricKind.Percent => value >= 99.995 && value < 100 ? "99.99%" : value.ToString(value is > 0 and < 1 ? "0.###" : "0.##", CultureInfo.InvariantCulture) + "%",
        MetricKind.Nanoseconds => FormatNs(value),
        MetricKind.Milliseconds => value.ToString(value < 10 ? "0.0" : "N0", CultureInfo.InvariantCulture) + " ms",
        MetricKind.Seconds => value.ToString("0.##", CultureInfo.InvariantCulture) + " s",
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    public static string FormatNs(double ns) => ns switch
    {
        < 1_000 => ns.ToString("0", CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => (ns / 1e3).ToString(ns < 10_000 ? "0.0" : "0", CultureInfo.InvariantCulture) + " µs",
        < 1_000_000_000 => (ns / 1e6).ToString(ns < 10_000_000 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms",
        _ => (ns / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };
}

internal enum MetricKind
{
    Count,
    Percent,
    Nanoseconds,
    Milliseconds,
    Seconds,
    Number,
}
