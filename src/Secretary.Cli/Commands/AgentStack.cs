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

    public static async Task<AgentStack> StartAsync(SecretaryAgentOptions options, bool dev, int emulatorPort, string? seed, CancellationToken cancellationToken)
    {
        LocalAws? local = null;
        ISecretStore store;
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
            store = StoreFactory.Create(options.Store, options.Region, options.FallbackRegions, options.EndpointUrl, options.CredentialsFilePath);
        }

        try
        {
            // As the AWS agent: checked once at start for the AWS store, except with a credentials file (read again later).
            var primary = store is CompositeSecretStore composite ? composite.Stores[0] : store;
            if (options.ValidateCredentials && primary is Secretary.Aws.AwsSecretsManagerStore && options.CredentialsFilePath is null)
            {
                var credentials = dev ? new Amazon.Runtime.BasicAWSCredentials(LocalAws.AccessKey, LocalAws.SecretKey) : null;
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
