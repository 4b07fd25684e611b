using System.CommandLine;
using Secretary.Cli.Commands;

var root = new RootCommand("Secretary: a cached, fail-safe secrets manager and local agent.");
root.Subcommands.Add(GetCommand.Create());
root.Subcommands.Add(WarmCommand.Create());
root.Subcommands.Add(EmulatorCommand.Create());
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(InvalidateCommand.Create());
root.Subcommands.Add(StatsCommand.Create());

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
