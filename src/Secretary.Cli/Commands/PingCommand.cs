using System.CommandLine;

namespace Secretary.Cli.Commands;

/// <summary>
/// <c>secretary ping [--agent URL]</c>: exit 0 when a running agent answers <c>/ping</c> with <c>healthy</c>, 1 otherwise.
/// The health check of images that have no shell or curl (deploy/docker/Dockerfile, the ECS task definition). It goes
/// through the one agent client, <see cref="Secretary.Hosting.AgentSecretStore"/>: never through a proxy, the listener checked.
/// </summary>
internal static class PingCommand
{
    public static Command Create()
    {
        var agent = CliOptions.AgentUrl();
        var timeout = CliOptions.Integer("--timeout", 1, 300, "a number of seconds from 1 to 300", "Seconds to wait for the answer.", 3);
        var client = new AgentClientOptions();
        var command = new Command("ping", "Check that a running agent is healthy (GET /ping); exit 0 when it is.") { agent, timeout };
        client.AddTo(command);
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var url = result.GetValue(agent)!;
            using var reader = client.Create(url, result, TimeSpan.FromSeconds(result.GetValue(timeout)));
            try
            {
                if (await reader.PingAsync(cancellationToken).ConfigureAwait(false))
                {
                    await Console.Out.WriteLineAsync("healthy").ConfigureAwait(false);
                    return 0;
                }

                await Console.Error.WriteLineAsync($"error: {url.TrimEnd('/')}/ping did not answer healthy; check that the agent is a Secretary or AWS agent and that it runs.").ConfigureAwait(false);
            }
            catch (SecretStoreUnavailableException ex)
            {
                await Console.Error.WriteLineAsync($"error: {CliErrors.MessageOf(ex)}").ConfigureAwait(false);
            }

            return CliErrors.Unexpected;
        }));
        return command;
    }
}
