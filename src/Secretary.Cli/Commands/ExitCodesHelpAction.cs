using System.CommandLine;
using System.CommandLine.Invocation;

namespace Secretary.Cli.Commands;

/// <summary>The standard help, followed on the root command by the exit codes (<see cref="CliErrors.ExitCodes"/>), for scripts.</summary>
internal sealed class ExitCodesHelpAction(CommandLineAction help, Command root) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var code = help is SynchronousCommandLineAction synchronous ? synchronous.Invoke(parseResult) : 0;
        if (parseResult.CommandResult.Command == root)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Exit codes:");
            foreach (var (exitCode, meaning) in CliErrors.ExitCodes)
            {
                output.WriteLine($"  {exitCode,-3}{meaning}");
            }

            output.WriteLine();
        }

        return code;
    }
}
