using System.CommandLine;
using Secretary.Cli.Commands;

// Lambda starts every file in /opt/extensions with no arguments: the layer's extensions/secretary is the agent,
// registered with the Extensions API (the AWS Parameters and Secrets Lambda Extension's contract).
if (args.Length == 0 && Environment.GetEnvironmentVariable(Secretary.Agent.LambdaExtensionSettings.RuntimeApiVariable) is { Length: > 0 })
{
    return await CliErrors.RunServeAsync(() => LambdaExtensionMode.RunAsync()).ConfigureAwait(false);
}

var root = new RootCommand("Secretary: a cached, fail-safe secrets manager and local agent.");
root.Subcommands.Add(GetCommand.Create());
root.Subcommands.Add(WarmCommand.Create());
root.Subcommands.Add(EmulatorCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(InvalidateCommand.Create());
root.Subcommands.Add(StatsCommand.Create());
root.Subcommands.Add(PingCommand.Create());

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
