using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Secretary.Agent;

namespace Secretary.Cli.Commands;

/// <summary>
/// <c>secretary serve</c>: the agent. Settings come from defaults, then the TOML file
/// (<c>--config</c>), then appsettings.json and <c>SECRETARY__*</c> environment variables, then
/// the command line.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var dev = new Option<bool>("--dev") { Description = "Development mode: an in-process emulator seeded with the built-in sample secrets (samples/dev-secrets.json), the AWS store pointed at it." };
        var port = CliOptions.Port("--port", "The port to listen on (default 2773; 0 picks a free one).");
        var bind = new Option<string?>("--bind") { Description = "The address to bind (default 127.0.0.1)." };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a non-loopback --bind address." };
        var config = new Option<string?>("--config", "-c") { Description = "A TOML file with the AWS agent's keys (http_port, ttl_seconds, ...) and Secretary's." };
        var tokenFile = new Option<string?>("--token-file") { Description = "A file holding the token clients must send." };
        var store = new Option<string?>("--store") { Description = "The store: aws (default) or file:PATH." };
        var region = new Option<string?>("--region") { Description = "The AWS region." };
        var endpoint = new Option<string?>("--endpoint-url") { Description = "An endpoint override for the AWS store." };
        var fallbackRegions = new Option<string[]>("--fallback-region")
        {
            Description = "A region to fail over to on transient errors, as REGION or REGION=ENDPOINT_URL; repeat for more, in order.",
            AllowMultipleArgumentsPerToken = false,
        };
        var profile = new Option<string?>("--profile") { Description = "Shared-config profile for the AWS store's credentials and region (default: the SDK's credential chain, AWS_PROFILE)." };
        var ttl = CliOptions.Integer("--ttl", 0, 3600, "a number of seconds from 0 to 3600", "Seconds a secret stays fresh (default 300).");
        var emulatorPort = CliOptions.Integer("--emulator-port", 0, 65535, "a port number from 0 to 65535", "With --dev: the emulator's port.", 4566);
        var required = new Option<string[]>("--required-secret") { Description = "A secret warmed at start; /readyz waits for it (repeatable).", AllowMultipleArgumentsPerToken = false };
        var seed = new Option<string?>("--seed") { Description = "With --dev: a secrets file to seed the emulator with instead of the built-in samples." };
        var redis = new Option<string?>("--redis") { Description = "A Redis fleet backplane: HOST:PORT or a connection string (password=...,ssl=true); new versions reach every agent at once." };
        var unixSocket = new Option<string?>("--unix-socket") { Description = "Also listen on this Unix-domain socket (its directory 0700, the socket 0660)." };
        var logFormat = new Option<string?>("--log-format")
        {
            Description = "Log lines on stderr as text or json (default: Logging__Console__FormatterName, else text).",
        };
        logFormat.OneOf(Secretary.Shared.ConsoleLogs.Formats);
        var command = new Command("serve", "Run the agent: a local HTTP endpoint serving secrets from one shared cache (a drop-in for the AWS Secrets Manager Agent).")
        {
            dev, port, bind, allowRemote, config, tokenFile, store, region, endpoint, fallbackRegions, profile, ttl, emulatorPort, required, seed, redis, unixSocket, logFormat,
        };

        command.SetAction((result, cancellationToken) => CliErrors.RunServerAsync(async () =>
        {
            var options = new SecretaryAgentOptions();
            if (result.GetValue(config) is { } path)
            {
                SecretaryAgentConfiguration.ApplyToml(options, path);
            }

            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .Build();
            SecretaryAgentConfiguration.ApplyConfiguration(options, configuration);

            options.HttpPort = result.GetValue(port) ?? options.HttpPort;
            options.BindAddress = result.GetValue(bind) ?? options.BindAddress;
            options.AllowRemote |= result.GetValue(allowRemote);
            options.TokenFile = result.GetValue(tokenFile) ?? options.TokenFile;
            options.Store = result.GetValue(store) ?? options.Store;
            options.Region = result.GetValue(region) ?? options.Region;
            options.EndpointUrl = result.GetValue(endpoint) ?? options.EndpointUrl;
            if (result.GetValue(fallbackRegions) is { Length: > 0 } fallbacks)
            {
                options.FallbackRegions = [.. fallbacks];
            }

            // As get and warm: the AWS store's flags are refused for another store rather than ignored.
            if (!result.GetValue(dev) && !AgentStack.IsAws(options.Store) && (result.GetValue(profile) is not null || result.GetValue(fallbackRegions) is { Length: > 0 }))
            {
                throw new AgentConfigurationException("--fallback-region and --profile apply to --store aws only.");
            }

            options.TtlSeconds = result.GetValue(ttl) ?? options.TtlSeconds;
            options.Redis = result.GetValue(redis) ?? options.Redis;
            options.UnixSocket = result.GetValue(unixSocket) ?? options.UnixSocket;
            options.LogFormat = result.GetValue(logFormat) ?? options.LogFormat;
            options.GenerateToken |= result.GetValue(dev);
            if (result.GetValue(required) is { Length: > 0 } requiredSecrets)
            {
                options.RequiredSecrets = [.. requiredSecrets];
            }

            SecretaryAgentConfiguration.Validate(options);
            var stack = await AgentStack.StartAsync(
                options, result.GetValue(dev), result.GetValue(emulatorPort), result.GetValue(seed), result.GetValue(profile), cancellationToken).ConfigureAwait(false);
            await using (stack.ConfigureAwait(false))
            {
                await stack.PrintBannerAsync(Console.Out).ConfigureAwait(false);
                await stack.Agent.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }
}
