using Secretary.Agent;

namespace Secretary.Cli.Commands;

/// <summary>
/// The binary as a Lambda extension (started by Lambda from /opt/extensions with no arguments, <c>AWS_LAMBDA_RUNTIME_API</c>
/// set): registers with the Extensions API, reads the AWS Parameters and Secrets Lambda Extension's variables, serves
/// Secrets Manager and Parameter Store (<c>aws,ssm</c>) on its port before asking for the first event (so before the
/// function's first invoke), acknowledges every INVOKE by asking for the next event, and exits 0 on SHUTDOWN.
/// </summary>
internal static class LambdaExtensionMode
{
    // Lambda requires the registered name to be the extension's file name in /opt/extensions.
    private const string DefaultName = "secretary";

    public static async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        using var api = new LambdaExtensionsApiClient(Environment.GetEnvironmentVariable(LambdaExtensionSettings.RuntimeApiVariable)!);
        await api.RegisterAsync(ExtensionName(), cancellationToken).ConfigureAwait(false);

        SecretaryAgentHost agent;
        try
        {
            agent = await StartAgentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AgentConfigurationException or ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("secretary: the Lambda extension cannot start: " + ex.Message).ConfigureAwait(false);
            await api.ReportInitErrorAsync("Extension.ConfigInvalid", ex.Message, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        await using (agent.ConfigureAwait(false))
        {
            await Console.Out.WriteLineAsync($"Agent/{SecretaryAgentHost.Version} listening on {agent.Address.ToString().TrimEnd('/')} (Lambda extension)").ConfigureAwait(false);
            while (await api.NextEventAsync(cancellationToken).ConfigureAwait(false) != "SHUTDOWN")
            {
                // INVOKE: nothing to do; asking for the next event tells Lambda this extension is done with the invoke.
            }
        }

        return 0;
    }

    private static async Task<SecretaryAgentHost> StartAgentAsync(CancellationToken cancellationToken)
    {
        var settings = LambdaExtensionSettings.FromEnvironment(Environment.GetEnvironmentVariable);
        var options = new SecretaryAgentOptions
        {
            // The function's role credentials are in the environment; Lambda owns the process's lifetime and logs.
            ValidateCredentials = false,
            Region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"),
        };
        settings.ApplyTo(options);
        SecretaryAgentConfiguration.Validate(options);

        var secrets = StoreOptions.CreateAws(options.Region, [], endpointUrl: null, profile: null, timeout: Clamp(settings.SecretsManagerTimeout));
        var parameters = StoreOptions.CreateParameterStore(options.Region, pathPrefix: null, endpointUrl: null, profile: null, timeout: Clamp(settings.ParameterStoreTimeout));
        var store = new CompositeSecretStore(secrets, parameters);
        try
        {
            return await SecretaryAgentHost.StartAsync(options, store, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The stores' timeouts are 50 ms to 5 minutes; the extension's 0 (no timeout) keeps the store's default.</summary>
    private static TimeSpan? Clamp(TimeSpan? timeout) =>
        timeout is { } value ? TimeSpan.FromMilliseconds(Math.Clamp(value.TotalMilliseconds, 50, 300_000)) : null;

    private static string ExtensionName()
    {
        var path = Environment.ProcessPath;
        var name = path is null ? null : Path.GetFileName(path);
        return name is null or "dotnet" ? DefaultName : name;
    }
}
