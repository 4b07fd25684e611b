// One source compiled into Secretary.Agent and Secretary.Cli: the agent and the emulator log the same way.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Secretary.Shared;

/// <summary>
/// Log lines on standard error (standard output is for the banner and command output), one line per entry, as text or
/// JSON: both with the UTC timestamp to the millisecond, the level, the category, the event id and the message with its
/// fields; JSON adds the fields by name (<c>State</c>). The format comes from <c>--log-format</c>, else from the standard
/// key <c>Logging:Console:FormatterName</c> (<c>Logging__Console__FormatterName=json</c>), else text. Levels are the AWS
/// agent's <c>log_level</c> names.
/// </summary>
internal static class ConsoleLogs
{
    public const string Text = "text";
    public const string Json = "json";

    /// <summary>The standard configuration key of the console formatter.</summary>
    public const string FormatKey = "Logging:Console:FormatterName";

    public static readonly string[] Formats = [Text, Json];

    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    /// <summary>The format to use: <paramref name="requested"/>, else the configuration's, else text; null when the value is neither format.</summary>
    public static string? Resolve(string? requested, IConfiguration? configuration)
    {
        var value = requested ?? configuration?[FormatKey];
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or Text or ConsoleFormatterNames.Simple => Text,
            Json => Json,
            _ => null,
        };
    }

    /// <summary>The message for a format that is neither text nor json.</summary>
    public static string InvalidFormat(string? value) => $"The log format '{value}' isn't valid; use text or json.";

    /// <summary>Adds the console provider, writing every level to standard error in <paramref name="format"/>.</summary>
    public static ILoggingBuilder AddTo(ILoggingBuilder logging, string format)
    {
        logging.AddConsole(console =>
        {
            console.FormatterName = format == Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
            console.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        logging.Services.Configure<SimpleConsoleFormatterOptions>(text =>
        {
            text.SingleLine = true;
            text.TimestampFormat = TimestampFormat;
            text.UseUtcTimestamp = true;
            text.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.TimestampFormat = TimestampFormat.TrimEnd();
            json.UseUtcTimestamp = true;
            json.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        return logging;
    }

    /// <summary>
    /// A failure to start (a port in use) reaches the caller as an exception, printed there as one line: the host's
    /// "Hosting failed to start" (Error) and Kestrel's Critical entry, each with the stack trace, are not logged a second time.
    /// </summary>
    /// <remarks>Rules for these categories, the most specific, so that they win over a <c>Microsoft</c> rule; still Warning and up.</remarks>
    public static ILoggingBuilder HideStartFailures(ILoggingBuilder logging) => logging
        .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level is >= LogLevel.Warning and < LogLevel.Error)
        .AddFilter("Microsoft.AspNetCore.Server.Kestrel", level => level is >= LogLevel.Warning and < LogLevel.Critical);

    /// <summary>The level of an AWS agent <c>log_level</c> name (debug, info, warn, error, none; any case).</summary>
    public static LogLevel LevelOf(string level) => level.ToLowerInvariant() switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "none" => LogLevel.None,
        _ => LogLevel.Information,
    };
}
