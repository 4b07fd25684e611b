using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Secretary.Cli.Commands;

/// <summary>
/// <c>secretary warm [ID...] [--from-file FILE|-] [--summary] [--store SPEC]</c>: loads secrets in batches and prints the
/// warming report (or one summary line). Ids come from the arguments, a file (one a line, <c>#</c> comments) or standard
/// input. On a terminal, progress is drawn on stderr. The exit code is the category of the first failure (3–8), 0 when
/// every secret loaded.
/// </summary>
internal static class WarmCommand
{
    /// <summary>Ids a BatchGetSecretValue call takes: one progress step.</summary>
    private const int BatchSize = 20;

    public static Command Create()
    {
        var ids = new Argument<string[]>("ids") { Description = "The secrets to load (or --from-file, or one a line on stdin).", Arity = ArgumentArity.ZeroOrMore };
        var fromFile = new Option<string?>("--from-file") { Description = "Read the ids from FILE, one a line ('#' starts a comment); '-' reads stdin." };
        var summary = new Option<bool>("--summary") { Description = "Print one summary line instead of the JSON report." };
        var store = new StoreOptions();
        var command = new Command("warm", "Load secrets through the store's batch operation and print the warming report as JSON.") { ids, fromFile, summary };
        store.AddTo(command);

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var wanted = await ReadIdsAsync(result.GetValue(ids) ?? [], result.GetValue(fromFile), cancellationToken).ConfigureAwait(false);
            using var cache = new SecretCache(store.CreateStore(result));
            var report = Console.IsErrorRedirected
                ? await cache.WarmAsync(wanted, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await WarmWithProgressAsync(cache, wanted, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(result.GetValue(summary) ? Summary(report) : report.ToJson()).ConfigureAwait(false);
            return ExitCode(report);
        }));
        return command;
    }

    /// <summary>The exit code of a report: 0, or the category of the first secret that failed, in the order given.</summary>
    internal static int ExitCode(SecretWarmReport report) =>
        report.Details.FirstOrDefault(d => d.Status != "success") is { } failed ? CliErrors.ExitCode(CategoryOf(failed)) : 0;

    internal static string Summary(SecretWarmReport report)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"warmed {report.Successful} of {report.TotalSecrets} secrets in {report.StoreCalls} store calls, {report.DurationSeconds:0.###} s");
        var failures = report.Details.Where(d => d.Status != "success").GroupBy(CategoryOf).Select(g => $"{g.Key} {g.Count()}").ToList();
        return failures.Count == 0 ? line : $"{line}; {report.Failed} failed: {string.Join(", ", failures)}";
    }

    private static SecretErrorCategory CategoryOf(SecretWarmDetail detail)
    {
        // A failed line's error is "Category: message".
        var error = detail.Error ?? string.Empty;
        var colon = error.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Enum.TryParse<SecretErrorCategory>(error[..colon], out var category) ? category : SecretErrorCategory.StoreUnavailable;
    }

    private static async Task<List<string>> ReadIdsAsync(string[] arguments, string? file, CancellationToken cancellationToken)
    {
        var ids = new List<string>(arguments);
        string? text = null;
        if (file == "-" || (file is null && arguments.Length == 0 && Console.IsInputRedirected))
        {
            text = await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"The ids file '{file}' does not exist; give one id a line, or '-' for stdin.", file);
            }

            text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        }

        if (text is not null)
        {
            ids.AddRange(text.Split('\n')
                .Select(line => (line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0 ? line[..hash] : line).Trim())
                .Where(line => line.Length > 0));
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException("No secret ids: give them as arguments, with --from-file FILE, or one a line on stdin.");
        }

        return ids;
    }

    /// <summary>Warms a batch at a time, drawing a progress bar on stderr (a terminal); the reports are added up.</summary>
    private static async Task<SecretWarmReport> WarmWithProgressAsync(SecretCache cache, List<string> ids, CancellationToken cancellationToken)
    {
        // Only called with stderr on a terminal: ANSI and interactive, whatever TERM-based detection would guess.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        var reports = new List<SecretWarmReport>();
        var started = TimeProvider.System.GetTimestamp();
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("warming", maxValue: ids.Count);
                foreach (var batch in ids.Chunk(BatchSize))
                {
                    var report = await cache.WarmAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
                    reports.Add(report);
                    task.Increment(batch.Length);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"warming ({reports.Sum(r => r.Failed)} failed)");
                }
            }).ConfigureAwait(false);

        return new SecretWarmReport
        {
            TotalSecrets = reports.Sum(r => r.TotalSecrets),
            Successful = reports.Sum(r => r.Successful),
            Failed = reports.Sum(r => r.Failed),
            Details = [.. reports.SelectMany(r => r.Details)],
            DurationSeconds = Math.Round(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 3),
            StoreCalls = reports.Sum(r => r.StoreCalls),
        };
    }
}
