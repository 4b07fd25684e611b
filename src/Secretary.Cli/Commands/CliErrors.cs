using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net.Sockets;

namespace Secretary.Cli.Commands;

/// <summary>
/// Every failure is one line on stderr, <c>error: WHAT; WHAT TO DO</c>, never a stack trace, and an exit code by kind:
/// 1 unexpected (and <c>serve</c> failing to start, as the AWS agent), 2 usage, 3–8 the secret error categories,
/// 9 Redis unreachable. The codes are listed in <c>secretary --help</c> (<see cref="ExitCodes"/>) and docs/cli.md.
/// </summary>
internal static class CliErrors
{
    public const int Unexpected = 1;
    public const int Usage = 2;
    public const int RedisUnreachable = 9;

    /// <summary>The exit codes, as <c>secretary --help</c> lists them.</summary>
    public static readonly (int Code, string Meaning)[] ExitCodes =
    [
        (0, "success"),
        (Unexpected, "unexpected failure; serve: the agent could not start (bad configuration, port in use)"),
        (Usage, "usage error: unknown command or option, bad value, missing store, unknown AWS profile"),
        (3, "not found (ResourceNotFoundException)"),
        (4, "invalid request (e.g. the secret is marked for deletion)"),
        (5, "invalid parameter (a bad name, region or version)"),
        (6, "format: not JSON, or no such key (--key)"),
        (7, "store unavailable: network, throttling, 5xx, timeout"),
        (8, "access denied or decryption failure"),
        (RedisUnreachable, "invalidate: Redis unreachable"),
    ];

    public static int ExitCode(SecretErrorCategory category) => category switch
    {
        SecretErrorCategory.NotFound => 3,
        SecretErrorCategory.InvalidRequest => 4,
        SecretErrorCategory.InvalidParameter => 5,
        SecretErrorCategory.Format => 6,
        SecretErrorCategory.StoreUnavailable => 7,
        SecretErrorCategory.AccessDenied => 8,
        _ => Unexpected,
    };

    /// <summary>The parse errors as one line: what was wrong and where the usage is.</summary>
    public static string ParseErrorLine(ParseResult parse)
    {
        var messages = parse.Errors.Select(e => MessageOf(e, parse)).OfType<string>().Distinct();
        return $"error: {string.Join("; ", messages)}; see '{CommandPath(parse.CommandResult)} --help'.";
    }

    // System.CommandLine's "Required command was not provided" names no command: list them, unless the line already
    // says which token was not one (that error belongs to the same command result).
    private static string? MessageOf(ParseError error, ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (error.SymbolResult is CommandResult { Command: { Action: null, Subcommands.Count: > 0 } } missing && missing.Command == command
            && !parse.UnmatchedTokens.Any(token => error.Message.Contains(token, StringComparison.Ordinal)))
        {
            return parse.UnmatchedTokens.Count > 0 ? null : $"a command is required: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        }

        return error.Message.Trim().TrimEnd('.').ReplaceLineEndings(" ");
    }

    /// <summary>
    /// Runs a server (<c>serve</c>, <c>emulator</c>) as the AWS agent runs: a configuration it refuses (the message alone
    /// on stderr, word for word) or a failure to start (a port in use, a data file it cannot use) is exit code 1.
    /// </summary>
    public static async Task<int> RunServerAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Secretary.Agent.AgentConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return Unexpected;
        }
        catch (IOException ex) when (IsAddressInUse(ex))
        {
            await Console.Error.WriteLineAsync(
                $"error: {ex.Message.TrimEnd('.')}; stop the program using it, or pass another --port (0 picks a free one).").ConfigureAwait(false);
            return Unexpected;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(ex is SecretaryException or ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException
                or InvalidDataException
                ? $"error: {MessageOf(ex)}"
                : UnexpectedLine(ex)).ConfigureAwait(false);
            return Unexpected;
        }
    }

    /// <summary>Runs <paramref name="action"/>, turning every failure into one line on <paramref name="error"/> (stderr) and its exit code.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action, TextWriter? error = null)
    {
        error ??= Console.Error;
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SecretaryException ex)
        {
            await error.WriteLineAsync($"error: {ex.Category}: {MessageOf(ex)}").ConfigureAwait(false);
            return ExitCode(ex.Category);
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
            or Secretary.Agent.AgentConfigurationException)
        {
            await error.WriteLineAsync($"error: {MessageOf(ex)}").ConfigureAwait(false);
            return Usage;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync(UnexpectedLine(ex)).ConfigureAwait(false);
            return Unexpected;
        }
    }

    /// <summary>The line for a failure nobody expected: its kind and message, and what to do, on one line.</summary>
    public static string UnexpectedLine(Exception ex) =>
        $"error: unexpected {ex.GetType().Name}: {MessageOf(ex)}; please report it with the command you ran.";

    /// <summary>An exception's message on one line, without .NET's <c>(Parameter 'name')</c> suffix.</summary>
    public static string MessageOf(Exception ex)
    {
        var message = ex.Message;
        if (ex is ArgumentException { ParamName: { } name })
        {
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        }

        return message.ReplaceLineEndings(" ").Trim();
    }

    private static bool IsAddressInUse(Exception error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is Microsoft.AspNetCore.Connections.AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult c; result = c.Parent)
        {
            names.Insert(0, c.Parent is null ? "secretary" : c.Command.Name);
        }

        return string.Join(' ', names);
    }
}
