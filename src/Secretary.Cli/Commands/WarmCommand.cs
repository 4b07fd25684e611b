using System.CommandLine;

namespace Secretary.Cli.Commands;

/// <summary><c>secretary warm &lt;id&gt;... [--store SPEC]</c>: loads secrets in batches and prints the warming report.</summary>
internal static class WarmCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("ids") { Description = "The secrets to load.", Arity = ArgumentArity.OneOrMore };
        var store = new StoreOptions();
        var command = new Command("warm", "Load secrets through the store's batch operation and print the warming report as JSON.") { ids };
        store.AddTo(command);

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var cache = new SecretCache(store.CreateStore(result));
            var report = await cache.WarmAsync(result.GetValue(ids)!, cancellationToken: cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(report.ToJson()).ConfigureAwait(false);
            return report.Failed == 0 ? 0 : CliErrors.ExitCode(SecretErrorCategory.NotFound);
        }));
        return command;
    }
}
