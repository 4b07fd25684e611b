using Secretary.Agent;
using Secretary.Cli.Dev;
using Secretary.Emulator;

namespace Secretary.Cli.Commands;

/// <summary>The agent and, in development mode, the emulator it reads from; stopped together.</summary>
internal sealed class AgentStack : IAsyncDisposable
{
    private readonly LocalAws? _local;

    private AgentStack(SecretaryAgentHost agent, LocalAws? local)
    {
        Agent = agent;
        _local = local;
    }

    public SecretaryAgentHost Agent { get; }

    public EmulatorServer? Emulator => _local?.Emulator;

    /// <param name="options">The agent's settings.</param>
    /// <param name="dev">Development mode: an in-process emulator seeded with <paramref name="seed"/> or the built-in samples.</param>
    /// <param name="emulatorPort">With <paramref name="dev"/>: the emulator's port.</param>
    /// <param name="seed">With <paramref name="dev"/>: a seed file, or null.</param>
    /// <param name="profile">The shared-config profile of the AWS store's credentials (and region), or null for the SDK's chain.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<AgentStack> StartAsync(
        SecretaryAgentOptions options, bool dev, int emulatorPort, string? seed, string? profile, CancellationToken cancellationToken)
    {
        LocalAws? local = null;
        ISecretStore store;
        Amazon.Runtime.AWSCredentials? profileCredentials = null;
        if (dev)
        {
            local = await LocalAws.StartDevAsync(emulatorPort, seed, cancellationToken).ConfigureAwait(false);
            // Secrets Manager as the primary, Parameter Store for /systemsmanager/parameters/get (ids ssm:NAME).
            store = new CompositeSecretStore(local.Store, local.Parameters);
            options.Store = "aws,ssm";
            options.Region = LocalAws.Region;
            options.EndpointUrl = local.Endpoint.ToString();
        }
        else
        {
            if (IsAws(options.Store))
            {
                profileCredentials = ResolveProfile(options, profile);
            }

            store = StoreFactory.Create(options.Store, options.Region, options.FallbackRegions, options.EndpointUrl, options.CredentialsFilePath, profile);
        }

        try
        {
            // As the AWS agent: checked once at start for the AWS store, except with a credentials file (read again later).
            var primary = store is CompositeSecretStore composite ? composite.Stores[0] : store;
            if (options.ValidateCredentials && primary is Secretary.Aws.AwsSecretsManagerStore && options.CredentialsFilePath is null)
            {
                var credentials = dev ? new Amazon.Runtime.BasicAWSCredentials(LocalAws.AccessKey, LocalAws.SecretKey) : profileCredentials;
                await CredentialsCheck.ValidateAsync(options, credentials, cancellationToken).ConfigureAwait(false);
            }

            // The backplane asks for the served secrets only after a reconnect, when the agent is known.
            SecretaryAgentHost? agent = null;
            var backplane = RedisBackplaneHook.For(options, () => agent?.ServedSecretIds ?? []);
            agent = await SecretaryAgentHost.StartAsync(options, store, attachBackplane: backplane, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new AgentStack(agent, local);
        }
        catch
        {
            if (local is not null)
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public static bool IsAws(string spec) => spec.Split(':', 2)[0].Equals("aws", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The profile named by <c>--profile</c>, else <c>AWS_PROFILE</c>, as the AWS agent would find it: its credentials (for the
    /// start-up check) and its region when none is set. A profile that does not exist stops the agent (exit 1).
    /// </summary>
    private static Amazon.Runtime.AWSCredentials? ResolveProfile(SecretaryAgentOptions options, string? profile)
    {
        var name = profile ?? (Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } variable ? variable.Trim() : null);
        if (name is null)
        {
            return null;
        }

        var chain = new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain();
        if (!chain.TryGetProfile(name, out var found))
        {
            throw new AgentConfigurationException(
                $"The AWS profile '{name}'{(profile is null ? " (AWS_PROFILE)" : string.Empty)} was not found in the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE).");
        }

        options.Region ??= found.Region?.SystemName;
        return profile is not null && chain.TryGetAWSCredentials(name, out var credentials) ? credentials : null;
    }

    public async Task PrintBannerAsync(TextWriter output)
    {
        var url = Agent.Address.ToString().TrimEnd('/');
        var tokenExpression = Agent.TokenFile is { } file ? $"$(cat {file})" : "$AWS_TOKEN";

        // The AWS agent's start line first: harnesses written for it wait for "listening on http://127.0.0.1:PORT".
        await output.WriteLineAsync($"Agent/{SecretaryAgentHost.Version} listening on {url}").ConfigureAwait(false);
        await output.WriteLineAsync($"agent: {url}").ConfigureAwait(false);
        if (Agent.UnixSocket is { } socket)
        {
            await output.WriteLineAsync($"unix socket: {socket}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"token: {Agent.TokenSource}").ConfigureAwait(false);
        if (Emulator is not null)
        {
            await output.WriteLineAsync($"emulator: {Emulator.Endpoint.ToString().TrimEnd('/')}").ConfigureAwait(false);
        }

        await output.WriteLineAsync("read a secret:").ConfigureAwait(false);
        await output.WriteLineAsync($"  curl -H \"X-Aws-Parameters-Secrets-Token: {tokenExpression}\" \"{url}/secretsmanager/get?secretId=surgicase/main\"").ConfigureAwait(false);
        if (Emulator is not null)
        {
            await output.WriteLineAsync("add a secret:").ConfigureAwait(false);
            await output.WriteLineAsync(
                $"  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region {Emulator.DefaultRegion} --endpoint-url {Emulator.Endpoint.ToString().TrimEnd('/')} secretsmanager create-secret --name demo --secret-string '{{\"k\":\"v\"}}'")
                .ConfigureAwait(false);
        }

        await output.WriteLineAsync($"stats: {url}/secrets-cache-stats   metrics: {url}/metrics   stop: Ctrl+C").ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync().ConfigureAwait(false);
        if (_local is not null)
        {
            await _local.DisposeAsync().ConfigureAwait(false);
        }
    }
}
