using System.CommandLine;

namespace Secretary.Cli.Commands;

/// <summary><c>secretary get &lt;id&gt; [--key K] [--version-stage S] [--version-id V] [--store SPEC]</c>.</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The secret's name or ARN." };
        var key = new Option<string?>("--key") { Description = "Print only this key of a JSON secret." };
        var stage = new Option<string?>("--version-stage") { Description = "The staging label to read (default AWSCURRENT)." };
        var version = new Option<string?>("--version-id") { Description = "The version id to read." };
        var store = new StoreOptions();
        var command = new Command("get", "Print a secret (the JSON or the string), or one key of it.") { id, key, stage, version };
        store.AddTo(command);

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            using var cache = new SecretCache(store.CreateStore(result));
            var options = new SecretReadOptions { VersionStage = result.GetValue(stage), VersionId = result.GetValue(version) };
            var secret = await cache.GetAsync(result.GetValue(id)!, options, cancellationToken).ConfigureAwait(false);
            var output = result.GetValue(key) is { } k
                ? secret.GetValue(k)
                : secret.SecretString ?? Convert.ToBase64String(secret.SecretBinary!.Value.Span);
            await Console.Out.WriteLineAsync(output).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
