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
        var agent = new Option<string?>("--agent") { Description = "Read through a running agent at this URL (e.g. http://127.0.0.1:2773) instead of a store." };
        var client = new AgentClientOptions();
        var store = new StoreOptions();
        var command = new Command("get", "Print a secret (the JSON or the string), or one key of it.") { id, key, stage, version, agent };
        client.AddTo(command);
        store.AddTo(command);

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            if (result.GetValue(agent) is { } url)
            {
                using var reader = client.Create(url, result);
                var fromAgent = await reader.GetSecretAsync(new SecretRequest(result.GetValue(id)!, result.GetValue(version), result.GetValue(stage)), cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(Render(fromAgent, result.GetValue(key))).ConfigureAwait(false);
                return 0;
            }

            using var cache = new SecretCache(store.CreateStore(result));
            var options = new SecretReadOptions { VersionStage = result.GetValue(stage), VersionId = result.GetValue(version) };
            var secret = await cache.GetAsync(result.GetValue(id)!, options, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(Render(secret, result.GetValue(key))).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    private static string Render(Secret secret, string? key) =>
        key is not null ? secret.GetValue(key) : secret.SecretString ?? Convert.ToBase64String(secret.SecretBinary!.Value.Span);
}
