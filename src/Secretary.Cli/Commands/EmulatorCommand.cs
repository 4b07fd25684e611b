using System.CommandLine;

namespace Secretary.Cli.Commands;

/// <summary><c>secretary emulator</c>: placeholder until the emulator lands (issue 3).</summary>
internal static class EmulatorCommand
{
    public static Command Create()
    {
        var command = new Command("emulator", "Run the local Secrets Manager emulator.");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("secretary emulator: not built yet.");
            return 1;
        });
        return command;
    }
}
