using System.CommandLine;

namespace Secretary.Cli.Commands;

/// <summary>
/// <c>secretary ping [--agent URL]</c>: exit 0 when a running agent answers <c>/ping</c> with <c>healthy</c>, 1 otherwise.
/// The health check of images that have no shell or curl (deploy/docker/Dockerfile, the ECS task definition).
/// </summary>
internal static class PingCommand
{
    public static Command Create()
    {
        var agent = new Option<string>("--agent") { Description = "The agent's URL.", DefaultValueFactory = _ => "http://127.0.0.1:2773" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the answer.", DefaultValueFactory = _ => 3 };
        var command = new Command("ping", "Check that a running agent is healthy (GET /ping); exit 0 when it is.") { agent, timeout };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var url = result.GetValue(agent)!.TrimEnd('/') + "/ping";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Clamp(result.GetValue(timeout), 1, 300)) };
            try
            {
                using var response = await http.GetAsync(new Uri(url), cancellationToken).ConfigureAwait(false);
                var body = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
                if (response.IsSuccessStatusCode && body == "healthy")
                {
                    await Console.Out.WriteLineAsync(body).ConfigureAwait(false);
                    return 0;
                }

                await Console.Error.WriteLineAsync($"error: {url} answered {(int)response.StatusCode}, not healthy.").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"error: {url} did not answer: {ex.Message}").ConfigureAwait(false);
            }

            return 1;
        });
        return command;
    }
}
