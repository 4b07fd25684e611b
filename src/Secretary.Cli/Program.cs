using System.CommandLine;
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

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
