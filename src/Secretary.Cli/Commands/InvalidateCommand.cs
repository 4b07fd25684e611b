using System.CommandLine;
using Secretary.Redis;

namespace Secretary.Cli.Commands;

/// <summary>
/// <c>secretary invalidate ID</c>: publishes a change message on the fleet's Redis channel by hand (origin
/// <c>cli</c>), for a rotation hook or an EventBridge target. Every instance holding the secret refreshes it,
/// unless it already holds <c>--version-id</c>. Exit 0 with the number of receivers; 9 when Redis is unreachable.
/// </summary>
internal static class InvalidateCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The secret's name or ARN." };
        var redis = new Option<string>("--redis") { Description = "Redis as HOST:PORT, or a full connection string (password=...,ssl=true).", DefaultValueFactory = _ => "localhost:6379" };
        var versionId = new Option<string?>("--version-id") { Description = "The new version id; instances already holding it make no store call." };
        var stage = new Option<string?>("--stage") { Description = "The staging label that moved (default AWSCURRENT)." };
        var prefix = new Option<string?>("--channel-prefix") { Description = "The channel prefix of the environment (as the agents' channel prefix)." };
        var command = new Command("invalidate", "Tell every instance on the Redis backplane that a secret changed (ids only, never a value).")
        {
            id, redis, versionId, stage, prefix,
        };

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var options = new RedisBackplaneOptions
            {
                Configuration = result.GetValue(redis)!,
                ChannelPrefix = result.GetValue(prefix),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            };
            var message = new SecretChangeMessage(result.GetValue(id)!, result.GetValue(versionId), result.GetValue(stage), "cli", TimeProvider.System.GetUtcNow());
            try
            {
                var receivers = await RedisBackplane.PublishOnceAsync(options, message, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"published {message.SecretId} to {options.ChannelName}: {receivers} receivers").ConfigureAwait(false);
                return 0;
            }
            catch (RedisBackplaneException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return CliErrors.RedisUnreachable;
            }
        }));
        return command;
    }
}
