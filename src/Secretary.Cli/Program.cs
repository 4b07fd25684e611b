using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Secretary.Cli.Commands;

// Lambda starts every file in /opt/extensions with no arguments: the layer's extensions/secretary is the agent.
if (args.Length == 0 && Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") is { Length: > 0 })
{
    args = ["serve"];
}

var root = new RootCommand("Secretary: a cached, fail-safe secrets manager and local agent.");
root.Subcommands.Add(GetCommand.Create());
root.Subcommands.Add(WarmCommand.Create());
root.Subcommands.Add(EmulatorCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(InvalidateCommand.Create());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(PingCommand.Create());

// The root's help ends with the exit codes, for scripts.
if (root.Options.OfType<HelpOption>().FirstOrDefault()?.Action is HelpAction help)
{
    help.Builder.CustomizeLayout(context => context.Command == root
        ? [.. HelpBuilder.Default.GetLayout(), ExitCodesSection]
        : HelpBuilder.Default.GetLayout());
}

var parse = root.Parse(args);

// A parse error is a usage error (2): one line saying what was expected, never the .NET type of the value.
if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction or null)
{
    await Console.Error.WriteLineAsync(CliErrors.ParseErrorLine(parse)).ConfigureAwait(false);
    return CliErrors.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
    return 130;
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync(CliErrors.UnexpectedLine(ex)).ConfigureAwait(false);
    return CliErrors.Unexpected;
}

static bool ExitCodesSection(HelpContext context)
{
    context.Output.WriteLine("Exit codes:");
    foreach (var (code, meaning) in CliErrors.ExitCodes)
    {
        context.Output.WriteLine($"  {code,-3}{meaning}");
    }

    return true;
}
