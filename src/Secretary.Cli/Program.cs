using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Secretary.Cli.Commands;

// Lambda starts every file in /opt/extensions with no arguments: the layer's extensions/secretary is the agent,
// registered with the Extensions API (the AWS Parameters and Secrets Lambda Extension's contract).
if (args.Length == 0 && Environment.GetEnvironmentVariable(Secretary.Agent.LambdaExtensionSettings.RuntimeApiVariable) is { Length: > 0 })
{
    return await CliErrors.RunServerAsync(() => LambdaExtensionMode.RunAsync()).ConfigureAwait(false);
}

// Named secretary whatever the file that runs it (dotnet Secretary.Cli.dll, the tool's shim, the native binary).
var root = new Command("secretary", "Secretary: a cached, fail-safe secrets manager and local agent.")
{
    new HelpOption(),
    new VersionOption(),
};
root.Subcommands.Add(GetCommand.Create());
root.Subcommands.Add(WarmCommand.Create());
root.Subcommands.Add(EmulatorCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(InvalidateCommand.Create());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(PingCommand.Create());

// The root's help ends with the exit codes, for scripts.
var help = root.Options.OfType<HelpOption>().Single();
help.Action = new ExitCodesHelpAction(help.Action!, root);

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
