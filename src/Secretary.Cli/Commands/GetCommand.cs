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
        var tokenFile = new Option<string?>("--token-file") { Description = "With --agent: the file holding the agent's token (default: SECRETARY_TOKEN, AWS_TOKEN, AWS_SESSION_TOKEN, ~/.secretary/token)." };
        var store = new StoreOptions();
        var command = new Command("get", "Print a secret (the JSON or the string), or one key of it.") { id, key, stage, version, agent, tokenFile };
        store.AddTo(command);

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            if (result.GetValue(agent) is { } url)
            {
                using var client = new AgentClient(url, result.GetValue(tokenFile));
                using var answer = await client.GetSecretAsync(result.GetValue(id)!, result.GetValue(version), result.GetValue(stage), cancellationToken).ConfigureAwait(false);
                var root = answer.RootElement;
                var fromAgent = new Secret(
                    root.GetProperty("Name").GetString()!,
                    root.GetProperty("VersionId").GetString()!,
                    root.TryGetProperty("SecretString", out var text) ? text.GetString() : null,
                    root.TryGetProperty("SecretBinary", out var binary) ? new ReadOnlyMemory<byte>(binary.GetBytesFromBase64()) : (ReadOnlyMemory<byte>?)null);
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
