using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Secretary.Emulator;
using Secretary.Shared;

namespace Secretary.Cli.Commands;

/// <summary><c>secretary emulator</c>: runs the local Secrets Manager emulator until Ctrl+C (or SIGTERM).</summary>
internal static class EmulatorCommand
{
    private static readonly string[] AgentLogLevels = ["debug", "info", "warn", "error", "none"];

    public static Command Create()
    {
        var port = CliOptions.Integer("--port", 0, 65535, "a port number from 0 to 65535", "TCP port on 127.0.0.1 (0 picks a free one).", 4566, "-p");
        var seed = new Option<string?>("--seed") { Description = "JSON file of name -> string or object to preload (the samples/dev-secrets.json format)." };
        var parameterSeed = new Option<string?>("--parameter-seed") { Description = "JSON file of Parameter Store parameters to preload: name -> string or {\"Type\": \"SecureString\", \"Value\": ...} (the samples/dev-parameters.json format)." };
        var data = new Option<string?>("--data") { Description = "File that persists every change atomically and is reloaded at start." };
        var accessKey = new Option<string>("--access-key") { Description = "Access key id requests must be signed with.", DefaultValueFactory = _ => "test" };
        var secretKey = new Option<string>("--secret-key") { Description = "Secret access key requests must be signed with.", DefaultValueFactory = _ => "test" };
        var region = new Option<string>("--region") { Description = "Default region (for the seed file).", DefaultValueFactory = _ => "us-east-1" };
        var verbose = new Option<bool>("--verbose") { Description = "Log every call (operation and outcome, never values): --log-level debug." };
        var logLevel = new Option<string?>("--log-level") { Description = "debug, info, warn (default), error or none, as the agent's log_level." }
            .OneOf(AgentLogLevels);
        var logFormat = new Option<string?>("--log-format") { Description = "Log lines on stderr as text or json (default: Logging__Console__FormatterName, else text)." }
            .OneOf(ConsoleLogs.Formats);
        var rotationFunctions = new Option<string[]>("--rotation-function")
        {
            Description = "A rotation function a RotationLambdaARN may name: NAME=http://127.0.0.1:PORT/ or NAME=cmd:PATH (repeat for more).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        rotationFunctions.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(token => token.Value.IndexOf('=', StringComparison.Ordinal) <= 0))
            {
                result.AddError($"--rotation-function expects NAME=http://127.0.0.1:PORT/ or NAME=cmd:PATH, not '{token.Value}'");
            }
        });

        var command = new Command("emulator", "Run the local Secrets Manager and Parameter Store emulator (AWS CLI and SDKs work with --endpoint-url).")
        {
            port, seed, parameterSeed, data, accessKey, secretKey, region, verbose, logLevel, logFormat, rotationFunctions,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.RunServerAsync(async () =>
        {
            var options = new EmulatorOptions
            {
                Port = parse.GetValue(port),
                SeedFile = parse.GetValue(seed),
                ParameterSeedFile = parse.GetValue(parameterSeed),
                DataFile = parse.GetValue(data),
                AccessKey = parse.GetValue(accessKey)!,
                SecretKey = parse.GetValue(secretKey)!,
                DefaultRegion = parse.GetValue(region)!,
            };
            foreach (var function in parse.GetValue(rotationFunctions) ?? [])
            {
                var separator = function.IndexOf('=', StringComparison.Ordinal);
                options.RotationFunctions[function[..separator]] = function[(separator + 1)..];
            }

            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
                .AddEnvironmentVariables()
                .Build();
            var format = ConsoleLogs.Resolve(parse.GetValue(logFormat), configuration)
                ?? throw new Secretary.Agent.AgentConfigurationException(ConsoleLogs.InvalidFormat(configuration[ConsoleLogs.FormatKey]));

            var level = parse.GetValue(verbose) ? LogLevel.Debug : ConsoleLogs.LevelOf(parse.GetValue(logLevel) ?? "warn");
            using var loggerFactory = LoggerFactory.Create(logging => ConsoleLogs.HideStartFailures(ConsoleLogs.AddTo(logging, format))
                .AddFilter("Microsoft", LogLevel.Warning)
                .SetMinimumLevel(level));
            var server = await EmulatorServer.StartAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                Console.WriteLine($"Secrets Manager emulator listening on {server.Endpoint} (region {options.DefaultRegion}, access key {options.AccessKey}).");
                Console.WriteLine($"  aws --endpoint-url {server.Endpoint.ToString().TrimEnd('/')} secretsmanager list-secrets");
                Console.WriteLine($"  aws --endpoint-url {server.Endpoint.ToString().TrimEnd('/')} ssm describe-parameters");
                Console.WriteLine($"  admin: {server.Endpoint}_emulator/requests");
                foreach (var (name, target) in options.RotationFunctions)
                {
                    Console.WriteLine($"  rotation function {name}: {target}");
                }

                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("Stopping.");
                }
            }

            return 0;
        }));
        return command;
    }
}
